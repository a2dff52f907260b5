// L1 part of the image loss, one thread per element (N = H·W·3):
//   grad[e] = l1_weight · sign(x − y) / N        (overwrites; ssim_backward.wgsl adds its part after)
//   terms[e] = |x − y| / N, terms[N + e] = (x − y)² / N   (summed by reduce_sum.wgsl: mean L1, MSE)
// x = rendered, y = target, both H × W × 3 f32. sign(0) = 0, as torch's |·| gradient at 0.
// Needs helpers/dispatch.wgsl.

struct Params {
  count: u32,
  grad_scale: f32, // l1_weight / N
  inv_count: f32, // 1 / N
  _pad: u32,
}

@group(0) @binding(0) var<storage, read> rendered: array<f32>;
@group(0) @binding(1) var<storage, read> target_image: array<f32>;
@group(0) @binding(2) var<storage, read_write> grad: array<f32>;
@group(0) @binding(3) var<storage, read_write> terms: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

@compute @workgroup_size(ITEM_THREADS)
fn main(thread: ItemThread) {
  let e = item_index(thread);
  if (e >= params.count) { return; }
  let d = rendered[e] - target_image[e];
  grad[e] = params.grad_scale * sign(d);
  terms[e] = abs(d) * params.inv_count;
  terms[params.count + e] = d * d * params.inv_count;
}
