/**
 * Playback skinning from sparse weights: each Gaussian's (at most 8) nonzero skinning weights and
 * their joints, instead of a dense N × J row. wgsl/skin_gaussians_sparse.wgsl computes the same
 * products in the same order as the dense skinner (gaussian-skinning.ts), so the posed centres
 * are bit-identical, with 10 loads per Gaussian instead of J. The default body needs at most 6
 * joints per Gaussian; avatars whose rows have more than 8 nonzero weights (or > 256 joints) keep
 * the dense skinner (sparseSkinningWeights, sparse-weights.ts, returns undefined).
 */
import dispatchHelpers from '../../wgsl/helpers/dispatch.wgsl';
import sparseSource from '../../wgsl/skin_gaussians_sparse.wgsl';
import { AvatarInputError, describeValue } from '../errors.js';
import { BindGroupCache } from '../gpu/bind-group-cache.js';
import { ConstantBuffers } from '../gpu/buffers.js';
import { requireUsage, resolveMaxWorkgroups } from '../gpu/indirect.js';
import { dispatchBlocks } from './gaussian-skinning.js';
import { cachedComputePipeline } from '../gpu/pipeline-cache.js';

export { SPARSE_JOINTS, sparseSkinningWeights, type SparseWeights } from './sparse-weights.js';

export interface SparseSkinArgs {
  /** Canonical centres, N × 3 f32. */
  canonical: GPUBuffer;
  /** SparseWeights.joints on the GPU (N × 2 u32). */
  joints: GPUBuffer;
  /** SparseWeights.weights on the GPU (N × 8 f32). */
  weights: GPUBuffer;
  /** J column-major 4 × 4 skinning matrices (as GaussianSkinner's). */
  transforms: GPUBuffer;
  /** Receives the posed centres, N × 3 f32. */
  posed: GPUBuffer;
  /** N (≤ maxGaussians). */
  count: number;
}

export interface SparseSkinner {
  /** Encodes posed = Σ_k w_k · T_{j_k} · [x, 1]. Throws AvatarInputError on bad arguments (nothing encoded). */
  encodeForward(encoder: GPUCommandEncoder, args: SparseSkinArgs): void;
  destroy(): void;
}

export function createSparseSkinner(device: GPUDevice, maxGaussians: number): SparseSkinner {
  if (!Number.isInteger(maxGaussians) || maxGaussians < 0) {
    throw new AvatarInputError(`maxGaussians: expected a non-negative integer, got ${describeValue(maxGaussians)}`);
  }
  return new GpuSparseSkinner(device, maxGaussians, resolveMaxWorkgroups(device, undefined));
}

class GpuSparseSkinner implements SparseSkinner {
  private readonly constants: ConstantBuffers;
  private readonly pipeline: GPUComputePipeline;
  private readonly bindGroups = new BindGroupCache();

  constructor(private readonly device: GPUDevice, private readonly maxGaussians: number, private readonly maxWorkgroupsX: number) {
    this.constants = new ConstantBuffers(device);
    this.pipeline = cachedComputePipeline(device, 'skin_gaussians_sparse', dispatchHelpers + sparseSource);
  }

  encodeForward(encoder: GPUCommandEncoder, args: SparseSkinArgs): void {
    if (args === null || typeof args !== 'object') throw new AvatarInputError(`args: expected { canonical, joints, weights, transforms, posed, count }, got ${describeValue(args)}`);
    const { canonical, joints, weights, transforms, posed, count } = args;
    if (!Number.isInteger(count) || count < 0 || count > this.maxGaussians) {
      throw new AvatarInputError(`count: expected an integer in 0…${this.maxGaussians} (maxGaussians), got ${describeValue(count)}`);
    }
    for (const [field, buffer, bytes] of [['canonical', canonical, 12 * count], ['joints', joints, 8 * count], ['weights', weights, 32 * count], ['transforms', transforms, 64], ['posed', posed, 12 * count]] as const) {
      requireUsage(field, buffer, GPUBufferUsage.STORAGE, 'STORAGE');
      if (buffer.size < bytes) throw new AvatarInputError(`${field}: expected a buffer of at least ${bytes} bytes for ${count} Gaussians, got ${buffer.size}`);
    }
    if ([canonical, joints, weights, transforms].includes(posed)) throw new AvatarInputError('posed: expected a buffer that aliases no input');
    const params = this.constants.get([count]);
    const pass = encoder.beginComputePass({ label: 'skin gaussians (sparse)' });
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, this.bindGroups.get([canonical, joints, weights, transforms, posed, params], () =>
      this.device.createBindGroup({
        layout: this.pipeline.getBindGroupLayout(0),
        entries: [canonical, joints, weights, transforms, posed, params].map((buffer, binding) => ({ binding, resource: { buffer } })),
      }),
    ));
    dispatchBlocks(pass, count, this.maxWorkgroupsX);
    pass.end();
  }

  destroy(): void {
    this.constants.destroy();
    this.bindGroups.clear();
  }
}
