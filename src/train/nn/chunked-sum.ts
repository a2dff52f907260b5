/**
 * The second step of the chunked gradient reductions (wgsl/sum_chunk_partials.wgsl): kernels that
 * sum over many rows or texels write one partial block per chunk into a scratch buffer, which this
 * sums chunk by chunk (Kahan-compensated) into the gradient. Owns the scratch buffer, grown on demand.
 * Used by matmul.ts (layer gradients) and conv2d.ts (conv weight gradients).
 */
import dispatchHelpers from '../../../wgsl/helpers/dispatch.wgsl';
import sumSource from '../../../wgsl/sum_chunk_partials.wgsl';
import { AvatarInputError } from '../../errors.js';
import { BindGroupCache } from '../../gpu/bind-group-cache.js';
import { ConstantBuffers } from '../../gpu/buffers.js';
import { bindBuffers, createPipeline, dispatchItems } from './kernel-utils.js';

export class ChunkedSum {
  private readonly constants: ConstantBuffers;
  private readonly bindGroups = new BindGroupCache();
  private pipeline?: GPUComputePipeline;
  private partials?: GPUBuffer;

  /** For errors: `what` names the partial sums, `field` the argument to blame, `remedy` what to do about it. */
  constructor(private readonly device: GPUDevice, private readonly what: string, private readonly field: string, private readonly remedy: string) {
    this.constants = new ConstantBuffers(device);
  }

  /** The scratch buffer for `chunks` blocks of `size` f32. A replaced buffer is dropped, not destroyed: work already encoded may still use it. */
  scratch(chunks: number, size: number): GPUBuffer {
    const bytes = Math.max(4, 4 * chunks * size);
    if (!this.partials || this.partials.size < bytes) {
      const limit = this.device.limits.maxStorageBufferBindingSize;
      if (bytes > limit) {
        throw new AvatarInputError(`${this.field}: ${this.what} (${bytes} bytes) exceed this device's maxStorageBufferBindingSize ${limit}; ${this.remedy}`);
      }
      this.partials = this.device.createBuffer({ label: this.what, size: bytes, usage: GPUBufferUsage.STORAGE });
    }
    return this.partials;
  }

  /** Encodes sums[e] = Σ_chunk partials[chunk · size + e] for e < size (the scratch of the last scratch() call). */
  reduce(pass: GPUComputePassEncoder, sums: GPUBuffer, chunks: number, size: number): void {
    const partials = this.scratch(chunks, size);
    this.pipeline ??= createPipeline(this.device, 'sum_chunk_partials', dispatchHelpers + sumSource);
    const pipeline = this.pipeline;
    const params = this.constants.get([size, chunks]);
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, this.bindGroups.get([pipeline, params, partials, sums], () => bindBuffers(this.device, pipeline, [params, partials, sums])));
    dispatchItems(pass, size);
  }

  destroy(): void {
    this.partials?.destroy();
    this.constants.destroy();
    this.bindGroups.clear();
  }
}
