// SSIM backward, second (vertical) half: adds ∂(−ssim_weight · mean S)/∂x to grad. With
// A = ∂S/∂m1, B = ∂S/∂m11, C = ∂S/∂m12 per element (ssim_forward.wgsl), the gradient at input
// element q is
//   ∂(mean S)/∂x_q = (1/N)·[(G∗A)(q) + 2·x_q·(G∗B)(q) + y_q·(G∗C)(q)]
// — G is symmetric, so the adjoint of the zero-padded 'same' blur is the same blur with zero
// padding. ssim_backward_blur_rows.wgsl did the rows; this finishes the columns and writes
//   grad[e] += params.scale · (...),  scale = −ssim_weight / N   (l1_loss.wgsl wrote grad before)
// Layouts and parameters: helpers/ssim_window.wgsl. One thread per element.
// Needs helpers/dispatch.wgsl, helpers/ssim_window.wgsl.

@group(0) @binding(1) var<storage, read> rows: array<f32>;
@group(0) @binding(2) var<storage, read> rendered: array<f32>;
@group(0) @binding(3) var<storage, read> target_image: array<f32>;
@group(0) @binding(4) var<storage, read_write> grad: array<f32>;

@compute @workgroup_size(ITEM_THREADS)
fn main(thread: ItemThread) {
  let n = ssim_count();
  let e = item_index(thread);
  if (e >= n) { return; }
  let taps = ssim_column_taps(e);
  var ga = 0.0;
  var gb = 0.0;
  var gc = 0.0;
  for (var d = taps.x; d <= taps.y; d++) {
    let w = ssim_weight(d);
    let k = ssim_column_neighbour(e, d);
    ga += w * rows[k];
    gb += w * rows[n + k];
    gc += w * rows[2u * n + k];
  }
  grad[e] += params.scale * (ga + 2.0 * rendered[e] * gb + target_image[e] * gc);
}
