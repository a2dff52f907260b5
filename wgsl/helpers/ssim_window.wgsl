// The SSIM window of pytorch-ssim / 3DGS: an 11-tap Gaussian, σ = 1.5, normalised to sum 1, used
// separably (the 2D window is its outer product). Tiles: 16 × 16 output pixels per workgroup,
// read with a 5-pixel apron on each side (26 × 26); outside the image counts as 0 (F.conv2d
// padding = 5).

const SSIM_RADIUS: u32 = 5u;
const SSIM_TAPS: u32 = 11u;
const SSIM_TILE: u32 = 16u;
const SSIM_SPAN: u32 = 26u; // SSIM_TILE + 2·SSIM_RADIUS
const SSIM_SPAN_AREA: u32 = 676u; // SSIM_SPAN², the apron tile
const SSIM_ROW_AREA: u32 = 416u; // SSIM_SPAN rows × SSIM_TILE columns after the horizontal pass

var<private> ssim_window: array<f32, 11>;

fn fill_ssim_window() {
  var sum = 0.0;
  for (var k = 0u; k < SSIM_TAPS; k++) {
    let d = f32(k) - f32(SSIM_RADIUS);
    ssim_window[k] = exp(-d * d / (2.0 * 1.5 * 1.5));
    sum += ssim_window[k];
  }
  for (var k = 0u; k < SSIM_TAPS; k++) { ssim_window[k] /= sum; }
}

/** The image element (pixel (sx, sy), channel c) of apron-tile entry i, or −1 when it lies outside the image. */
fn ssim_apron_element(i: u32, tile: vec2u, channel: u32, width: u32, height: u32) -> i32 {
  let sx = i32(tile.x * SSIM_TILE + i % SSIM_SPAN) - i32(SSIM_RADIUS);
  let sy = i32(tile.y * SSIM_TILE + i / SSIM_SPAN) - i32(SSIM_RADIUS);
  if (sx < 0 || sy < 0 || sx >= i32(width) || sy >= i32(height)) { return -1; }
  return (sy * i32(width) + sx) * 3 + i32(channel);
}
