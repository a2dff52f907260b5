/**
 * The pose encoder of the dynamic appearance network (GaussianAvatar §3.2): a small U-Net over the
 * posed body's UV positional map, giving per-texel pose features that are added to the feature
 * tensor before the per-texel MLP decodes them. It is convolutional over the UV layout, so a bent
 * knee changes the features near the knee only.
 *
 * Layout of every map (input, hidden, output, gradients): channel-major C × R × R f32,
 * map[c, row, col] at c·R² + row·R + col, row 0 = the top of the UV square (v = 1) — the layout of
 * the feature tensor (feature-tensor.ts), so pose features add to it texel for texel, and the
 * feature tensor's bilinear sampling (same UVs) reads them alike.
 *
 * Architecture (L = widths.length levels, w_l = widths[l], level l is R/2^l square, σ = LeakyReLU
 * with slope 0.2 as in the reference's encoder, up2 = nearest 2× upsampling, [a, b] = channel
 * concatenation, every conv 3×3 with zero padding and a bias):
 *   e_0 = conv(x ⊙ mask, C_in → w_0)
 *   e_l = conv_stride2(σ(e_{l−1}), w_{l−1} → w_l)                 l = 1 … L−1
 *   d_{L−1} = e_{L−1};  d_l = conv(σ([up2(d_{l+1}), e_l]), w_{l+1} + w_l → w_l)   l = L−2 … 0
 *   y = conv(σ(d_0), w_0 → C_out) ⊙ mask                            (linear output)
 * No normalisation layers: one frame is one batch. σ is applied as each conv loads its input
 * (buffers hold pre-activations, as in the MLP), and nearest upsampling commutes with σ.
 *
 * Defaults, sized for the browser: widths [16, 32, 64] (3 levels, R divisible by 4), C_in 3 (the
 * posed xyz map); see the README's architecture notes for the measured cost.
 *
 * Parameters: 2L convolutions, conv k for k = 0 … L−1 the encoder's e_k, k = L … 2L−2 the decoder's
 * d_{2L−2−k}, k = 2L−1 the output. Each is one buffer of (9·C_in_k + 1) × C_out_k f32 in the matmul
 * layer layout: row (dy·3 + dx)·C_in_k + c holds the weights of input channel c at tap (dy, dx)
 * (dy, dx = 0…2 ↔ offsets −1…+1, row-major window) for every output channel, the last row the bias.
 * Saved tensors: `unet.conv{k}.weight` shape [3, 3, C_in_k, C_out_k] (that same order) and
 * `unet.conv{k}.bias` [C_out_k]; Adam groups `unet.conv{k}`.
 */
import type { NetworkTensor } from '../../avatar/types.js';
import type { ParameterGroup } from './mlp.js';

/** Channels per level of the default encoder, finest first (its length is the depth). */
export const UNET_DEFAULT_WIDTHS: readonly number[] = [16, 32, 64];
/** Channels of the default input map (the posed surface's x, y, z). */
export const UNET_DEFAULT_INPUT_CHANNELS = 3;
/** Slope of the LeakyReLU for negative inputs. */
export const UNET_LEAKY_SLOPE = 0.2;

export interface UNetEncoderOptions {
  /** R: input and output maps are R × R; 2^(levels−1) must divide R (1…4096). */
  resolution: number;
  /** C_out, pose-feature channels: the feature tensor's channels (1…1024). */
  outputChannels: number;
  /** C_in, channels of the input map. Default 3 (posed xyz). */
  inputChannels?: number;
  /** Channels per level, finest first, 1…8 levels of 1…256 channels. Default UNET_DEFAULT_WIDTHS. */
  widths?: readonly number[];
  /**
   * Optional R × R covered-texel mask (row-major like the maps, 1 = covered, 0 = not): multiplies
   * the input map and the output features, so texels off the body read and give nothing.
   */
  mask?: Float32Array;
  /** Allocate gradients and backward scratch. Default true; false gives a forward-only encoder (playback). */
  trainable?: boolean;
  /** Initial parameters (e.g. from a saved avatar), named as readWeights() returns them. Default: seeded He init. */
  weights?: Record<string, NetworkTensor>;
  /** Seed of the He initialisation. Default 1. */
  seed?: number;
  /**
   * Multiplies the output conv's initial weight std. Default 0: the encoder starts by giving zero
   * features, so stage 2 starts from exactly the function stage 1 ended with.
   */
  outputGain?: number;
}

export interface UNetForwardArgs {
  /** The input map x, C_in × R × R f32 (channel-major, see the module comment). */
  input: GPUBuffer;
}

export interface UNetBackwardArgs {
  /** The input of the preceding encodeForward (the first conv's weight gradient reads it). */
  input: GPUBuffer;
  /** ∂L/∂output, C_out × R × R f32. */
  gradOutput: GPUBuffer;
}

export interface UNetEncoder {
  readonly resolution: number;
  readonly inputChannels: number;
  readonly outputChannels: number;
  readonly widths: readonly number[];
  readonly trainable: boolean;
  /** Receives the pose features of each encodeForward, C_out × R × R f32 (STORAGE | COPY_SRC | COPY_DST). */
  readonly output: GPUBuffer;
  /** Conv k's parameters, (9·C_in_k + 1) × C_out_k f32 (see the module comment). */
  readonly convBuffers: readonly GPUBuffer[];
  /** One group per conv, named `unet.conv{k}` (empty when not trainable). */
  readonly parameters: readonly ParameterGroup[];
  /** Encodes output = U-Net(input). In training mode it keeps every pre-activation for encodeBackward. */
  encodeForward(encoder: GPUCommandEncoder, args: UNetForwardArgs): void;
  /**
   * Encodes the backward pass of the latest encodeForward (encoded after it): writes every conv's
   * gradient (overwritten). No gradient with respect to the input map. Throws AvatarInputError when
   * not trainable.
   */
  encodeBackward(encoder: GPUCommandEncoder, args: UNetBackwardArgs): void;
  /** Reads the parameters back as named tensors (see the module comment). */
  readWeights(): Promise<Record<string, NetworkTensor>>;
  /** Replaces the parameters (queue.writeBuffer). Throws AvatarFormatError on a missing or misshapen tensor. */
  writeWeights(tensors: Record<string, NetworkTensor>): void;
  destroy(): void;
}

/** Input and output channels of every conv of a U-Net (index k as in the module comment). */
export function unetConvShapes(inputChannels: number, outputChannels: number, widths: readonly number[]): { inputs: number; outputs: number; stride: 1 | 2 }[] {
  const levels = widths.length;
  const shapes: { inputs: number; outputs: number; stride: 1 | 2 }[] = [];
  for (let l = 0; l < levels; l++) shapes.push({ inputs: l === 0 ? inputChannels : widths[l - 1], outputs: widths[l], stride: l === 0 ? 1 : 2 });
  for (let l = levels - 2; l >= 0; l--) shapes.push({ inputs: widths[l + 1] + widths[l], outputs: widths[l], stride: 1 });
  shapes.push({ inputs: widths[0], outputs: outputChannels, stride: 1 });
  return shapes;
}

export function createUNetEncoder(device: GPUDevice, options: UNetEncoderOptions): UNetEncoder {
  void device;
  void options;
  throw new Error('createUNetEncoder: not yet implemented');
}
