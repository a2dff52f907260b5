/** Peak signal-to-noise ratio from a mean squared error (the image loss reports both). */
import { AvatarInputError, describeValue } from '../../errors.js';

/** The MSE floor of the PSNR, so identical images give 100 dB (for peak 1) instead of Infinity; write_image_loss.wgsl uses the same. */
export const PSNR_MIN_MSE = 1e-10;

/**
 * PSNR in dB = 10·log10(peak² / MSE), MSE floored at 1e-10 (so ≤ 100 dB for peak 1). `peak` is the
 * largest pixel value (1 for the linear-RGB 0…1 images of training).
 */
export function psnrFromMse(mse: number, peak = 1): number {
  if (typeof mse !== 'number' || !Number.isFinite(mse) || mse < 0) {
    throw new AvatarInputError(`mse: expected a finite number ≥ 0, got ${describeValue(mse)}`);
  }
  if (typeof peak !== 'number' || !Number.isFinite(peak) || peak <= 0) {
    throw new AvatarInputError(`peak: expected a finite number > 0, got ${describeValue(peak)}`);
  }
  return 10 * Math.log10((peak * peak) / Math.max(mse, PSNR_MIN_MSE));
}
