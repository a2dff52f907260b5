// Total-variation smoothness of a C × H × W tensor (channel-major: e = (c·H + i)·W + j, e.g. the
// appearance network's feature tensor C × R × R), squared differences, each direction averaged
// over its pairs:  L = weight·(Σ(f[i+1,j] − f[i,j])²/(C(H−1)W) + Σ(f[i,j+1] − f[i,j])²/(CH(W−1))).
// One thread per element gathers its own gradient from its four neighbours (no atomics):
//   grad[e] = (or +=, when accumulate ≠ 0) ∂L/∂f[e]
//   terms[e] = the element's share of L (its differences to the next row and column), for reduce_sum.wgsl
// v_scale = weight/(C(H−1)W) (0 when H = 1), h_scale = weight/(CH(W−1)) (0 when W = 1).
// Needs helpers/dispatch.wgsl.

struct Params {
  channels: u32,
  height: u32,
  width: u32,
  accumulate: u32,
  v_scale: f32,
  h_scale: f32,
  _pad0: u32,
  _pad1: u32,
}

@group(0) @binding(0) var<storage, read> tensor: array<f32>;
@group(0) @binding(1) var<storage, read_write> grad: array<f32>;
@group(0) @binding(2) var<storage, read_write> terms: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(ITEM_THREADS)
fn main(thread: ItemThread) {
  let e = item_index(thread);
  let w = params.width;
  let h = params.height;
  if (e >= params.channels * h * w) { return; }
  let j = e % w;
  let i = (e / w) % h;
  let f = tensor[e];
  var g = 0.0;
  var term = 0.0;
  if (i + 1u < h) {
    let d = tensor[e + w] - f;
    term += params.v_scale * d * d;
    g -= 2.0 * params.v_scale * d;
  }
  if (i > 0u) { g += 2.0 * params.v_scale * (f - tensor[e - w]); }
  if (j + 1u < w) {
    let d = tensor[e + 1u] - f;
    term += params.h_scale * d * d;
    g -= 2.0 * params.h_scale * d;
  }
  if (j > 0u) { g += 2.0 * params.h_scale * (f - tensor[e - 1u]); }
  if (params.accumulate != 0u) { g += grad[e]; }
  grad[e] = g;
  terms[e] = term;
}
