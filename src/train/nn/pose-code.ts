/**
 * Stage 2's pose conditioning (wgsl/concat_pose_code.wgsl): the frame's pose code (P f32, e.g. the
 * 6D rotations of joints 1…23, P = 138) is copied into columns offset…offset+P−1 of every row of
 * the MLP input (N × stride f32), next to the sampled features; the backward pass sums those
 * columns' gradient over the rows into ∂L/∂code (for refining the pose through the network).
 */
import dispatchHelpers from '../../../wgsl/helpers/dispatch.wgsl';
import concatSource from '../../../wgsl/concat_pose_code.wgsl';
import concatBackwardSource from '../../../wgsl/concat_pose_code_backward.wgsl';
import { BindGroupCache } from '../../gpu/bind-group-cache.js';
import { ConstantBuffers } from '../../gpu/buffers.js';
import { bindBuffers, createPipeline, dispatchItems, requireFloats, requireInteger, requireNoAlias, requireObject } from './kernel-utils.js';

export interface PoseCodeArgs {
  /** The pose code, length f32. */
  code: GPUBuffer;
  /** Receives the code in every row: N × stride f32. */
  output: GPUBuffer;
  /** P, entries of the code (≥ 1). */
  length: number;
  /** N, rows. */
  count: number;
  /** Floats per output row (≥ offset + length). */
  stride: number;
  /** First column written. */
  offset: number;
}

export interface PoseCodeBackwardArgs {
  /** ∂L/∂(MLP input), N × stride f32 (columns offset…offset+length−1 are read). */
  gradOutput: GPUBuffer;
  /** Receives ∂L/∂code, length f32 (overwritten). */
  gradCode: GPUBuffer;
  length: number;
  count: number;
  stride: number;
  offset: number;
}

export interface PoseCodeBroadcast {
  encode(encoder: GPUCommandEncoder, args: PoseCodeArgs): void;
  /** Encodes ∂L/∂code[j] = Σ_n gradOutput[n · stride + offset + j]. */
  encodeBackward(encoder: GPUCommandEncoder, args: PoseCodeBackwardArgs): void;
  destroy(): void;
}

export function createPoseCodeBroadcast(device: GPUDevice): PoseCodeBroadcast {
  const constants = new ConstantBuffers(device);
  const bindGroups = new BindGroupCache();
  const pipeline = createPipeline(device, 'concat_pose_code', dispatchHelpers + concatSource);
  let backwardPipeline: GPUComputePipeline | undefined;
  const checkLayout = (args: { length: number; count: number; stride: number; offset: number }) => {
    const { length, count, stride, offset } = args;
    requireInteger('length', length, 1, 65535);
    requireInteger('count', count, 0, 2 ** 28);
    requireInteger('offset', offset, 0, 65535);
    requireInteger('stride', stride, offset + length, 65535, ' (≥ offset + length)');
  };
  return {
    encode(encoder, args) {
      requireObject('pose code args', args);
      checkLayout(args);
      const { code, output, length, count, stride, offset } = args;
      requireFloats('code', code, length);
      requireFloats('output', output, count * stride);
      requireNoAlias('output', args as unknown as Record<string, unknown>, ['code']);
      const params = constants.get([count, length, stride, offset]);
      const pass = encoder.beginComputePass({ label: 'concat pose code' });
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroups.get([pipeline, code, output, params], () => bindBuffers(device, pipeline, [code, output, params])));
      dispatchItems(pass, count * length);
      pass.end();
    },
    encodeBackward(encoder, args) {
      requireObject('pose code backward args', args);
      checkLayout(args);
      const { gradOutput, gradCode, length, count, stride, offset } = args;
      requireFloats('gradOutput', gradOutput, count * stride);
      requireFloats('gradCode', gradCode, length);
      requireNoAlias('gradCode', args as unknown as Record<string, unknown>, ['gradOutput']);
      backwardPipeline ??= createPipeline(device, 'concat_pose_code_backward', concatBackwardSource);
      const backward = backwardPipeline;
      const params = constants.get([count, length, stride, offset]);
      const pass = encoder.beginComputePass({ label: 'concat pose code backward' });
      pass.setPipeline(backward);
      pass.setBindGroup(0, bindGroups.get([backward, gradOutput, gradCode, params], () => bindBuffers(device, backward, [gradOutput, gradCode, params])));
      pass.dispatchWorkgroups(length);
      pass.end();
    },
    destroy() {
      constants.destroy();
      bindGroups.clear();
    },
  };
}
