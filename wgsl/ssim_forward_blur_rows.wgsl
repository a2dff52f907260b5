// SSIM forward, first (horizontal) half of the separable window: for every element e of the
// images x (rendered) and y (target), the row-blurred x, y, x², y², xy:
//   rows[k·N + e], k = 0…4
// ssim_forward.wgsl finishes the window along columns. One thread per element, no workgroup
// memory (barrier-free kernels also run fast on CPU WebGPU, where the tests run).
// Layouts and parameters: helpers/ssim_window.wgsl. Needs helpers/dispatch.wgsl, helpers/ssim_window.wgsl.

@group(0) @binding(1) var<storage, read> rendered: array<f32>;
@group(0) @binding(2) var<storage, read> target_image: array<f32>;
@group(0) @binding(3) var<storage, read_write> rows: array<f32>;

@compute @workgroup_size(ITEM_THREADS)
fn main(thread: ItemThread) {
  let n = ssim_count();
  let e = item_index(thread);
  if (e >= n) { return; }
  let taps = ssim_row_taps(e);
  var sx = 0.0;
  var sy = 0.0;
  var sxx = 0.0;
  var syy = 0.0;
  var sxy = 0.0;
  for (var d = taps.x; d <= taps.y; d++) {
    let w = ssim_weight(d);
    let k = ssim_row_neighbour(e, d);
    let a = rendered[k];
    let b = target_image[k];
    sx += w * a;
    sy += w * b;
    sxx += w * a * a;
    syy += w * b * b;
    sxy += w * a * b;
  }
  rows[e] = sx;
  rows[n + e] = sy;
  rows[2u * n + e] = sxx;
  rows[3u * n + e] = syy;
  rows[4u * n + e] = sxy;
}
