// Squared-magnitude regulariser over `items` × D values (offsets: D = 3, scales: D = 1):
//   L = weight · (1/items) · Σ max(|v| − bound, 0)²
// bound 0: mean ‖δ‖² (or mean σ²); bound > 0: a hinge that only penalises the part above it.
// One thread per value:
//   grad[e] = (or +=, when accumulate ≠ 0) 2·scale·max(|v| − bound, 0)·sign(v), scale = weight/items
//   terms[e] = scale·max(|v| − bound, 0)², for reduce_sum.wgsl
// Needs helpers/dispatch.wgsl.

struct Params {
  count: u32, // items × D
  accumulate: u32,
  bound: f32,
  scale: f32,
}

@group(0) @binding(0) var<storage, read> values: array<f32>;
@group(0) @binding(1) var<storage, read_write> grad: array<f32>;
@group(0) @binding(2) var<storage, read_write> terms: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(ITEM_THREADS)
fn main(thread: ItemThread) {
  let e = item_index(thread);
  if (e >= params.count) { return; }
  let v = values[e];
  let excess = max(abs(v) - params.bound, 0.0);
  var g = 2.0 * params.scale * excess * sign(v);
  if (params.accumulate != 0u) { g += grad[e]; }
  grad[e] = g;
  terms[e] = params.scale * excess * excess;
}
