/**
 * The appearance network's heads (wgsl/decode_heads*.wgsl): the MLP's 7 raw outputs per Gaussian
 * become a bounded offset, a bounded isotropic scale and a colour:
 *   offset δ = maxOffset · tanh(o[0…2])                              metres, |δ_k| < maxOffset
 *   scale  σ = minScale + (maxScale − minScale) · sigmoid(o[3])       metres
 *   colour c = sigmoid(o[4…6])                                        linear RGB in (0, 1)
 * tanh (rather than the reference's linear ×0.02) keeps every Gaussian within maxOffset of the
 * body surface however the training goes; its slope at 0 equals the reference's scale.
 *
 * Layouts (f32, row-major): raw N × 7, offsets N × 3, scales N, colors N × 3 (what the skinning
 * and splat kernels take). Gradients: same shapes; gradRaw is overwritten.
 */
import dispatchHelpers from '../../../wgsl/helpers/dispatch.wgsl';
import headHelpers from '../../../wgsl/helpers/heads.wgsl';
import forwardSource from '../../../wgsl/decode_heads.wgsl';
import backwardSource from '../../../wgsl/decode_heads_backward.wgsl';
import { AvatarInputError } from '../../errors.js';
import { BindGroupCache } from '../../gpu/bind-group-cache.js';
import { ConstantBuffers } from '../../gpu/buffers.js';
import { bindBuffers, createPipeline, dispatchItems, f32Bits, requireFinite, requireFloats, requireInteger, requireNoAlias, requireObject } from './kernel-utils.js';

/** Raw MLP outputs per Gaussian the heads consume. */
export const HEAD_INPUTS = 7;

export interface HeadOptions {
  /** Bound of each offset component, metres (> 0). Default 0.02. */
  maxOffset?: number;
  /** Smallest scale σ, metres (> 0). Default 0.001. */
  minScale?: number;
  /** Largest scale σ, metres (> minScale). Default 0.02. */
  maxScale?: number;
}

export interface HeadForwardArgs {
  /** N × 7 f32 raw MLP outputs. */
  raw: GPUBuffer;
  /** Receives N × 3 f32 offsets (metres, canonical frame). */
  offsets: GPUBuffer;
  /** Receives N f32 scales σ (metres). */
  scales: GPUBuffer;
  /** Receives N × 3 f32 colours, linear RGB. */
  colors: GPUBuffer;
  count: number;
}

export interface HeadBackwardArgs {
  raw: GPUBuffer;
  /** ∂L/∂offsets N × 3, ∂L/∂scales N, ∂L/∂colors N × 3 (f32). */
  gradOffsets: GPUBuffer;
  gradScales: GPUBuffer;
  gradColors: GPUBuffer;
  /** Receives ∂L/∂raw, N × 7 f32. */
  gradRaw: GPUBuffer;
  count: number;
}

export interface AppearanceHeads {
  readonly maxOffset: number;
  readonly minScale: number;
  readonly maxScale: number;
  encodeForward(encoder: GPUCommandEncoder, args: HeadForwardArgs): void;
  encodeBackward(encoder: GPUCommandEncoder, args: HeadBackwardArgs): void;
  destroy(): void;
}

export function createAppearanceHeads(device: GPUDevice, options: HeadOptions = {}): AppearanceHeads {
  requireObject('options', options);
  const maxOffset = options.maxOffset ?? 0.02;
  const minScale = options.minScale ?? 0.001;
  const maxScale = options.maxScale ?? 0.02;
  requireFinite('maxOffset', maxOffset, 0);
  requireFinite('minScale', minScale, 0);
  requireFinite('maxScale', maxScale, 0);
  if (!(maxOffset > 0)) throw new AvatarInputError(`maxOffset: expected a positive number of metres, got number ${maxOffset}`);
  if (!(minScale > 0 && maxScale > minScale)) {
    throw new AvatarInputError(`maxScale: expected 0 < minScale < maxScale, got minScale ${minScale}, maxScale ${maxScale}`);
  }
  return new GpuHeads(device, maxOffset, minScale, maxScale);
}

class GpuHeads implements AppearanceHeads {
  private readonly constants: ConstantBuffers;
  private readonly bindGroups = new BindGroupCache();
  private readonly forwardPipeline: GPUComputePipeline;
  private readonly backwardPipeline: GPUComputePipeline;

  constructor(private readonly device: GPUDevice, readonly maxOffset: number, readonly minScale: number, readonly maxScale: number) {
    this.constants = new ConstantBuffers(device);
    this.forwardPipeline = createPipeline(device, 'decode_heads', dispatchHelpers + headHelpers + forwardSource);
    this.backwardPipeline = createPipeline(device, 'decode_heads_backward', dispatchHelpers + headHelpers + backwardSource);
  }

  private params(count: number): GPUBuffer {
    return this.constants.get([count, f32Bits(this.maxOffset), f32Bits(this.minScale), f32Bits(this.maxScale)]);
  }

  encodeForward(encoder: GPUCommandEncoder, args: HeadForwardArgs): void {
    requireObject('heads forward args', args);
    const { raw, offsets, scales, colors, count } = args;
    requireInteger('count', count, 0, 2 ** 28);
    requireFloats('raw', raw, HEAD_INPUTS * count);
    requireFloats('offsets', offsets, 3 * count);
    requireFloats('scales', scales, count);
    requireFloats('colors', colors, 3 * count);
    const all = ['raw', 'offsets', 'scales', 'colors'];
    for (const output of all.slice(1)) requireNoAlias(output, args as unknown as Record<string, unknown>, all);
    const params = this.params(count);
    const pipeline = this.forwardPipeline;
    const pass = encoder.beginComputePass({ label: 'decode heads' });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, this.bindGroups.get([pipeline, raw, offsets, scales, colors, params], () => bindBuffers(this.device, pipeline, [raw, offsets, scales, colors, params])));
    dispatchItems(pass, count);
    pass.end();
  }

  encodeBackward(encoder: GPUCommandEncoder, args: HeadBackwardArgs): void {
    requireObject('heads backward args', args);
    const { raw, gradOffsets, gradScales, gradColors, gradRaw, count } = args;
    requireInteger('count', count, 0, 2 ** 28);
    requireFloats('raw', raw, HEAD_INPUTS * count);
    requireFloats('gradOffsets', gradOffsets, 3 * count);
    requireFloats('gradScales', gradScales, count);
    requireFloats('gradColors', gradColors, 3 * count);
    requireFloats('gradRaw', gradRaw, HEAD_INPUTS * count);
    requireNoAlias('gradRaw', args as unknown as Record<string, unknown>, ['raw', 'gradOffsets', 'gradScales', 'gradColors']);
    const params = this.params(count);
    const pipeline = this.backwardPipeline;
    const pass = encoder.beginComputePass({ label: 'decode heads backward' });
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, this.bindGroups.get([pipeline, raw, gradOffsets, gradScales, gradColors, gradRaw, params], () =>
      bindBuffers(this.device, pipeline, [raw, gradOffsets, gradScales, gradColors, gradRaw, params])));
    dispatchItems(pass, count);
    pass.end();
  }

  destroy(): void {
    this.constants.destroy();
    this.bindGroups.clear();
  }
}
