/**
 * Per-texel masking of a channel-major C × H × W map on the GPU (wgsl/mask_feature_map.wgsl):
 * out[c, p] = map[c, p] · mask[p], mask H × W f32 (1 = covered texel, 0 = not). Its own adjoint, so
 * the same call masks a gradient.
 */
import dispatchHelpers from '../../../wgsl/helpers/dispatch.wgsl';
import maskSource from '../../../wgsl/mask_feature_map.wgsl';
import { BindGroupCache } from '../../gpu/bind-group-cache.js';
import { ConstantBuffers } from '../../gpu/buffers.js';
import { MAX_CONV_CHANNELS } from './conv2d.js';
import { bindBuffers, createPipeline, dispatchItems, requireFloats, requireInteger, requireNoAlias, requireObject } from './kernel-utils.js';

export interface FeatureMapMaskArgs {
  /** C (1…4096). */
  channels: number;
  /** H · W, texels per channel (≥ 1). */
  plane: number;
  /** C × H × W. */
  map: GPUBuffer;
  /** H × W. */
  mask: GPUBuffer;
  /** Receives map ⊙ mask, C × H × W. */
  masked: GPUBuffer;
}

export interface FeatureMapMask {
  apply(pass: GPUComputePassEncoder, args: FeatureMapMaskArgs): void;
  destroy(): void;
}

export function createFeatureMapMask(device: GPUDevice): FeatureMapMask {
  const constants = new ConstantBuffers(device);
  const bindGroups = new BindGroupCache();
  const pipeline = createPipeline(device, 'mask_feature_map', dispatchHelpers + maskSource);
  return {
    apply(pass, args) {
      requireObject('mask args', args);
      requireInteger('channels', args.channels, 1, MAX_CONV_CHANNELS);
      requireInteger('plane', args.plane, 1, 2 ** 28);
      const count = args.channels * args.plane;
      requireFloats('map', args.map, count);
      requireFloats('mask', args.mask, args.plane);
      requireFloats('masked', args.masked, count);
      requireNoAlias('masked', args as unknown as Record<string, unknown>, ['map', 'mask']);
      const params = constants.get([count, args.plane]);
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindGroups.get([params, args.map, args.mask, args.masked], () => bindBuffers(device, pipeline, [params, args.map, args.mask, args.masked])));
      dispatchItems(pass, count);
    },
    destroy() {
      constants.destroy();
      bindGroups.clear();
    },
  };
}
