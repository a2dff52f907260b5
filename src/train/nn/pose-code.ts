/**
 * Stage 2's pose conditioning (wgsl/concat_pose_code.wgsl): the frame's pose code (P f32, e.g. the
 * 6D rotations of joints 1…23, P = 138) is copied into columns offset…offset+P−1 of every row of
 * the MLP input (N × stride f32), next to the sampled features.
 */
import dispatchHelpers from '../../../wgsl/helpers/dispatch.wgsl';
import concatSource from '../../../wgsl/concat_pose_code.wgsl';
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

export interface PoseCodeBroadcast {
  encode(encoder: GPUCommandEncoder, args: PoseCodeArgs): void;
  destroy(): void;
}

export function createPoseCodeBroadcast(device: GPUDevice): PoseCodeBroadcast {
  const constants = new ConstantBuffers(device);
  const bindGroups = new BindGroupCache();
  const pipeline = createPipeline(device, 'concat_pose_code', dispatchHelpers + concatSource);
  return {
    encode(encoder, args) {
      requireObject('pose code args', args);
      const { code, output, length, count, stride, offset } = args;
      requireInteger('length', length, 1, 65535);
      requireInteger('count', count, 0, 2 ** 28);
      requireInteger('offset', offset, 0, 65535);
      requireInteger('stride', stride, offset + length, 65535, ' (≥ offset + length)');
      requireFloats('code', code, length);
      requireFloats('output', output, count * stride);
      requireNoAlias('output', args as unknown as Record<string, unknown>, ['code']);
      const params = constants.get([count, length, stride, offset]);
      const pass = encoder.beginComputePass({ label: 'concat pose code' });
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroups.get([code, output, params], () => bindBuffers(device, pipeline, [code, output, params])));
      dispatchItems(pass, count * length);
      pass.end();
    },
    destroy() {
      constants.destroy();
      bindGroups.clear();
    },
  };
}
