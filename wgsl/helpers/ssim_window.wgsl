// The SSIM window of pytorch-ssim / 3DGS: an 11-tap Gaussian, σ = 1.5 (2σ² = 4.5), normalised to
// sum 1, applied separably (the 2D window is its outer product). Taps outside the image are
// skipped, which is F.conv2d's zero padding = 5 ('same' output size).

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
