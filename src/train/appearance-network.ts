/**
 * The dynamic appearance network on the GPU, for training and for playback: per Gaussian,
 *   input  = [ F̃ sampled bilinearly at the Gaussian's UV (C) | pose code of the frame (P) ]
 *   raw    = MLP(input)  (layers [C + P, hidden…, 7], ReLU)
 *   offset δ, scale σ, colour c = heads(raw)   (see nn/heads.ts: bounded δ and σ, sigmoid colour, linear RGB)
 *   displaced = canonical + δ  (then skinned by the caller)
 * with F̃ = F, the optimisable feature tensor, or, with the pose encoder (config.poseEncoder,
 * POSE_ENCODER_ARCHITECTURE, the paper's stage 2), F̃ = F + U-Net(posed UV positional map of the
 * frame) texel for texel (posed-uv-map.ts → nn/unet-encoder.ts → wgsl/add_pose_features.wgsl), P = 0.
 * Stage 1 feeds no pose input and trains F and the MLP; stage 2 freezes F and trains the pose
 * branch: the MLP with the global pose code (the layer-0 rows that read it start at zero), or the
 * U-Net (its output conv starts at zero) and the MLP. Either way stage 2 starts from exactly the
 * function stage 1 ended with.
 *
 * Saved weights (`AppearanceNetworkWeights`, architecture APPEARANCE_ARCHITECTURE or POSE_ENCODER_ARCHITECTURE):
 * - tensors `features` [C, R_f, R_f] (channel-major, row 0 = top of the UV square, as
 *   nn/feature-tensor.ts), `layer{l}.weight` [in, out] row-major and `layer{l}.bias` [out] (nn/mlp.ts),
 *   with the encoder `unet.conv{k}.weight` / `.bias` (nn/unet-encoder.ts);
 * - config: featureChannels C, featureResolution R_f, poseCodeLength P, hidden (comma-separated
 *   widths), activation, maxOffset, minScale, maxScale (metres); with the encoder encoderWidths
 *   (comma-separated) and encoderInputChannels.
 *
 * Buffers (f32, N = Gaussians): `input` N × (C + P), `raw` N × 7, `offsets` N × 3, `scales` N,
 * `colors` N × 3, `displaced` N × 3 — all STORAGE | COPY_SRC | COPY_DST.
 */
import dispatchHelpers from '../../wgsl/helpers/dispatch.wgsl';
import displaceSource from '../../wgsl/displace_gaussians.wgsl';
import addPoseFeaturesSource from '../../wgsl/add_pose_features.wgsl';
import type { BodyForwardResult } from '../body/types.js';
import type { AppearanceNetworkWeights, Avatar, NetworkTensor } from '../avatar/types.js';
import { appearanceConfigFromWeights, architectureOf, configRecord, type AppearanceConfig } from './appearance-config.js';
import { AvatarFormatError, describeValue } from '../errors.js';
import { BindGroupCache } from '../gpu/bind-group-cache.js';
import { STORAGE_COPYABLE } from '../gpu/buffer-usage.js';
import { ConstantBuffers, createBufferFrom } from '../gpu/buffers.js';
import { createAppearanceHeads, HEAD_INPUTS, type AppearanceHeads } from './nn/heads.js';
import { createFeatureTensor, uvFromTexels, type FeatureTensor } from './nn/feature-tensor.js';
import { createMlp, type HiddenActivation, type Mlp, type ParameterGroup } from './nn/mlp.js';
import { createPoseCodeBroadcast, type PoseCodeBroadcast } from './nn/pose-code.js';
import { bindBuffers, createPipeline, dispatchItems, writeFloats } from './nn/kernel-utils.js';
import { createUNetEncoder, type UNetEncoder } from './nn/unet-encoder.js';
import { coveredTexelMask, createPosedUvMap, posedUvLayout, type PosedUvLayout, type PosedUvMap } from './posed-uv-map.js';

export { APPEARANCE_ARCHITECTURE, POSE_ENCODER_ARCHITECTURE, appearanceConfigFromWeights, type AppearanceConfig } from './appearance-config.js';

export interface AppearanceNetworkOptions {
  config: AppearanceConfig;
  /** The canonical Gaussians' texel indices (row·R + col) on the R × R UV map, N. */
  texels: Uint32Array;
  /** R, the UV map's resolution. */
  resolution: number;
  /** Canonical (big-pose) centres, N × 3, metres. */
  canonical: Float32Array;
  /** Training (gradients, Adam groups) or playback (forward only). */
  trainable: boolean;
  /**
   * Saved tensors to start from (playback); default a seeded initialisation. A trainable network
   * with a pose encoder whose tensors hold no `unet.*` starts the encoder from its initialisation (stage 2).
   */
  tensors?: Record<string, NetworkTensor>;
  /** With config.poseEncoder: the posed UV map's layout at R_f = config.featureResolution (posedUvLayout). */
  posedLayout?: PosedUvLayout;
  seed?: number;
}

export interface AppearanceBackwardArgs {
  /** ∂L/∂offsets (= ∂L/∂displaced), N × 3. */
  gradOffsets: GPUBuffer;
  /** ∂L/∂scales, N. */
  gradScales: GPUBuffer;
  /** ∂L/∂colors, N × 3. */
  gradColors: GPUBuffer;
  /** Propagate into the feature tensor (stage 1) or not (stage 2: frozen). The pose encoder, when it ran, always gets its gradient. */
  trainFeatures: boolean;
}

export interface AppearanceNetwork {
  readonly config: AppearanceConfig;
  readonly count: number;
  readonly features: FeatureTensor;
  readonly mlp: Mlp;
  readonly offsets: GPUBuffer;
  readonly scales: GPUBuffer;
  readonly colors: GPUBuffer;
  /** canonical + offsets, N × 3: what the skinning takes. */
  readonly displaced: GPUBuffer;
  /** The U-Net pose encoder (config.poseEncoder), else undefined. */
  readonly encoder?: UNetEncoder;
  /** Optimisable groups: `features`, the MLP's `layer{l}`, the encoder's `unet.conv{k}` (empty for playback). */
  readonly parameters: readonly ParameterGroup[];
  /**
   * Sets the pose code used by the following encodeForward (P f32, see pose-code.ts), written with
   * queue.writeBuffer: one code per submitted command buffer. null = zeros (stage 1).
   */
  setPoseCode(code: Float32Array | null): void;
  /**
   * Sets the posed body (body.forward of the frame's pose, trans and betas) whose UV positional map
   * the encoder reads in the following encodeForward (queue.writeBuffer: one per submitted command
   * buffer). null = no pose features (F̃ = F, the stage-1 function). No effect without an encoder.
   */
  setPosedBody(posed: BodyForwardResult | null): void;
  /** Encodes features → MLP → heads → displaced. */
  encodeForward(encoder: GPUCommandEncoder): void;
  /** Encodes the backward pass of the last encodeForward into the parameter groups' gradients. */
  encodeBackward(encoder: GPUCommandEncoder, args: AppearanceBackwardArgs): void;
  /** The weights as saved in an Avatar. */
  readWeights(): Promise<AppearanceNetworkWeights>;
  destroy(): void;
}

export function createAppearanceNetwork(device: GPUDevice, options: AppearanceNetworkOptions): AppearanceNetwork {
  return new GpuAppearanceNetwork(device, options);
}

class GpuAppearanceNetwork implements AppearanceNetwork {
  readonly config: AppearanceConfig;
  readonly count: number;
  readonly features: FeatureTensor;
  readonly mlp: Mlp;
  readonly heads: AppearanceHeads;
  readonly input: GPUBuffer;
  readonly raw: GPUBuffer;
  readonly offsets: GPUBuffer;
  readonly scales: GPUBuffer;
  readonly colors: GPUBuffer;
  readonly displaced: GPUBuffer;
  readonly parameters: ParameterGroup[];
  private readonly canonical: GPUBuffer;
  private readonly code?: GPUBuffer;
  private readonly gradInput?: GPUBuffer;
  private readonly gradRaw?: GPUBuffer;
  private readonly broadcast?: PoseCodeBroadcast;
  private readonly displacePipeline: GPUComputePipeline;
  readonly encoder?: UNetEncoder;
  /** With the encoder: the posed map it reads, and F + pose features (sampled instead of F; its grad is ∂L/∂F̃). */
  private readonly posedMap?: PosedUvMap;
  private readonly conditioned?: FeatureTensor;
  private readonly addPipeline?: GPUComputePipeline;
  private posedIsSet = false;
  /** Whether the last encodeForward ran the encoder (its backward then runs too). */
  private encoderRan = false;
  private readonly constants: ConstantBuffers;
  private readonly bindGroups = new BindGroupCache();
  private readonly stride: number;
  private codeIsZero = true;
  private inputCodeIsZero = true;

  constructor(private readonly device: GPUDevice, options: AppearanceNetworkOptions) {
    const config = (this.config = { ...options.config, hidden: [...options.config.hidden] });
    const N = (this.count = options.texels.length);
    const C = config.featureChannels, P = config.poseCodeLength;
    this.stride = C + P;
    const uv = uvFromTexels(options.texels, options.resolution);
    const tensors = options.tensors;
    const featureData = tensors?.features;
    if (tensors && !featureData) throw new AvatarFormatError('network.tensors.features: expected a [C, R, R] tensor, got nothing');
    this.features = createFeatureTensor(device, {
      channels: C, resolution: config.featureResolution, uv, trainable: options.trainable,
      data: featureData?.data, seed: options.seed ?? 1, initStd: 0.1,
    });
    const layers = [this.stride, ...config.hidden, HEAD_INPUTS];
    this.mlp = createMlp(device, {
      layers, activation: config.activation, maxRows: Math.max(1, N), trainable: options.trainable,
      weights: tensors, seed: (options.seed ?? 1) + 1, finalLayerGain: 0.1,
    });
    if (!tensors && P > 0) this.zeroPoseCodeRows(layers);
    this.heads = createAppearanceHeads(device, { maxOffset: config.maxOffset, minScale: config.minScale, maxScale: config.maxScale });
    const buffer = (label: string, floats: number) => device.createBuffer({ label: `appearance ${label}`, size: Math.max(16, 4 * floats), usage: STORAGE_COPYABLE });
    this.input = buffer('input', N * this.stride);
    this.raw = buffer('raw', N * HEAD_INPUTS);
    this.offsets = buffer('offsets', 3 * N);
    this.scales = buffer('scales', N);
    this.colors = buffer('colors', 3 * N);
    this.displaced = buffer('displaced', 3 * N);
    this.canonical = createBufferFrom(device, options.canonical, STORAGE_COPYABLE, 'appearance canonical');
    if (P > 0) {
      this.code = buffer('pose code', P);
      this.broadcast = createPoseCodeBroadcast(device);
    }
    if (options.trainable) {
      this.gradInput = buffer('grad input', N * this.stride);
      this.gradRaw = buffer('grad raw', N * HEAD_INPUTS);
    }
    if (config.poseEncoder) {
      const layout = options.posedLayout;
      if (!layout || layout.resolution !== config.featureResolution) {
        throw new AvatarFormatError(`posedLayout: expected the posed UV map's layout at the feature resolution ${config.featureResolution} (posedUvLayout), got ${layout ? `resolution ${layout.resolution}` : 'nothing'}`);
      }
      const hasEncoderTensors = !!tensors && Object.keys(tensors).some((name) => name.startsWith('unet.'));
      this.posedMap = createPosedUvMap(device, layout);
      this.encoder = createUNetEncoder(device, {
        resolution: config.featureResolution, outputChannels: C, inputChannels: config.poseEncoder.inputChannels, widths: config.poseEncoder.widths,
        mask: coveredTexelMask(layout), trainable: options.trainable, seed: (options.seed ?? 1) + 2,
        weights: hasEncoderTensors || !options.trainable ? tensors : undefined,
      });
      this.conditioned = createFeatureTensor(device, {
        channels: C, resolution: config.featureResolution, uv, trainable: options.trainable, data: new Float32Array(C * config.featureResolution ** 2),
      });
      this.addPipeline = createPipeline(device, 'add_pose_features', dispatchHelpers + addPoseFeaturesSource);
    }
    this.parameters = options.trainable ? [...this.features.parameters, ...this.mlp.parameters, ...(this.encoder?.parameters ?? [])] : [];
    this.displacePipeline = createPipeline(device, 'displace_gaussians', dispatchHelpers + displaceSource);
    this.constants = new ConstantBuffers(device);
  }

  /** Zeroes layer 0's weight rows C…C+P−1 (the pose-code inputs), keeping the He init elsewhere. */
  private zeroPoseCodeRows(layers: number[]): void {
    const C = this.config.featureChannels;
    const rowBytes = 4 * layers[1];
    // Layer 0 is (inputs + 1) × outputs row-major: rows C…C+P−1 are contiguous.
    this.device.queue.writeBuffer(this.mlp.layerBuffers[0], C * rowBytes, new Float32Array(this.config.poseCodeLength * layers[1]));
  }

  setPoseCode(code: Float32Array | null): void {
    if (!this.code) return;
    if (code === null) {
      this.codeIsZero = true;
      return;
    }
    if (code.length !== this.config.poseCodeLength) {
      throw new AvatarFormatError(`poseCode: expected ${this.config.poseCodeLength} f32, got ${describeValue(code)}`);
    }
    writeFloats(this.device, this.code, code);
    this.codeIsZero = false;
  }

  setPosedBody(posed: BodyForwardResult | null): void {
    if (!this.posedMap) return;
    if (posed !== null) this.posedMap.writeFrame(posed);
    this.posedIsSet = posed !== null;
  }

  encodeForward(encoder: GPUCommandEncoder): void {
    const N = this.count, C = this.config.featureChannels, P = this.config.poseCodeLength;
    if (P > 0 && this.codeIsZero && !this.inputCodeIsZero) {
      encoder.clearBuffer(this.input);
      this.inputCodeIsZero = true;
    }
    this.encoderRan = !!this.encoder && this.posedIsSet;
    if (this.encoderRan) this.encodePoseFeatures(encoder);
    (this.encoderRan ? this.conditioned! : this.features).encodeSample(encoder, { output: this.input, stride: this.stride, offset: 0 });
    if (P > 0 && !this.codeIsZero) {
      this.broadcast!.encode(encoder, { code: this.code!, output: this.input, length: P, count: N, stride: this.stride, offset: C });
      this.inputCodeIsZero = false;
    }
    this.mlp.encodeForward(encoder, { input: this.input, output: this.raw, count: N });
    this.heads.encodeForward(encoder, { raw: this.raw, offsets: this.offsets, scales: this.scales, colors: this.colors, count: N });
    const pass = encoder.beginComputePass({ label: 'displace gaussians' });
    pass.setPipeline(this.displacePipeline);
    const params = this.constants.get([3 * N]);
    pass.setBindGroup(0, this.bindGroups.get([params], () => bindBuffers(this.device, this.displacePipeline, [this.canonical, this.offsets, this.displaced, params])));
    dispatchItems(pass, 3 * N);
    pass.end();
  }

  /** Posed map → U-Net → conditioned = F + pose features. */
  private encodePoseFeatures(encoder: GPUCommandEncoder): void {
    const posedMap = this.posedMap!, unet = this.encoder!, conditioned = this.conditioned!;
    posedMap.encode(encoder);
    unet.encodeForward(encoder, { input: posedMap.map });
    const pass = encoder.beginComputePass({ label: 'add pose features' });
    const pipeline = this.addPipeline!;
    pass.setPipeline(pipeline);
    const elements = this.config.featureChannels * this.config.featureResolution ** 2;
    const params = this.constants.get([elements]);
    pass.setBindGroup(0, this.bindGroups.get([pipeline, params], () => bindBuffers(this.device, pipeline, [this.features.buffer, unet.output, conditioned.buffer, params])));
    dispatchItems(pass, elements);
    pass.end();
  }

  encodeBackward(encoder: GPUCommandEncoder, args: AppearanceBackwardArgs): void {
    const N = this.count;
    const toInput = args.trainFeatures || this.encoderRan;
    this.heads.encodeBackward(encoder, { raw: this.raw, gradOffsets: args.gradOffsets, gradScales: args.gradScales, gradColors: args.gradColors, gradRaw: this.gradRaw!, count: N });
    this.mlp.encodeBackward(encoder, { input: this.input, gradOutput: this.gradRaw!, gradInput: toInput ? this.gradInput : undefined, count: N });
    if (args.trainFeatures) this.features.encodeBackward(encoder, { gradOutput: this.gradInput!, stride: this.stride, offset: 0 });
    if (this.encoderRan) {
      // ∂L/∂F̃ (the sampling's gather), which is ∂L/∂(pose features): F̃ = F + pose features.
      const conditioned = this.conditioned!;
      conditioned.encodeBackward(encoder, { gradOutput: this.gradInput!, stride: this.stride, offset: 0 });
      this.encoder!.encodeBackward(encoder, { input: this.posedMap!.map, gradOutput: conditioned.parameters[0]!.grad });
    }
  }

  async readWeights(): Promise<AppearanceNetworkWeights> {
    const c = this.config;
    return {
      architecture: architectureOf(c),
      config: configRecord(c),
      tensors: { features: await this.features.read(), ...(await this.mlp.readWeights()), ...(this.encoder ? await this.encoder.readWeights() : {}) },
    };
  }

  destroy(): void {
    this.features.destroy();
    this.mlp.destroy();
    this.heads.destroy();
    this.broadcast?.destroy();
    this.encoder?.destroy();
    this.posedMap?.destroy();
    this.conditioned?.destroy();
    this.constants.destroy();
    this.bindGroups.clear();
    for (const b of [this.input, this.raw, this.offsets, this.scales, this.colors, this.displaced, this.canonical, this.code, this.gradInput, this.gradRaw]) b?.destroy();
  }
}

/**
 * The forward-only GPU network of a trained avatar (for playback): per frame, `setPoseCode(poseCode(pose, J))`
 * (global pose code) or `setPosedBody(body.forward(…))` (pose encoder), `encodeForward`, then skin
 * `displaced` and splat with `scales` / `colors`. Throws AvatarFormatError when the avatar has no
 * network of these architectures or its tensors do not fit.
 */
export function createPlaybackNetwork(device: GPUDevice, avatar: Avatar): AppearanceNetwork {
  if (!avatar.network) throw new AvatarFormatError('network: expected a trained avatar (avatar.network), got none');
  const config = appearanceConfigFromWeights(avatar.network);
  const g = avatar.gaussians;
  const posedLayout = config.poseEncoder ? posedUvLayout(avatar.body, config.featureResolution) : undefined;
  return createAppearanceNetwork(device, { config, texels: g.texels, resolution: g.resolution, canonical: g.positions, trainable: false, tensors: avatar.network.tensors, posedLayout });
}
