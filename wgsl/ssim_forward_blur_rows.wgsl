// SSIM forward, first (horizontal) half of the separable window: for every element e of the
// H × W × 3 images x (rendered) and y (target), the row-blurred x, y, x², y², xy:
//   rows[k·N + e], k = 0…4 (N = H·W·3, e = (py·W + px)·3 + c)
// ssim_forward.wgsl finishes the window along columns. One thread per element, no workgroup
// memory (barrier-free kernels also run fast on CPU WebGPU, where the tests run).
// Needs helpers/dispatch.wgsl, helpers/ssim_window.wgsl.

struct Params {
  width: u32,
  height: u32,
  _pad0: u32,
  _pad1: u32,
}

@group(0) @binding(0) var<storage, read> rendered: array<f32>;
@group(0) @binding(1) var<storage, read> target_image: array<f32>;
@group(0) @binding(2) var<storage, read_write> rows: array<f32>;
@group(0) @binding(3) var<uniform> params: Params;

@compute @workgroup_size(256)
fn main(
  @builtin(workgroup_id) workgroup_id: vec3u,
  @builtin(num_workgroups) num_workgroups: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  let n = 3u * params.width * params.height;
  let e = linear_workgroup_index(workgroup_id, num_workgroups) * 256u + t;
  if (e >= n) { return; }
  let taps = ssim_taps((e / 3u) % params.width, params.width);
  var sx = 0.0;
  var sy = 0.0;
  var sxx = 0.0;
  var syy = 0.0;
  var sxy = 0.0;
  for (var d = taps.x; d <= taps.y; d++) {
    let w = ssim_weight(d);
    let k = u32(i32(e) + 3 * d);
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
