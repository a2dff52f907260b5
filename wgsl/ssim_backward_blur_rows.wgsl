// SSIM backward, first (horizontal) half: row-blurs the three coefficient maps of
// ssim_forward.wgsl, A = ∂S/∂m1, B = ∂S/∂m11, C = ∂S/∂m12:
//   rows[k·N + e] = Σ_d G(d)·coefficients[k·N + e + 3d], k = 0…2, over in-image taps
// The window is symmetric, so this is the adjoint of the forward's zero-padded row blur.
// One thread per element. Needs helpers/dispatch.wgsl, helpers/ssim_window.wgsl.

struct Params {
  width: u32,
  height: u32,
  _pad0: u32,
  _pad1: u32,
}

@group(0) @binding(0) var<storage, read> coefficients: array<f32>;
@group(0) @binding(1) var<storage, read_write> rows: array<f32>;
@group(0) @binding(2) var<uniform> params: Params;

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
  var sa = 0.0;
  var sb = 0.0;
  var sc = 0.0;
  for (var d = taps.x; d <= taps.y; d++) {
    let w = ssim_weight(d);
    let k = u32(i32(e) + 3 * d);
    sa += w * coefficients[k];
    sb += w * coefficients[n + k];
    sc += w * coefficients[2u * n + k];
  }
  rows[e] = sa;
  rows[n + e] = sb;
  rows[2u * n + e] = sc;
}
