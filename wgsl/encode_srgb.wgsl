// The image loss in display space: linear RGB → sRGB per element (N = H·W·3), so the loss weighs
// errors as a screen shows them (dark clothes are not near-zero numbers).
//   srgb[e] = linear_to_srgb(clamp(linear[e], 0, 1))
// Needs helpers/dispatch.wgsl and helpers/srgb.wgsl.

struct Params {
  count: u32,
}

@group(0) @binding(0) var<storage, read> linear_values: array<f32>;
@group(0) @binding(1) var<storage, read_write> srgb_values: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(ITEM_THREADS)
fn main(thread: ItemThread) {
  let e = item_index(thread);
  if (e >= params.count) { return; }
  srgb_values[e] = linear_to_srgb(vec3f(linear_values[e])).x;
}
