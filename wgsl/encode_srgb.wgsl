// The image loss in display space: linear RGB → sRGB (H·W pixels of 3 f32), so the loss weighs
// errors as a screen shows them (dark clothes are not near-zero numbers). One thread per pixel:
//   srgb[3p + c] = linear_to_srgb(clamp(linear[3p + c], 0, 1))
// Needs helpers/dispatch.wgsl and helpers/srgb.wgsl.

struct Params {
  pixels: u32,
}

@group(0) @binding(0) var<storage, read> linear_values: array<f32>;
@group(0) @binding(1) var<storage, read_write> srgb_values: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

@compute @workgroup_size(ITEM_THREADS)
fn main(thread: ItemThread) {
  let p = item_index(thread);
  if (p >= params.pixels) { return; }
  let srgb = linear_to_srgb(vec3f(linear_values[3u * p], linear_values[3u * p + 1u], linear_values[3u * p + 2u]));
  for (var c = 0u; c < 3u; c++) { srgb_values[3u * p + c] = srgb[c]; }
}
