/**
 * GPU-side counts: element counts that live in a GPU buffer (produced by an earlier kernel) are
 * turned into per-level sizes and indirect dispatch arguments on the GPU (wgsl/write_dispatch_args.wgsl),
 * so the SDK's scans and sorts never wait for a CPU readback.
 */
import writeDispatchArgsSource from '../../wgsl/write_dispatch_args.wgsl';
import { AvatarInputError, describeValue } from '../errors.js';
import { BindGroupCache } from './bind-group-cache.js';
import type { ConstantBuffers } from './buffers.js';
import { cachedComputePipeline } from './pipeline-cache.js';

/** Elements one workgroup handles in the SDK's block kernels (256 threads × 4 items). */
export const BLOCK_SIZE = 1024;

/** An element count: a number known on the CPU, or a u32 at byte `offset` of a STORAGE buffer. */
export type GpuCount = number | { buffer: GPUBuffer; offset: number };

/**
 * Checks `count` and returns it as a GPU location (numbers become a small constant buffer).
 * Numbers must be integers in 0…maxCount; GPU counts are clamped to `capacity` on the GPU.
 */
export function resolveCount(field: string, count: GpuCount, maxCount: number, constants: ConstantBuffers): { buffer: GPUBuffer; offset: number } {
  if (typeof count === 'number') {
    if (!Number.isInteger(count) || count < 0 || count > maxCount) {
      throw new AvatarInputError(`${field}: expected an integer in 0…${maxCount}, got ${describeValue(count)}`);
    }
    return { buffer: constants.get([count]), offset: 0 };
  }
  if (typeof count !== 'object' || count === null || !(count.buffer instanceof GPUBuffer)) {
    throw new AvatarInputError(`${field}: expected a number or { buffer: GPUBuffer, offset }, got ${describeValue(count)}`);
  }
  const { buffer, offset } = count;
  if (!Number.isInteger(offset) || offset < 0 || offset % 4 !== 0 || offset + 4 > buffer.size) {
    throw new AvatarInputError(`${field}.offset: expected a multiple of 4 with offset + 4 ≤ ${buffer.size} (buffer size), got ${describeValue(offset)}`);
  }
  requireUsage(`${field}.buffer`, buffer, GPUBufferUsage.STORAGE, 'STORAGE');
  return count;
}

/** Throws AvatarInputError unless `buffer` is a GPUBuffer with all the `usage` bits. */
export function requireUsage(field: string, buffer: unknown, usage: number, usageNames: string): asserts buffer is GPUBuffer {
  if (!(buffer instanceof GPUBuffer)) throw new AvatarInputError(`${field}: expected a GPUBuffer, got ${describeValue(buffer)}`);
  if ((buffer.usage & usage) !== usage) {
    throw new AvatarInputError(`${field}: expected a buffer with ${usageNames} usage, got usage flags ${buffer.usage}`);
  }
}

/** Options shared by the SDK's GPU primitives. */
export interface GpuPrimitiveOptions {
  /**
   * Dispatches of more workgroups than this are split over x and y (default: the device's
   * maxComputeWorkgroupsPerDimension). Only tests should set it, to exercise the split on small data.
   */
  maxWorkgroupsPerDimension?: number;
}

/** Checks GpuPrimitiveOptions and returns the split limit to use. */
export function resolveMaxWorkgroups(device: GPUDevice, options: GpuPrimitiveOptions | undefined): number {
  const limit = device.limits.maxComputeWorkgroupsPerDimension;
  const value = options?.maxWorkgroupsPerDimension ?? limit;
  if (!Number.isInteger(value) || value < 1 || value > limit) {
    throw new AvatarInputError(`maxWorkgroupsPerDimension: expected an integer in 1…${limit} (the device limit), got ${describeValue(value)}`);
  }
  return value;
}

/** Number of block levels a multi-level scan of up to `maxCount` elements needs (≥ 1). */
export function levelCount(maxCount: number): number {
  let levels = 1;
  for (let n = maxCount; n > BLOCK_SIZE; n = Math.ceil(n / BLOCK_SIZE)) levels++;
  return levels;
}

/**
 * Owns a `sizes` buffer (levels + 1 u32: element count per level, then the top count) and an
 * `args` buffer (3 u32 indirect dispatch arguments per level) and encodes the kernel that fills them.
 */
export class DispatchPlanner {
  readonly sizes: GPUBuffer;
  readonly args: GPUBuffer;
  private readonly pipeline: GPUComputePipeline;
  private readonly bindGroups = new BindGroupCache();

  /**
   * `maxWorkgroupsX`: dispatches of more blocks are split into x × y (default: the device's
   * maxComputeWorkgroupsPerDimension; tests pass small values to exercise the split).
   */
  constructor(
    private readonly device: GPUDevice, readonly levels: number, private readonly constants: ConstantBuffers, label: string,
    maxWorkgroupsX = device.limits.maxComputeWorkgroupsPerDimension,
  ) {
    this.sizes = device.createBuffer({ label: `${label} sizes`, size: 4 * (levels + 1), usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
    this.args = device.createBuffer({ label: `${label} dispatch args`, size: 12 * levels, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.INDIRECT | GPUBufferUsage.COPY_SRC });
    this.pipeline = cachedComputePipeline(device, 'write_dispatch_args', writeDispatchArgsSource, { constants: { MAX_WORKGROUPS_X: maxWorkgroupsX } });
  }

  /** n0 = min(count, capacity) × scale; see wgsl/write_dispatch_args.wgsl. */
  encode(pass: GPUComputePassEncoder, count: { buffer: GPUBuffer; offset: number }, capacity: number, scale = 1): void {
    const plan = this.constants.get([count.offset / 4, capacity, scale, this.levels]);
    const bindGroup = this.bindGroups.get([count.buffer, plan], () =>
      this.device.createBindGroup({
        layout: this.pipeline.getBindGroupLayout(0),
        entries: [
          { binding: 0, resource: { buffer: count.buffer } },
          { binding: 1, resource: { buffer: plan } },
          { binding: 2, resource: { buffer: this.sizes } },
          { binding: 3, resource: { buffer: this.args } },
        ],
      }),
    );
    pass.setPipeline(this.pipeline);
    pass.setBindGroup(0, bindGroup);
    pass.dispatchWorkgroups(1);
  }

  destroy(): void {
    this.sizes.destroy();
    this.args.destroy();
    this.bindGroups.clear();
  }
}
