/**
 * The U-Net pose encoder's architecture (see unet-encoder.ts): default sizes and the shape of every
 * convolution. No GPU code: the GPU encoder, CPU evaluation and Node tests share it.
 */

/** Channels per level of the default encoder, finest first (its length is the depth). */
export const UNET_DEFAULT_WIDTHS: readonly number[] = [8, 16, 32];
/** Channels of the default input map (the posed surface's x, y, z). */
export const UNET_DEFAULT_INPUT_CHANNELS = 3;
/** Slope of the LeakyReLU for negative inputs. */
export const UNET_LEAKY_SLOPE = 0.2;

/** Input and output channels of every conv of a U-Net (index k as in unet-encoder.ts's module comment). */
export function unetConvShapes(inputChannels: number, outputChannels: number, widths: readonly number[]): { inputs: number; outputs: number; stride: 1 | 2 }[] {
  const levels = widths.length;
  const shapes: { inputs: number; outputs: number; stride: 1 | 2 }[] = [];
  for (let l = 0; l < levels; l++) shapes.push({ inputs: l === 0 ? inputChannels : widths[l - 1], outputs: widths[l], stride: l === 0 ? 1 : 2 });
  for (let l = levels - 2; l >= 0; l--) shapes.push({ inputs: widths[l + 1] + widths[l], outputs: widths[l], stride: 1 });
  shapes.push({ inputs: widths[0], outputs: outputChannels, stride: 1 });
  return shapes;
}
