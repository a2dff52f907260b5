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
 * Defaults, sized for the browser: widths [8, 16, 32] (3 levels, R divisible by 4), C_in 3 (the
 * posed xyz map). With C_out 16 that is 15 864 parameters and 22 M multiply-adds per forward pass
 * at R = 64 (×4 per doubling of R; backward ≈ 2× forward); see the README's architecture notes.
 *
 * Parameters: 2L convolutions, conv k for k = 0 … L−1 the encoder's e_k, k = L … 2L−2 the decoder's
 * d_{2L−2−k}, k = 2L−1 the output. Each is one buffer of (9·C_in_k + 1) × C_out_k f32 in the matmul
 * layer layout: row (dy·3 + dx)·C_in_k + c holds the weights of input channel c at tap (dy, dx)
 * (dy, dx = 0…2 ↔ offsets −1…+1, row-major window) for every output channel, the last row the bias.
 * Saved tensors: `unet.conv{k}.weight` shape [3, 3, C_in_k, C_out_k] (that same order) and
 * `unet.conv{k}.bias` [C_out_k]; Adam groups `unet.conv{k}`.
 */
import type { NetworkTensor } from '../../avatar/types.js';
import { AvatarInputError, describeValue } from '../../errors.js';
import { createBufferFrom, readBuffer } from '../../gpu/buffers.js';
import { STORAGE_COPYABLE } from '../../gpu/buffer-usage.js';
import { createConv2d, type Conv2d, type ConvActivation } from './conv2d.js';
import { createFeatureMapMask, type FeatureMapMask } from './feature-map-mask.js';
import { heInitLayer, seededUniform } from './init.js';
import { packedLayer, requireTensorRecord } from './saved-tensors.js';
import { requireFinite, requireFloats, requireInteger, requireNoAlias, requireObject, writeFloats } from './kernel-utils.js';
import type { ParameterGroup } from './mlp.js';
import { createUpsampleConcat, type UpsampleConcat } from './upsample-concat.js';
import { unetConvShapes, UNET_DEFAULT_INPUT_CHANNELS, UNET_DEFAULT_WIDTHS, UNET_LEAKY_SLOPE } from './unet-architecture.js';

// Re-exported: the architecture lives in a GPU-free module (CPU evaluation and Node tests use it too).
export { unetConvShapes, UNET_DEFAULT_INPUT_CHANNELS, UNET_DEFAULT_WIDTHS, UNET_LEAKY_SLOPE } from './unet-architecture.js';

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

/** He-normal gain for LeakyReLU inputs: std = sqrt(2 / ((1 + slope²) · fan_in)). */
const LEAKY_GAIN = 1 / Math.sqrt(1 + UNET_LEAKY_SLOPE ** 2);

export function createUNetEncoder(device: GPUDevice, options: UNetEncoderOptions): UNetEncoder {
  requireObject('options', options);
  const widths = options.widths ?? UNET_DEFAULT_WIDTHS;
  if (!Array.isArray(widths) || widths.length < 1 || widths.length > 8) {
    throw new AvatarInputError(`widths: expected an array of 1…8 channel counts (finest level first), got ${describeValue(widths)}`);
  }
  widths.forEach((w, l) => requireInteger(`widths[${l}]`, w, 1, 256));
  const levels = widths.length;
  const { resolution, outputChannels } = options;
  requireInteger('resolution', resolution, 1, 4096);
  if (resolution % 2 ** (levels - 1) !== 0) {
    throw new AvatarInputError(`resolution: expected a multiple of 2^(levels − 1) = ${2 ** (levels - 1)} for ${levels} levels, got ${resolution}`);
  }
  requireInteger('outputChannels', outputChannels, 1, 1024);
  const inputChannels = options.inputChannels ?? UNET_DEFAULT_INPUT_CHANNELS;
  requireInteger('inputChannels', inputChannels, 1, 256);
  const plane = resolution * resolution;
  if (options.mask !== undefined) {
    const { mask } = options;
    if (!(mask instanceof Float32Array) || mask.length !== plane) {
      throw new AvatarInputError(`mask: expected a Float32Array of resolution² = ${plane} values, got ${describeValue(mask)}`);
    }
    for (let k = 0; k < plane; k++) {
      if (!(mask[k] >= 0 && mask[k] <= 1)) throw new AvatarInputError(`mask: expected values in [0, 1], got ${mask[k]} at index ${k}`);
    }
  }
  const trainable = options.trainable ?? true;
  if (typeof trainable !== 'boolean') throw new AvatarInputError(`trainable: expected a boolean, got ${describeValue(trainable)}`);
  const seed = options.seed ?? 1;
  requireInteger('seed', seed, 0, 2 ** 32 - 1);
  const outputGain = options.outputGain ?? 0;
  requireFinite('outputGain', outputGain, 0);
  const shapes = unetConvShapes(inputChannels, outputChannels, widths);
  const widestMap = Math.max(inputChannels, outputChannels, ...widths.map((w, l) => (w + (widths[l + 1] ?? 0)) / 4 ** l));
  const limit = device.limits.maxStorageBufferBindingSize;
  if (4 * widestMap * plane > limit) {
    throw new AvatarInputError(`resolution: the largest feature map (${Math.ceil(4 * widestMap * plane)} bytes) exceeds this device's maxStorageBufferBindingSize ${limit}`);
  }
  let initial: Float32Array[];
  if (options.weights !== undefined) {
    initial = convsFromTensors(shapes, options.weights);
  } else {
    const uniform = seededUniform(seed);
    initial = shapes.map(({ inputs, outputs }, k) => heInitLayer(9 * inputs, outputs, uniform, k === shapes.length - 1 ? outputGain : k === 0 ? 1 : LEAKY_GAIN));
  }
  return new GpuUNetEncoder(device, resolution, inputChannels, outputChannels, [...widths], trainable, options.mask, initial);
}

/** Checks saved tensors against the architecture and packs them into the conv layer layout. */
function convsFromTensors(shapes: { inputs: number; outputs: number }[], tensors: Record<string, NetworkTensor>): Float32Array[] {
  requireTensorRecord(tensors);
  return shapes.map(({ inputs, outputs }, k) => packedLayer(tensors, `unet.conv${k}`, [3, 3, inputs, outputs]));
}

/** One conv of the network: what it reads and writes (buffers of the forward pass) and its shape. */
interface ConvStep {
  k: number;
  /** Its input; null for conv 0 without a mask (the caller's input map). */
  input: GPUBuffer | null;
  output: GPUBuffer;
  inChannels: number;
  outChannels: number;
  size: number;
  stride: 1 | 2;
  activation: ConvActivation;
}

class GpuUNetEncoder implements UNetEncoder {
  readonly output: GPUBuffer;
  readonly convBuffers: GPUBuffer[];
  readonly parameters: ParameterGroup[] = [];
  private readonly conv: Conv2d;
  private readonly join: UpsampleConcat;
  private readonly masking?: FeatureMapMask;
  private readonly maskBuffer?: GPUBuffer;
  /** The masked input (with a mask). */
  private readonly maskedInput?: GPUBuffer;
  /** The last conv's unmasked output (with a mask). */
  private readonly rawOutput?: GPUBuffer;
  /** e_l pre-activations, l = 0 … L−1. */
  private readonly encoded: GPUBuffer[] = [];
  /** [up2(d_{l+1}), e_l] and d_l pre-activations, l = 0 … L−2. */
  private readonly joined: GPUBuffer[] = [];
  private readonly decoded: GPUBuffer[] = [];
  /** Training: the gradients of the same maps (and of the raw output with a mask). */
  private readonly gradEncoded: GPUBuffer[] = [];
  private readonly gradJoined: GPUBuffer[] = [];
  private readonly gradDecoded: GPUBuffer[] = [];
  private readonly gradRawOutput?: GPUBuffer;
  private readonly steps: ConvStep[] = [];
  private readonly owned: GPUBuffer[] = [];
  private forwardEncoded = false;

  constructor(
    private readonly device: GPUDevice,
    readonly resolution: number,
    readonly inputChannels: number,
    readonly outputChannels: number,
    readonly widths: readonly number[],
    readonly trainable: boolean,
    mask: Float32Array | undefined,
    initial: Float32Array[],
  ) {
    const levels = widths.length;
    const size = (l: number) => resolution >> l;
    const map = (label: string, channels: number, level: number) => this.own(device.createBuffer({ label: `unet ${label}`, size: 4 * channels * size(level) ** 2, usage: STORAGE_COPYABLE }));
    this.conv = createConv2d(device);
    this.join = createUpsampleConcat(device);
    this.output = map('output', outputChannels, 0);
    this.convBuffers = initial.map((data, k) => this.own(createBufferFrom(device, data, STORAGE_COPYABLE, `unet conv${k}`)));
    if (mask) {
      this.masking = createFeatureMapMask(device);
      this.maskBuffer = this.own(createBufferFrom(device, mask, GPUBufferUsage.STORAGE, 'unet mask'));
      this.maskedInput = map('masked input', inputChannels, 0);
      this.rawOutput = map('raw output', outputChannels, 0);
    }
    for (let l = 0; l < levels; l++) this.encoded.push(map(`e${l}`, widths[l], l));
    for (let l = 0; l < levels - 1; l++) {
      this.joined.push(map(`joined${l}`, widths[l + 1] + widths[l], l));
      this.decoded.push(map(`d${l}`, widths[l], l));
    }
    // The steps in forward order (see the module comment for k).
    const step = (k: number, input: GPUBuffer | null, output: GPUBuffer, inChannels: number, outChannels: number, level: number, stride: 1 | 2, activation: ConvActivation) =>
      this.steps.push({ k, input, output, inChannels, outChannels, size: size(level), stride, activation });
    step(0, this.maskedInput ?? null, this.encoded[0], inputChannels, widths[0], 0, 1, 'identity');
    for (let l = 1; l < levels; l++) step(l, this.encoded[l - 1], this.encoded[l], widths[l - 1], widths[l], l - 1, 2, 'leaky_relu');
    for (let l = levels - 2; l >= 0; l--) step(2 * levels - 2 - l, this.joined[l], this.decoded[l], widths[l + 1] + widths[l], widths[l], l, 1, 'leaky_relu');
    step(2 * levels - 1, this.decodedMap(0), this.rawOutput ?? this.output, widths[0], outputChannels, 0, 1, 'leaky_relu');
    if (trainable) {
      for (let l = 0; l < levels; l++) this.gradEncoded.push(map(`grad e${l}`, widths[l], l));
      for (let l = 0; l < levels - 1; l++) {
        this.gradJoined.push(map(`grad joined${l}`, widths[l + 1] + widths[l], l));
        this.gradDecoded.push(map(`grad d${l}`, widths[l], l));
      }
      if (mask) this.gradRawOutput = map('grad raw output', outputChannels, 0);
      this.convBuffers.forEach((buffer, k) => {
        const grad = this.own(device.createBuffer({ label: `unet conv${k} grad`, size: buffer.size, usage: STORAGE_COPYABLE }));
        this.parameters.push({ name: `unet.conv${k}`, buffer, grad, count: initial[k].length });
      });
    }
  }

  private own(buffer: GPUBuffer): GPUBuffer {
    this.owned.push(buffer);
    return buffer;
  }

  /** d_l: the decoder's map at level l (d_{L−1} = e_{L−1}). */
  private decodedMap(l: number): GPUBuffer {
    return l === this.widths.length - 1 ? this.encoded[l] : this.decoded[l];
  }

  private gradDecodedMap(l: number): GPUBuffer {
    return l === this.widths.length - 1 ? this.gradEncoded[l] : this.gradDecoded[l];
  }

  private shape(s: ConvStep) {
    return { inChannels: s.inChannels, outChannels: s.outChannels, width: s.size, height: s.size, stride: s.stride, inputActivation: s.activation };
  }

  encodeForward(encoder: GPUCommandEncoder, args: UNetForwardArgs): void {
    this.checkInput('unet forward args', args);
    const plane = this.resolution ** 2;
    const levels = this.widths.length;
    const pass = encoder.beginComputePass({ label: 'unet encoder forward' });
    if (this.masking) this.masking.apply(pass, { channels: this.inputChannels, plane, map: args.input, mask: this.maskBuffer!, masked: this.maskedInput! });
    const run = (s: ConvStep) => this.conv.forward(pass, { ...this.shape(s), input: s.input ?? args.input, layer: this.convBuffers[s.k], output: s.output });
    for (let k = 0; k < levels; k++) run(this.steps[k]);
    for (let l = levels - 2; l >= 0; l--) {
      const size = this.resolution >> l;
      this.join.forward(pass, { lowChannels: this.widths[l + 1], skipChannels: this.widths[l], width: size, height: size, low: this.decodedMap(l + 1), skip: this.encoded[l], joined: this.joined[l] });
      run(this.steps[2 * levels - 2 - l]);
    }
    run(this.steps[2 * levels - 1]);
    if (this.masking) this.masking.apply(pass, { channels: this.outputChannels, plane, map: this.rawOutput!, mask: this.maskBuffer!, masked: this.output });
    pass.end();
    this.forwardEncoded = true;
  }

  encodeBackward(encoder: GPUCommandEncoder, args: UNetBackwardArgs): void {
    if (!this.trainable) throw new AvatarInputError('encodeBackward: this U-Net encoder was created with trainable: false (no gradient buffers)');
    this.checkInput('unet backward args', args);
    requireFloats('gradOutput', args.gradOutput, this.outputChannels * this.resolution ** 2);
    requireNoAlias('gradOutput', { gradOutput: args.gradOutput, input: args.input, output: this.output }, ['input', 'output']);
    if (!this.forwardEncoded) throw new AvatarInputError('encodeBackward: expected an encodeForward before (the backward pass reads its maps)');
    const plane = this.resolution ** 2;
    const levels = this.widths.length;
    const grads = this.parameters.map((p) => p.grad);
    const pass = encoder.beginComputePass({ label: 'unet encoder backward' });
    let gradOutput = args.gradOutput;
    if (this.masking) {
      this.masking.apply(pass, { channels: this.outputChannels, plane, map: gradOutput, mask: this.maskBuffer!, masked: this.gradRawOutput! });
      gradOutput = this.gradRawOutput!;
    }
    // One conv backwards: its layer gradient, then (unless it is conv 0) its input's gradient.
    const back = (s: ConvStep, grad: GPUBuffer, gradInput: GPUBuffer | null, accumulate: boolean) => {
      const input = s.input ?? args.input;
      this.conv.backwardLayer(pass, { ...this.shape(s), input, gradOutput: grad, gradLayer: grads[s.k] });
      if (gradInput) this.conv.backwardInput(pass, { ...this.shape(s), gradOutput: grad, layer: this.convBuffers[s.k], input, gradInput, accumulate });
    };
    back(this.steps[2 * levels - 1], gradOutput, this.gradDecodedMap(0), false);
    for (let l = 0; l <= levels - 2; l++) {
      const size = this.resolution >> l;
      back(this.steps[2 * levels - 2 - l], this.gradDecoded[l], this.gradJoined[l], false);
      this.join.backward(pass, { lowChannels: this.widths[l + 1], skipChannels: this.widths[l], width: size, height: size, gradJoined: this.gradJoined[l], gradLow: this.gradDecodedMap(l + 1), gradSkip: this.gradEncoded[l] });
    }
    // Each e_{l−1} (l < L) already holds the skip connection's gradient: add the downsampling path's.
    for (let l = levels - 1; l >= 1; l--) back(this.steps[l], this.gradEncoded[l], this.gradEncoded[l - 1], true);
    back(this.steps[0], this.gradEncoded[0], null, false);
    pass.end();
  }

  private checkInput(what: string, args: UNetForwardArgs): void {
    requireObject(what, args);
    requireFloats('input', args.input, this.inputChannels * this.resolution ** 2);
    const internal = [this.output, ...this.owned];
    if (internal.includes(args.input)) throw new AvatarInputError('input: expected a buffer of the caller, not one of the encoder\'s own');
  }

  async readWeights(): Promise<Record<string, NetworkTensor>> {
    const shapes = unetConvShapes(this.inputChannels, this.outputChannels, this.widths);
    const tensors: Record<string, NetworkTensor> = {};
    for (const [k, { inputs, outputs }] of shapes.entries()) {
      const data = new Float32Array(await readBuffer(this.device, this.convBuffers[k]));
      tensors[`unet.conv${k}.weight`] = { shape: [3, 3, inputs, outputs], data: data.slice(0, 9 * inputs * outputs) };
      tensors[`unet.conv${k}.bias`] = { shape: [outputs], data: data.slice(9 * inputs * outputs, (9 * inputs + 1) * outputs) };
    }
    return tensors;
  }

  writeWeights(tensors: Record<string, NetworkTensor>): void {
    const layers = convsFromTensors(unetConvShapes(this.inputChannels, this.outputChannels, this.widths), tensors);
    layers.forEach((layer, k) => writeFloats(this.device, this.convBuffers[k], layer));
  }

  destroy(): void {
    for (const buffer of this.owned) buffer.destroy();
    this.conv.destroy();
    this.join.destroy();
    this.masking?.destroy();
  }
}
