// SSIM backward, second (vertical) half: adds ∂(−ssim_weight · mean S)/∂x to grad. With
// A = ∂S/∂m1, B = ∂S/∂m11, C = ∂S/∂m12 per element (ssim_forward.wgsl), the gradient at input
// element q is
//   ∂(mean S)/∂x_q = (1/N)·[(G∗A)(q) + 2·x_q·(G∗B)(q) + y_q·(G∗C)(q)]
// — G is symmetric, so the adjoint of the zero-padded 'same' blur is the same blur with zero
// padding. ssim_backward_blur_rows.wgsl did the rows; this finishes the columns and writes
//   grad[e] += scale · (...),  scale = −ssim_weight / N   (l1_loss.wgsl wrote grad before)
// Layouts as in ssim_forward.wgsl. One thread per element.
// Needs helpers/dispatch.wgsl, helpers/ssim_window.wgsl.

struct Params {
  width: u32,
  height: u32,
  scale: f32, // −ssim_weight / N
  _pad: u32,
}

@group(0) @binding(0) var<storage, read> rows: array<f32>;
@group(0) @binding(1) var<storage, read> rendered: array<f32>;
@group(0) @binding(2) var<storage, read> target_image: array<f32>;
@group(0) @binding(3) var<storage, read_write> grad: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

@compute @workgroup_size(256)
fn main(
  @builtin(workgroup_id) workgroup_id: vec3u,
  @builtin(num_workgroups) num_workgroups: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  let n = 3u * params.width * params.height;
  let e = linear_workgroup_index(workgroup_id, num_workgroups) * 256u + t;
  if (e >= n) { return; }
  let stride = 3 * i32(params.width);
  let taps = ssim_taps(e / (3u * params.width), params.height);
  var ga = 0.0;
  var gb = 0.0;
  var gc = 0.0;
  for (var d = taps.x; d <= taps.y; d++) {
    let w = ssim_weight(d);
    let k = u32(i32(e) + stride * d);
    ga += w * rows[k];
    gb += w * rows[n + k];
    gc += w * rows[2u * n + k];
  }
  grad[e] += params.scale * (ga + 2.0 * rendered[e] * gb + target_image[e] * gc);
}
