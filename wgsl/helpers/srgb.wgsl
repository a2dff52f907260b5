// The sRGB transfer function (IEC 61966-2-1), per channel. Gaussian colours, the rasterizer's image
// and training targets are linear RGB; what reaches a screen (canvas, readback for display) is sRGB.
// TypeScript twin: src/color/srgb.ts.
fn linear_to_srgb(c: vec3f) -> vec3f {
  let x = clamp(c, vec3f(0.0), vec3f(1.0));
  let low = 12.92 * x;
  let high = 1.055 * pow(x, vec3f(1.0 / 2.4)) - 0.055;
  return select(high, low, x <= vec3f(0.0031308));
}

fn srgb_to_linear(c: vec3f) -> vec3f {
  let x = clamp(c, vec3f(0.0), vec3f(1.0));
  let low = x / 12.92;
  let high = pow((x + 0.055) / 1.055, vec3f(2.4));
  return select(high, low, x <= vec3f(0.04045));
}

// d linear_to_srgb / dx for one channel: the sRGB curve's slope, 0 where the input is clamped.
fn linear_to_srgb_slope(x: f32) -> f32 {
  if (x < 0.0 || x > 1.0) { return 0.0; }
  if (x <= 0.0031308) { return 12.92; }
  return (1.055 / 2.4) * pow(x, 1.0 / 2.4 - 1.0);
}
