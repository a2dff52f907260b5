/**
 * Colour spaces, in one place. The project's convention:
 * - linear RGB 0…1: Gaussian colours (`avatar.gaussians.colors`, the network's colour head), the
 *   rasterizer's image, training targets and losses, alpha compositing;
 * - sRGB 0…1 (display-referred): video frames, ImageData, canvas pixels, CSS colours, PLY `f_dc`
 *   (what splat viewers show as is), backgrounds given by users.
 * Conversions use the sRGB transfer function (IEC 61966-2-1). WGSL twin: wgsl/helpers/srgb.wgsl.
 */

/** sRGB (0…1) → linear (0…1); values outside 0…1 are clamped. */
export function srgbToLinear(value: number): number {
  const c = Math.min(1, Math.max(0, value));
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

/** Linear (0…1) → sRGB (0…1); values outside 0…1 are clamped. */
export function linearToSrgb(value: number): number {
  const c = Math.min(1, Math.max(0, value));
  return c <= 0.0031308 ? 12.92 * c : 1.055 * c ** (1 / 2.4) - 0.055;
}

/** 8-bit sRGB level → linear 0…1, as a 256-entry table (decoding video frames and ImageData). */
export const SRGB8_TO_LINEAR: Float32Array = (() => {
  const table = new Float32Array(256);
  for (let k = 0; k < 256; k++) table[k] = srgbToLinear(k / 255);
  return table;
})();

/** Linear 0…1 → 8-bit sRGB level (rounded). */
export function linearToSrgb8(value: number): number {
  return Math.round(255 * linearToSrgb(Number.isNaN(value) ? 0 : value));
}
