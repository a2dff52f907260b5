// Shared by the SSIM kernels (ssim_*.wgsl, src/train/losses/image-loss.ts): their parameters
// (binding 0), the image layout and the window.
// Images are H × W × 3 f32 row-major, element e = (py·W + px)·3 + c, N = H·W·3; maps of several
// images stack them (map k of element e at k·N + e).
// The SSIM window of pytorch-ssim / 3DGS: an 11-tap Gaussian, σ = 1.5 (2σ² = 4.5), normalised to
// sum 1, applied separably (the 2D window is its outer product). Taps outside the image are
// skipped, which is F.conv2d's zero padding = 5 ('same' output size).
// Needs helpers/dispatch.wgsl.

struct SsimParams {
  width: u32,
  height: u32,
  scale: f32, // ssim_forward: 1 / N; ssim_backward: −ssim_weight / N; unused by the row blurs
  _pad: u32,
}

@group(0) @binding(0) var<uniform> params: SsimParams;

const SSIM_RADIUS: i32 = 5;
const SSIM_WINDOW_SUM = 1.0 + 2.0 * (exp(-1.0 / 4.5) + exp(-4.0 / 4.5) + exp(-9.0 / 4.5) + exp(-16.0 / 4.5) + exp(-25.0 / 4.5));
const SSIM_WINDOW = array<f32, 11>(
  exp(-25.0 / 4.5) / SSIM_WINDOW_SUM, exp(-16.0 / 4.5) / SSIM_WINDOW_SUM, exp(-9.0 / 4.5) / SSIM_WINDOW_SUM,
  exp(-4.0 / 4.5) / SSIM_WINDOW_SUM, exp(-1.0 / 4.5) / SSIM_WINDOW_SUM, 1.0 / SSIM_WINDOW_SUM,
  exp(-1.0 / 4.5) / SSIM_WINDOW_SUM, exp(-4.0 / 4.5) / SSIM_WINDOW_SUM, exp(-9.0 / 4.5) / SSIM_WINDOW_SUM,
  exp(-16.0 / 4.5) / SSIM_WINDOW_SUM, exp(-25.0 / 4.5) / SSIM_WINDOW_SUM,
);

/** Window weight of the tap at offset d (−5…5) from the centre. */
fn ssim_weight(d: i32) -> f32 {
  return SSIM_WINDOW[u32(d + SSIM_RADIUS)];
}

/** The first and last in-image offsets of the window around coordinate `at` along an axis of `size` pixels. */
fn ssim_taps(at: u32, size: u32) -> vec2i {
  return vec2i(max(-SSIM_RADIUS, -i32(at)), min(SSIM_RADIUS, i32(size) - 1 - i32(at)));
}

/** N = H·W·3, the elements of one image. */
fn ssim_count() -> u32 {
  return 3u * params.width * params.height;
}

/** The first and last in-image offsets of the window along the row of element e. */
fn ssim_row_taps(e: u32) -> vec2i {
  return ssim_taps((e / 3u) % params.width, params.width);
}

/** The first and last in-image offsets of the window along the column of element e. */
fn ssim_column_taps(e: u32) -> vec2i {
  return ssim_taps(e / (3u * params.width), params.height);
}

/** The element d pixels along the row from element e (same channel). */
fn ssim_row_neighbour(e: u32, d: i32) -> u32 {
  return u32(i32(e) + 3 * d);
}

/** The element d pixels along the column from element e (same channel). */
fn ssim_column_neighbour(e: u32, d: i32) -> u32 {
  return u32(i32(e) + 3 * i32(params.width) * d);
}
