/**
 * The training target on the GPU (wgsl/composite_target.wgsl): a ground-truth frame composited
 * on the known background colour with its person mask, target = m·image + (1 − m)·background,
 * so the background of the target is exactly what the rasterizer draws behind the avatar.
 *
 * Buffer layouts (f32, STORAGE usage):
 * - image, target: H × W × 3 linear RGB in 0…1, row-major, top row first.
 * - mask: H × W in 0…1 (1 = person), same pixel order; clamped to 0…1 on the GPU.
 */
import dispatchHelpers from '../../../wgsl/helpers/dispatch.wgsl';
import compositeSource from '../../../wgsl/composite_target.wgsl';
import { AvatarInputError, describeValue } from '../../errors.js';
import { BindGroupCache } from '../../gpu/bind-group-cache.js';
import { ConstantBuffers } from '../../gpu/buffers.js';
import { bindBuffers, createPipeline, dispatchItems, f32Bits, requireFloats, requireInteger, requireNoAlias, requireObject } from '../nn/kernel-utils.js';
import { requireDevice } from './require-device.js';

export interface TargetCompositorOptions {
  /** Image width in pixels (≥ 1). */
  width: number;
  /** Image height in pixels (≥ 1). */
  height: number;
}

export interface CompositeArgs {
  /** H × W × 3 f32, the ground-truth frame (linear RGB). */
  image: GPUBuffer;
  /** H × W f32, the person mask in 0…1. */
  mask: GPUBuffer;
  /** Background RGB (3 finite numbers, linear) — the rasterizer's `background`. */
  background: ArrayLike<number>;
  /** Receives the composited target, H × W × 3 f32 (not `image` or `mask`). */
  target: GPUBuffer;
}

export interface TargetCompositor {
  readonly width: number;
  readonly height: number;
  encode(encoder: GPUCommandEncoder, args: CompositeArgs): void;
  encodeInPass(pass: GPUComputePassEncoder, args: CompositeArgs): void;
  destroy(): void;
}

export function createTargetCompositor(device: GPUDevice, options: TargetCompositorOptions): TargetCompositor {
  requireDevice(device);
  requireObject('options', options);
  requireInteger('width', options.width, 1, 65535);
  requireInteger('height', options.height, 1, 65535);
  return new GpuTargetCompositor(device, options.width, options.height);
}

class GpuTargetCompositor implements TargetCompositor {
  private readonly pipeline: GPUComputePipeline;
  private readonly constants: ConstantBuffers;
  private readonly bindGroups = new BindGroupCache();

  constructor(private readonly device: GPUDevice, readonly width: number, readonly height: number) {
    this.pipeline = createPipeline(device, 'composite_target', dispatchHelpers + compositeSource);
    this.constants = new ConstantBuffers(device, 64);
  }

  encode(encoder: GPUCommandEncoder, args: CompositeArgs): void {
    this.check(args);
    const pass = encoder.beginComputePass({ label: 'composite target' });
    this.encodeInPass(pass, args);
    pass.end();
  }

  encodeInPass(pass: GPUComputePassEncoder, args: CompositeArgs): void {
    this.check(args);
    const { image, mask, target, background } = args;
    const pixels = this.width * this.height;
    const params = this.constants.get([pixels, f32Bits(background[0]), f32Bits(background[1]), f32Bits(background[2])]);
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.bindGroups.get([image, mask, target, params], () => bindBuffers(this.device, this.pipeline, [image, mask, target, params])));
    dispatchItems(pass, pixels);
  }

  private check(args: CompositeArgs): void {
    requireObject('composite args', args);
    const pixels = this.width * this.height;
    requireFloats('image', args.image, 3 * pixels);
    requireFloats('mask', args.mask, pixels);
    requireFloats('target', args.target, 3 * pixels);
    requireNoAlias('target', args as unknown as Record<string, unknown>, ['image', 'mask']);
    const bg = args.background;
    const ok = bg !== null && typeof bg === 'object' && (bg as ArrayLike<number>).length === 3 && Array.from(bg).every((v) => typeof v === 'number' && Number.isFinite(v));
    if (!ok) throw new AvatarInputError(`background: expected 3 finite numbers (RGB), got ${describeValue(bg)}${Array.isArray(bg) || ArrayBuffer.isView(bg) ? ` [${Array.from(bg as ArrayLike<number>).join(', ')}]` : ''}`);
  }

  destroy(): void {
    this.constants.destroy();
    this.bindGroups.clear();
  }
}
