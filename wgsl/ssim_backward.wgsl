// SSIM backward: adds ∂(−ssim_weight · mean S)/∂x to grad. With A = ∂S/∂m1, B = ∂S/∂m11,
// C = ∂S/∂m12 per element (ssim_forward.wgsl's coefficients), the gradient at input element q is
//   ∂(mean S)/∂x_q = (1/N)·[(G∗A)(q) + 2·x_q·(G∗B)(q) + y_q·(G∗C)(q)]
// — the window is symmetric, so the adjoint of the zero-padded 'same' blur is the same blur of
// the coefficient maps with zero padding. Same tiling as the forward pass: one channel of a 16 × 16
// tile per workgroup, apron tile of A, B, C in workgroup memory, horizontal then vertical pass.
//   grad[e] += scale · (...), scale = −ssim_weight / N   (l1_loss.wgsl wrote grad before)
// Layouts as in ssim_forward.wgsl. Needs helpers/ssim_window.wgsl.

struct Params {
  width: u32,
  height: u32,
  scale: f32, // −ssim_weight / N
  _pad: u32,
}

@group(0) @binding(0) var<storage, read> coefficients: array<f32>;
@group(0) @binding(1) var<storage, read> rendered: array<f32>;
@group(0) @binding(2) var<storage, read> target_image: array<f32>;
@group(0) @binding(3) var<storage, read_write> grad: array<f32>;
@group(0) @binding(4) var<uniform> params: Params;

// Apron tiles of A, B, C [quantity][26 × 26], then their horizontal sums [quantity][26 rows][16].
var<workgroup> coefficient_tile: array<f32, 2028>; // 3 × SSIM_SPAN_AREA
var<workgroup> row_sums: array<f32, 1248>; // 3 × SSIM_ROW_AREA

@compute @workgroup_size(16, 16)
fn main(
  @builtin(workgroup_id) workgroup_id: vec3u,
  @builtin(local_invocation_id) local: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  fill_ssim_window();
  let channel = workgroup_id.z;
  let n = 3u * params.width * params.height;
  for (var i = t; i < SSIM_SPAN_AREA; i += 256u) {
    let e = ssim_apron_element(i, workgroup_id.xy, channel, params.width, params.height);
    var a = 0.0;
    var b = 0.0;
    var c = 0.0;
    if (e >= 0) {
      let k = u32(e);
      a = coefficients[k];
      b = coefficients[n + k];
      c = coefficients[2u * n + k];
    }
    coefficient_tile[i] = a;
    coefficient_tile[SSIM_SPAN_AREA + i] = b;
    coefficient_tile[2u * SSIM_SPAN_AREA + i] = c;
  }
  workgroupBarrier();

  for (var i = t; i < SSIM_ROW_AREA; i += 256u) {
    let first = (i / SSIM_TILE) * SSIM_SPAN + i % SSIM_TILE;
    var sa = 0.0;
    var sb = 0.0;
    var sc = 0.0;
    for (var k = 0u; k < SSIM_TAPS; k++) {
      let w = ssim_window[k];
      sa += w * coefficient_tile[first + k];
      sb += w * coefficient_tile[SSIM_SPAN_AREA + first + k];
      sc += w * coefficient_tile[2u * SSIM_SPAN_AREA + first + k];
    }
    row_sums[i] = sa;
    row_sums[SSIM_ROW_AREA + i] = sb;
    row_sums[2u * SSIM_ROW_AREA + i] = sc;
  }
  workgroupBarrier();

  let px = workgroup_id.x * SSIM_TILE + local.x;
  let py = workgroup_id.y * SSIM_TILE + local.y;
  if (px >= params.width || py >= params.height) { return; }
  var ga = 0.0;
  var gb = 0.0;
  var gc = 0.0;
  for (var k = 0u; k < SSIM_TAPS; k++) {
    let w = ssim_window[k];
    let j = (local.y + k) * SSIM_TILE + local.x;
    ga += w * row_sums[j];
    gb += w * row_sums[SSIM_ROW_AREA + j];
    gc += w * row_sums[2u * SSIM_ROW_AREA + j];
  }
  let e = (py * params.width + px) * 3u + channel;
  grad[e] += params.scale * (ga + 2.0 * rendered[e] * gb + target_image[e] * gc);
}
