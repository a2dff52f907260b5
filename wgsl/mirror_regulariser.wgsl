// Mirror-twin regulariser over `items` × D values (D ≤ 4): each item with a twin (twins[i] ≥ 0,
// e.g. a Gaussian no frame saw and the seen Gaussian nearest its mirror image) is pulled towards
// its twin's values, mirrored component-wise by `signs` (offsets across x = 0: (−1, 1, 1)):
//   L = weight · (1/items) · Σ_{i: twin t ≥ 0} Σ_c (v[i,c] − signs[c]·v[t,c])²
// The twin's values are the target, held fixed (no gradient flows to them): the seen side teaches
// the unseen one, never the other way round. One thread per value:
//   grad[e] = (or +=, when accumulate ≠ 0) 2·scale·(v[e] − signs[c]·v[t·D + c]), scale = weight/items
//   terms[e] = scale·(v[e] − signs[c]·v[t·D + c])², for reduce_sum.wgsl
// Items without a twin get gradient 0 (added: unchanged) and term 0.
// Needs helpers/dispatch.wgsl.

struct Params {
  count: u32, // items × D
  components: u32, // D
  accumulate: u32,
  scale: f32,
  signs: vec4f,
}

@group(0) @binding(0) var<storage, read> values: array<f32>;
@group(0) @binding(1) var<storage, read> twins: array<i32>;
@group(0) @binding(2) var<storage, read_write> grad: array<f32>;
@group(0) @binding(3) var<storage, read_write> terms: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

@compute @workgroup_size(ITEM_THREADS)
fn main(thread: ItemThread) {
  let e = item_index(thread);
  if (e >= params.count) { return; }
  let c = e % params.components;
  let twin = twins[e / params.components];
  var d = 0.0;
  if (twin >= 0) { d = values[e] - params.signs[c] * values[u32(twin) * params.components + c]; }
  var g = 2.0 * params.scale * d;
  if (params.accumulate != 0u) { g += grad[e]; }
  grad[e] = g;
  terms[e] = params.scale * d * d;
}
