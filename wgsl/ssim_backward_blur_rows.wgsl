// SSIM backward, first (horizontal) half: row-blurs the three coefficient maps of
// ssim_forward.wgsl, A = ∂S/∂m1, B = ∂S/∂m11, C = ∂S/∂m12:
//   rows[k·N + e] = Σ_d G(d)·coefficients[k·N + row_neighbour(e, d)], k = 0…2, over in-image taps
// The window is symmetric, so this is the adjoint of the forward's zero-padded row blur.
// Layouts and parameters: helpers/ssim_window.wgsl. One thread per element.
// Needs helpers/dispatch.wgsl, helpers/ssim_window.wgsl.

@group(0) @binding(1) var<storage, read> coefficients: array<f32>;
@group(0) @binding(2) var<storage, read_write> rows: array<f32>;

@compute @workgroup_size(ITEM_THREADS)
fn main(thread: ItemThread) {
  let n = ssim_count();
  let e = item_index(thread);
  if (e >= n) { return; }
  let taps = ssim_row_taps(e);
  var sa = 0.0;
  var sb = 0.0;
  var sc = 0.0;
  for (var d = taps.x; d <= taps.y; d++) {
    let w = ssim_weight(d);
    let k = ssim_row_neighbour(e, d);
    sa += w * coefficients[k];
    sb += w * coefficients[n + k];
    sc += w * coefficients[2u * n + k];
  }
  rows[e] = sa;
  rows[n + e] = sb;
  rows[2u * n + e] = sc;
}
