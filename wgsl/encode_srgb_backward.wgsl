// Backward of encode_srgb.wgsl, in place: grad[e] (∂loss/∂srgb) becomes ∂loss/∂linear
//   grad[e] *= linear_to_srgb_slope(linear[e])
// Needs helpers/dispatch.wgsl and helpers/srgb.wgsl.

struct Params {
  count: u32,
}

@group(0) @binding(0) var<storage, read> linear_values: array<f32>;
@group(0) @binding(1) var<storage, read_write> grad: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(ITEM_THREADS)
fn main(thread: ItemThread) {
  let e = item_index(thread);
  if (e >= params.count) { return; }
  grad[e] = grad[e] * linear_to_srgb_slope(linear_values[e]);
}
