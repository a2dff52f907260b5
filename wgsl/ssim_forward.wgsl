// SSIM forward, second (vertical) half: finishes the five windowed means of every element,
// m1 = G∗x, m2 = G∗y, m11 = G∗x², m22 = G∗y², m12 = G∗xy, from ssim_forward_blur_rows.wgsl's
// rows, then
//   S = (2μxμy + C1)(2σxy + C2) / ((μx² + μy² + C1)(σx² + σy² + C2)),  C1 = 0.01², C2 = 0.03²
// with σx² = m11 − m1², σy² = m22 − m2², σxy = m12 − m1·m2, and for the backward pass the partial
// derivatives of S w.r.t. the maps that depend on x (ssim_backward*.wgsl):
//   coefficients[e] = ∂S/∂m1, coefficients[N + e] = ∂S/∂m11, coefficients[2N + e] = ∂S/∂m12
//   terms[2N + e] = S · params.scale (= S / N; rows 0 and 1 belong to l1_loss.wgsl; reduce_sum.wgsl sums each row)
// Layouts and parameters: helpers/ssim_window.wgsl. One thread per element.
// Needs helpers/dispatch.wgsl, helpers/ssim_window.wgsl.

const C1: f32 = 0.0001; // 0.01²
const C2: f32 = 0.0009; // 0.03²

@group(0) @binding(1) var<storage, read> rows: array<f32>;
@group(0) @binding(2) var<storage, read_write> coefficients: array<f32>;
@group(0) @binding(3) var<storage, read_write> terms: array<f32>;

@compute @workgroup_size(ITEM_THREADS)
fn main(thread: ItemThread) {
  let n = ssim_count();
  let e = item_index(thread);
  if (e >= n) { return; }
  let taps = ssim_column_taps(e);
  var m1 = 0.0;
  var m2 = 0.0;
  var m11 = 0.0;
  var m22 = 0.0;
  var m12 = 0.0;
  for (var d = taps.x; d <= taps.y; d++) {
    let w = ssim_weight(d);
    let k = ssim_column_neighbour(e, d);
    m1 += w * rows[k];
    m2 += w * rows[n + k];
    m11 += w * rows[2u * n + k];
    m22 += w * rows[3u * n + k];
    m12 += w * rows[4u * n + k];
  }
  let var_x = m11 - m1 * m1;
  let var_y = m22 - m2 * m2;
  let cov = m12 - m1 * m2;
  let a1 = 2.0 * m1 * m2 + C1;
  let a2 = 2.0 * cov + C2;
  let b1 = m1 * m1 + m2 * m2 + C1;
  let b2 = var_x + var_y + C2;
  let s = (a1 * a2) / (b1 * b2);
  let d_mu = 2.0 * m2 * a2 / (b1 * b2) - s * 2.0 * m1 / b1; // ∂S/∂μx at fixed σx², σxy
  let d_var = -s / b2; // ∂S/∂σx²
  let d_cov = 2.0 * a1 / (b1 * b2); // ∂S/∂σxy
  coefficients[e] = d_mu - 2.0 * m1 * d_var - m2 * d_cov;
  coefficients[n + e] = d_var;
  coefficients[2u * n + e] = d_cov;
  terms[2u * n + e] = s * params.scale;
}
