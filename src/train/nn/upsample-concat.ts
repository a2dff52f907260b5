/**
 * The U-Net decoder's join on the GPU (wgsl/upsample_concat*.wgsl): [up2(low), skip], nearest 2×
 * upsampling of the coarser map concatenated with the skip connection, and its backward pass.
 *
 * Layouts (f32, channel-major as conv2d.ts): low C_low × ⌈H/2⌉ × ⌈W/2⌉, skip C_skip × H × W,
 * joined (C_low + C_skip) × H × W (the upsampled channels first). The backward pass overwrites
 * ∂L/∂low and ∂L/∂skip.
 */
import dispatchHelpers from '../../../wgsl/helpers/dispatch.wgsl';
import forwardSource from '../../../wgsl/upsample_concat.wgsl';
import backwardSource from '../../../wgsl/upsample_concat_backward.wgsl';
import { BindGroupCache } from '../../gpu/bind-group-cache.js';
import { ConstantBuffers } from '../../gpu/buffers.js';
import { MAX_CONV_CHANNELS, MAX_CONV_SIZE } from './conv2d.js';
import { bindBuffers, createPipeline, dispatchItems, requireFloats, requireInteger, requireNoAlias, requireObject } from './kernel-utils.js';

export interface UpsampleConcatShape {
  /** C_low (1…4096). */
  lowChannels: number;
  /** C_skip (1…4096). */
  skipChannels: number;
  /** W and H of the skip and joined maps (1…8192). */
  width: number;
  height: number;
}

export interface UpsampleConcatArgs extends UpsampleConcatShape {
  low: GPUBuffer;
  skip: GPUBuffer;
  /** Receives [up2(low), skip]. */
  joined: GPUBuffer;
}

export interface UpsampleConcatBackwardArgs extends UpsampleConcatShape {
  gradJoined: GPUBuffer;
  /** Receives ∂L/∂low (2×2 block sums). */
  gradLow: GPUBuffer;
  /** Receives ∂L/∂skip. */
  gradSkip: GPUBuffer;
}

export interface UpsampleConcat {
  forward(pass: GPUComputePassEncoder, args: UpsampleConcatArgs): void;
  backward(pass: GPUComputePassEncoder, args: UpsampleConcatBackwardArgs): void;
  destroy(): void;
}

export function createUpsampleConcat(device: GPUDevice): UpsampleConcat {
  return new GpuUpsampleConcat(device);
}

class GpuUpsampleConcat implements UpsampleConcat {
  private readonly constants: ConstantBuffers;
  private readonly bindGroups = new BindGroupCache();
  private readonly forwardPipeline: GPUComputePipeline;
  private backwardPipeline?: GPUComputePipeline;

  constructor(private readonly device: GPUDevice) {
    this.constants = new ConstantBuffers(device);
    this.forwardPipeline = createPipeline(device, 'upsample_concat', dispatchHelpers + forwardSource);
  }

  forward(pass: GPUComputePassEncoder, args: UpsampleConcatArgs): void {
    const shape = this.checkShape(args);
    requireFloats('low', args.low, shape.lowFloats);
    requireFloats('skip', args.skip, shape.skipFloats);
    requireFloats('joined', args.joined, shape.lowChannelsFloats + shape.skipFloats);
    requireNoAlias('joined', args as unknown as Record<string, unknown>, ['low', 'skip']);
    this.dispatch(pass, this.forwardPipeline, [shape.params, args.low, args.skip, args.joined], shape.lowChannelsFloats + shape.skipFloats);
  }

  backward(pass: GPUComputePassEncoder, args: UpsampleConcatBackwardArgs): void {
    const shape = this.checkShape(args);
    requireFloats('gradJoined', args.gradJoined, shape.lowChannelsFloats + shape.skipFloats);
    requireFloats('gradLow', args.gradLow, shape.lowFloats);
    requireFloats('gradSkip', args.gradSkip, shape.skipFloats);
    const named = args as unknown as Record<string, unknown>;
    requireNoAlias('gradLow', named, ['gradJoined', 'gradSkip']);
    requireNoAlias('gradSkip', named, ['gradJoined']);
    this.backwardPipeline ??= createPipeline(this.device, 'upsample_concat_backward', dispatchHelpers + backwardSource);
    this.dispatch(pass, this.backwardPipeline, [shape.params, args.gradJoined, args.gradLow, args.gradSkip], shape.lowFloats + shape.skipFloats);
  }

  private dispatch(pass: GPUComputePassEncoder, pipeline: GPUComputePipeline, buffers: GPUBuffer[], items: number): void {
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, this.bindGroups.get([pipeline, ...buffers], () => bindBuffers(this.device, pipeline, buffers)));
    dispatchItems(pass, items);
  }

  private checkShape(args: UpsampleConcatShape) {
    requireObject('upsample-concat args', args);
    requireInteger('lowChannels', args.lowChannels, 1, MAX_CONV_CHANNELS);
    requireInteger('skipChannels', args.skipChannels, 1, MAX_CONV_CHANNELS);
    requireInteger('width', args.width, 1, MAX_CONV_SIZE);
    requireInteger('height', args.height, 1, MAX_CONV_SIZE);
    const { lowChannels, skipChannels, width, height } = args;
    const plane = width * height;
    return {
      lowFloats: lowChannels * Math.ceil(width / 2) * Math.ceil(height / 2),
      lowChannelsFloats: lowChannels * plane,
      skipFloats: skipChannels * plane,
      params: this.constants.get([lowChannels, skipChannels, width, height]),
    };
  }

  destroy(): void {
    this.constants.destroy();
    this.bindGroups.clear();
  }
}
