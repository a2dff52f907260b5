/**
 * The image loss's summary record: 5 f32 written to `lossOut` at `lossOffset` by
 * wgsl/write_image_loss.wgsl — [loss, L1, SSIM, MSE, PSNR]. Kept free of GPU code so it can be
 * used wherever the floats were read back (a worker, a log).
 */
import { AvatarInputError, describeValue } from '../../errors.js';

/** Floats written to lossOut: loss, L1, SSIM, MSE, PSNR. */
export const IMAGE_LOSS_SUMMARY_FLOATS = 5;
/** Names of the lossOut entries, in order. */
export const IMAGE_LOSS_SUMMARY_FIELDS = ['loss', 'l1', 'ssim', 'mse', 'psnr'] as const;

export interface ImageLossSummary {
  /** l1Weight·L1 + ssimWeight·(1 − SSIM). */
  loss: number;
  /** Mean |rendered − target| over pixels and channels. */
  l1: number;
  /** Mean SSIM (1 = identical). */
  ssim: number;
  /** Mean (rendered − target)². */
  mse: number;
  /** −10·log10(MSE) dB (images in 0…1), at most 100. */
  psnr: number;
}

/** Names the 5 summary floats of `values` starting at f32 index `offset` (e.g. a readBuffer of lossOut). */
export function parseImageLossSummary(values: Float32Array, offset = 0): ImageLossSummary {
  if (!(values instanceof Float32Array)) throw new AvatarInputError(`values: expected a Float32Array, got ${describeValue(values)}`);
  if (!Number.isInteger(offset) || offset < 0 || offset + IMAGE_LOSS_SUMMARY_FLOATS > values.length) {
    throw new AvatarInputError(`offset: expected an integer in 0…${values.length - IMAGE_LOSS_SUMMARY_FLOATS} (5 floats must follow it), got ${describeValue(offset)}`);
  }
  const [loss, l1, ssim, mse, psnr] = values.subarray(offset, offset + IMAGE_LOSS_SUMMARY_FLOATS);
  return { loss, l1, ssim, mse, psnr };
}
