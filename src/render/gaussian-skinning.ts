/**
 * GPU linear-blend skinning of Gaussian centres and its backward pass:
 *   posed_i = Σ_j W[i, j] · T_j · [x_i, 1]
 * The backward pass gives ∂L/∂canonical per Gaussian and ∂L/∂T_j summed over all Gaussians on
 * the GPU (per-block partial sums, then one reduction workgroup per joint: no float atomics).
 */
import dispatchHelpers from '../../wgsl/helpers/dispatch.wgsl';
import forwardSource from '../../wgsl/skin_gaussians.wgsl';
import backwardSource from '../../wgsl/skin_gaussians_backward.wgsl';
import reduceSource from '../../wgsl/skin_gaussians_reduce_grads.wgsl';
import { AvatarInputError, describeValue } from '../errors.js';
import { BindGroupCache } from '../gpu/bind-group-cache.js';
import { ConstantBuffers } from '../gpu/buffers.js';
import { requireUsage, resolveMaxWorkgroups, type GpuPrimitiveOptions } from '../gpu/indirect.js';
import { cachedComputePipeline } from '../gpu/pipeline-cache.js';

/** Gaussians per workgroup (and per partial-sum block in the backward pass). */
const THREADS = 256;

export interface SkinForwardArgs {
  /** Canonical centres, N × 3 f32 (x, y, z tightly packed, metres, SMPL rest frame). */
  canonical: GPUBuffer;
  /** Skinning weights, N × J f32, row-major (Gaussian i's J weights are contiguous). */
  weights: GPUBuffer;
  /** J skinning matrices, J × 16 f32, each column-major 4 × 4 mapping canonical → posed (as BodyModel.forward().transforms; translation includes trans). */
  transforms: GPUBuffer;
  /** Receives the posed centres, N × 3 f32. Must not alias the inputs. */
  posed: GPUBuffer;
  /** N, the number of Gaussians (≤ maxGaussians). */
  count: number;
  /** J, the number of joints (1…maxJoints). */
  numJoints: number;
}

export interface SkinBackwardArgs {
  canonical: GPUBuffer;
  weights: GPUBuffer;
  transforms: GPUBuffer;
  /** ∂L/∂posed, N × 3 f32. */
  gradPosed: GPUBuffer;
  /** Receives ∂L/∂canonical, N × 3 f32 (overwritten, not accumulated). */
  gradCanonical: GPUBuffer;
  /** Receives ∂L/∂T, J × 16 f32, column-major per joint, summed over all Gaussians (overwritten; row 3 is 0). */
  gradTransforms: GPUBuffer;
  count: number;
  numJoints: number;
}

export interface GaussianSkinner {
  /** Encodes the forward pass: writes posed positions N × 3 to `posed`. Throws AvatarInputError on bad arguments (nothing encoded). */
  encodeForward(encoder: GPUCommandEncoder, args: SkinForwardArgs): void;
  /** Encodes the backward pass: writes ∂L/∂canonical (N × 3) and ∂L/∂transforms (J × 16). Throws AvatarInputError on bad arguments. */
  encodeBackward(encoder: GPUCommandEncoder, args: SkinBackwardArgs): void;
  destroy(): void;
}

export interface GaussianSkinnerOptions extends GpuPrimitiveOptions {
  /** Most Gaussians one call handles. */
  maxGaussians: number;
  /** Most joints one call handles (24 for SMPL, 55 for SMPL-X). */
  maxJoints: number;
}

/** Creates a skinner; it owns a partial-sum buffer of ceil(maxGaussians / 256) × max(256, maxJoints) × 48 bytes. */
export function createGaussianSkinner(device: GPUDevice, options: GaussianSkinnerOptions): GaussianSkinner {
  const { maxGaussians, maxJoints } = options ?? ({} as GaussianSkinnerOptions);
  if (!Number.isInteger(maxGaussians) || maxGaussians < 0) {
    throw new AvatarInputError(`maxGaussians: expected a non-negative integer, got ${describeValue(maxGaussians)}`);
  }
  // One reduction workgroup per joint, in x only.
  const maxJointsLimit = device.limits.maxComputeWorkgroupsPerDimension;
  if (!Number.isInteger(maxJoints) || maxJoints < 1 || maxJoints > maxJointsLimit) {
    throw new AvatarInputError(`maxJoints: expected an integer in 1…${maxJointsLimit}, got ${describeValue(maxJoints)}`);
  }
  const maxBytes = device.limits.maxStorageBufferBindingSize;
  if (4 * maxGaussians * maxJoints > maxBytes) {
    throw new AvatarInputError(`maxGaussians: the weights (maxGaussians × maxJoints × 4 = ${4 * maxGaussians * maxJoints} bytes) exceed this device's maxStorageBufferBindingSize ${maxBytes}`);
  }
  if (partialBytes(maxGaussians, maxJoints) > maxBytes) {
    throw new AvatarInputError(`maxGaussians: the gradient partial sums (${partialBytes(maxGaussians, maxJoints)} bytes) exceed this device's maxStorageBufferBindingSize ${maxBytes}`);
  }
  return new GpuGaussianSkinner(device, maxGaussians, maxJoints, resolveMaxWorkgroups(device, options));
}

class GpuGaussianSkinner implements GaussianSkinner {
  private readonly constants: ConstantBuffers;
  private readonly partials: GPUBuffer;
  private readonly forwardPipeline: GPUComputePipeline;
  private readonly backwardPipeline: GPUComputePipeline;
  private readonly reducePipeline: GPUComputePipeline;
  private readonly bindGroups = new BindGroupCache();

  constructor(
    private readonly device: GPUDevice, private readonly maxGaussians: number, private readonly maxJoints: number, private readonly maxWorkgroupsX: number,
  ) {
    this.constants = new ConstantBuffers(device);
    this.partials = device.createBuffer({ label: 'skinning partial grads', size: partialBytes(maxGaussians, maxJoints), usage: GPUBufferUsage.STORAGE });
    const pipeline = (label: string, code: string) => cachedComputePipeline(device, label, code);
    this.forwardPipeline = pipeline('skin_gaussians', dispatchHelpers + forwardSource);
    this.backwardPipeline = pipeline('skin_gaussians_backward', dispatchHelpers + backwardSource);
    this.reducePipeline = pipeline('skin_gaussians_reduce_grads', reduceSource);
  }

  encodeForward(encoder: GPUCommandEncoder, args: SkinForwardArgs): void {
    this.validate(args as unknown as Record<string, unknown>, { posed: 3 }, ['posed']);
    const { canonical, weights, transforms, posed, count, numJoints } = args;
    const params = this.constants.get([count, numJoints]);
    const bindGroup = this.bindGroups.get([this.forwardPipeline, canonical, weights, transforms, posed, params], () =>
      this.bind(this.forwardPipeline, [canonical, weights, transforms, posed, params]),
    );
    const pass = encoder.beginComputePass({ label: 'skin gaussians' });
    pass.setPipeline(this.forwardPipeline);
    pass.setBindGroup(0, bindGroup);
    dispatchBlocks(pass, count, this.maxWorkgroupsX);
    pass.end();
  }

  encodeBackward(encoder: GPUCommandEncoder, args: SkinBackwardArgs): void {
    this.validate(args as unknown as Record<string, unknown>, { gradPosed: 3, gradCanonical: 3 }, ['gradCanonical', 'gradTransforms']);
    const { canonical, weights, transforms, gradPosed, gradCanonical, gradTransforms, count, numJoints } = args;
    const params = this.constants.get([count, numJoints]);
    const backwardGroup = this.bindGroups.get([this.backwardPipeline, canonical, weights, transforms, gradPosed, gradCanonical, params], () =>
      this.bind(this.backwardPipeline, [canonical, weights, transforms, gradPosed, gradCanonical, this.partials, params]),
    );
    const reduceGroup = this.bindGroups.get([this.reducePipeline, gradTransforms, params], () =>
      this.bind(this.reducePipeline, [this.partials, gradTransforms, params]),
    );
    const pass = encoder.beginComputePass({ label: 'skin gaussians backward' });
    pass.setPipeline(this.backwardPipeline);
    pass.setBindGroup(0, backwardGroup);
    dispatchBlocks(pass, count, this.maxWorkgroupsX);
    pass.setPipeline(this.reducePipeline);
    pass.setBindGroup(0, reduceGroup);
    pass.dispatchWorkgroups(numJoints);
    pass.end();
  }

  /**
   * Checks counts, usages, sizes and aliasing. `perGaussian` names extra N × k f32 buffers;
   * `outputs` names the buffers the call writes (they may not alias any other argument).
   */
  private validate(args: Record<string, unknown>, perGaussian: Record<string, number>, outputs: string[]): void {
    if (typeof args !== 'object' || args === null) throw new AvatarInputError(`skinner args: expected an object, got ${describeValue(args)}`);
    const { count, numJoints } = args as { count: number; numJoints: number };
    if (!Number.isInteger(count) || count < 0 || count > this.maxGaussians) {
      throw new AvatarInputError(`count: expected an integer in 0…${this.maxGaussians} (maxGaussians), got ${describeValue(count)}`);
    }
    if (!Number.isInteger(numJoints) || numJoints < 1 || numJoints > this.maxJoints) {
      throw new AvatarInputError(`numJoints: expected an integer in 1…${this.maxJoints} (maxJoints), got ${describeValue(numJoints)}`);
    }
    const floats: Record<string, number> = { canonical: 3 * count, weights: count * numJoints, transforms: 16 * numJoints, ...scale(perGaussian, count) };
    if (outputs.includes('gradTransforms')) floats.gradTransforms = 16 * numJoints;
    for (const [field, length] of Object.entries(floats)) {
      const buffer = args[field];
      requireUsage(field, buffer, GPUBufferUsage.STORAGE, 'STORAGE');
      // Bindings may not be empty, so even N = 0 needs 4 bytes.
      const bytes = Math.max(4, 4 * length);
      if (buffer.size < bytes) {
        throw new AvatarInputError(`${field}: expected a buffer of at least ${bytes} bytes (${length} f32), got ${buffer.size} bytes`);
      }
    }
    for (const output of outputs) {
      for (const field of Object.keys(floats)) {
        if (field !== output && args[field] === args[output]) throw new AvatarInputError(`${output}: expected a buffer other than ${field} (outputs may not alias)`);
      }
    }
  }

  private bind(pipeline: GPUComputePipeline, buffers: GPUBuffer[]): GPUBindGroup {
    return this.device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
  }

  destroy(): void {
    this.partials.destroy();
    this.constants.destroy();
    this.bindGroups.clear();
  }
}

/** Each block of 256 Gaussians writes max(1, floor(256 / J)) partial rows of J × 12 floats: at most max(256, J) × 12. */
function partialBytes(maxGaussians: number, maxJoints: number): number {
  return Math.max(1, Math.ceil(maxGaussians / THREADS)) * Math.max(THREADS, maxJoints) * 12 * 4;
}

function scale(perGaussian: Record<string, number>, count: number): Record<string, number> {
  return Object.fromEntries(Object.entries(perGaussian).map(([k, v]) => [k, v * count]));
}

/** One thread per Gaussian (256 per workgroup), workgroups split over x and y past the per-dimension limit. */
export function dispatchBlocks(pass: GPUComputePassEncoder, count: number, maxWorkgroupsX: number): void {
  const blocks = Math.ceil(count / THREADS);
  if (blocks === 0) return;
  const x = Math.min(blocks, maxWorkgroupsX);
  pass.dispatchWorkgroups(x, Math.ceil(blocks / x));
}
