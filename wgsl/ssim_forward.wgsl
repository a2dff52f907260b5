// SSIM forward, one channel of one 16 × 16 tile per workgroup (z = channel), separable window:
// the apron tile of x (rendered) and y (target) goes to workgroup memory, a horizontal pass
// blurs x, y, x², y², xy along rows, a vertical pass finishes the five windowed means
// m1 = G∗x, m2 = G∗y, m11 = G∗x², m22 = G∗y², m12 = G∗xy at each pixel. Then
//   S = (2μxμy + C1)(2σxy + C2) / ((μx² + μy² + C1)(σx² + σy² + C2))
// with σx² = m11 − m1², σy² = m22 − m2², σxy = m12 − m1·m2, and for the backward pass the
// partial derivatives of S w.r.t. the maps that depend on x (ssim_backward.wgsl):
//   coefficients[e] = ∂S/∂m1, coefficients[N + e] = ∂S/∂m11, coefficients[2N + e] = ∂S/∂m12
//   terms[2N + e] = S / N   (rows 0 and 1 belong to l1_loss.wgsl; reduce_sum.wgsl sums each row)
// x, y: H × W × 3 f32 row-major; e = (py·W + px)·3 + c; N = H·W·3. Needs helpers/ssim_window.wgsl.

struct Params {
  width: u32,
  height: u32,
  inv_count: f32, // 1 / N
  _pad: u32,
}

const C1: f32 = 0.0001; // 0.01²
const C2: f32 = 0.0009; // 0.03²

@group(0) @binding(0) var<storage, read> rendered: array<f32>;
@group(0) @binding(1) var<storage, read> target_image: array<f32>;
@group(0) @binding(2) var<storage, read_write> coefficients: array<f32>;
@group(0) @binding(3) var<storage, read_write> terms: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

var<workgroup> x_tile: array<f32, SSIM_SPAN_AREA>;
var<workgroup> y_tile: array<f32, SSIM_SPAN_AREA>;
// Horizontal sums [quantity][row][column]: quantities x, y, x², y², xy.
var<workgroup> row_sums: array<f32, 2080>; // 5 × SSIM_ROW_AREA

@compute @workgroup_size(16, 16)
fn main(
  @builtin(workgroup_id) workgroup_id: vec3u,
  @builtin(local_invocation_id) local: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  fill_ssim_window();
  let channel = workgroup_id.z;
  for (var i = t; i < SSIM_SPAN_AREA; i += 256u) {
    let e = ssim_apron_element(i, workgroup_id.xy, channel, params.width, params.height);
    var xv = 0.0;
    var yv = 0.0;
    if (e >= 0) {
      xv = rendered[e];
      yv = target_image[e];
    }
    x_tile[i] = xv;
    y_tile[i] = yv;
  }
  workgroupBarrier();

  for (var i = t; i < SSIM_ROW_AREA; i += 256u) {
    let first = (i / SSIM_TILE) * SSIM_SPAN + i % SSIM_TILE;
    var sx = 0.0;
    var sy = 0.0;
    var sxx = 0.0;
    var syy = 0.0;
    var sxy = 0.0;
    for (var k = 0u; k < SSIM_TAPS; k++) {
      let w = ssim_window[k];
      let a = x_tile[first + k];
      let b = y_tile[first + k];
      sx += w * a;
      sy += w * b;
      sxx += w * a * a;
      syy += w * b * b;
      sxy += w * a * b;
    }
    row_sums[i] = sx;
    row_sums[SSIM_ROW_AREA + i] = sy;
    row_sums[2u * SSIM_ROW_AREA + i] = sxx;
    row_sums[3u * SSIM_ROW_AREA + i] = syy;
    row_sums[4u * SSIM_ROW_AREA + i] = sxy;
  }
  workgroupBarrier();

  let px = workgroup_id.x * SSIM_TILE + local.x;
  let py = workgroup_id.y * SSIM_TILE + local.y;
  if (px >= params.width || py >= params.height) { return; }
  var m1 = 0.0;
  var m2 = 0.0;
  var m11 = 0.0;
  var m22 = 0.0;
  var m12 = 0.0;
  for (var k = 0u; k < SSIM_TAPS; k++) {
    let w = ssim_window[k];
    let j = (local.y + k) * SSIM_TILE + local.x;
    m1 += w * row_sums[j];
    m2 += w * row_sums[SSIM_ROW_AREA + j];
    m11 += w * row_sums[2u * SSIM_ROW_AREA + j];
    m22 += w * row_sums[3u * SSIM_ROW_AREA + j];
    m12 += w * row_sums[4u * SSIM_ROW_AREA + j];
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

  let n = 3u * params.width * params.height;
  let e = (py * params.width + px) * 3u + channel;
  coefficients[e] = d_mu - 2.0 * m1 * d_var - m2 * d_cov;
  coefficients[n + e] = d_var;
  coefficients[2u * n + e] = d_cov;
  terms[2u * n + e] = s * params.inv_count;
}
