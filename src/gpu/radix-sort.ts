/**
 * Stable GPU radix sort of (u32 key, u32 value) pairs, least significant digit first, 4 bits per
 * pass and only ceil(bits / 4) passes. Each pass: count digits per block of 1024
 * (radix_sort_count.wgsl) → exclusive scan of the digit-major counts (the prefix sum) → stable
 * scatter (radix_sort_scatter.wgsl), all in one compute pass. The count may live on the GPU
 * (indirect dispatch). No subgroup operations, so it runs on every WebGPU implementation.
 */
import dispatchHelpers from '../../wgsl/helpers/dispatch.wgsl';
import countSource from '../../wgsl/radix_sort_count.wgsl';
import scatterSource from '../../wgsl/radix_sort_scatter.wgsl';
import copySource from '../../wgsl/radix_sort_copy.wgsl';
import { AvatarInputError, describeValue } from '../errors.js';
import { BindGroupCache } from './bind-group-cache.js';
import { ConstantBuffers } from './buffers.js';
import { BLOCK_SIZE, DispatchPlanner, requireUsage, resolveCount, resolveMaxWorkgroups, type GpuCount, type GpuPrimitiveOptions } from './indirect.js';
import { createPrefixSum, type PrefixSumInternal } from './prefix-sum.js';
import { cachedComputePipeline } from './pipeline-cache.js';
import { STORAGE_COPYABLE } from './buffer-usage.js';

const RADIX_BITS = 4;
const RADIX = 1 << RADIX_BITS;

export interface RadixSortArgs {
  /** u32 keys, sorted in place (STORAGE usage; COPY_SRC | COPY_DST, listed in the first interface, are not needed). */
  keys: GPUBuffer;
  /** u32 values, permuted with their keys (STORAGE usage). */
  values: GPUBuffer;
  /** Number of pairs: a number ≤ maxCount, or a u32 at byte `offset` of a STORAGE buffer (clamped on the GPU to maxCount and the buffer sizes). */
  count: GpuCount;
  /** Sort by the low `bits` bits of each key (1…32); higher bits are ignored. */
  bits: number;
}

export interface RadixSorter {
  /**
   * Encodes a STABLE ascending sort, by the low `bits` bits of the u32 keys, of `count` (key, value) pairs in
   * place (keys[0..count), values[0..count)); elements past count are left as they are. Equal keys keep
   * their input order. Throws AvatarInputError on bad arguments (nothing is encoded then).
   */
  encode(encoder: GPUCommandEncoder, args: RadixSortArgs): void;
  destroy(): void;
}

/** Creates a radix sorter for up to `maxCount` pairs; it owns ping-pong buffers of 2 × 4 × maxCount bytes. */
export function createRadixSorter(device: GPUDevice, maxCount: number, options?: GpuPrimitiveOptions): RadixSorter {
  const maxWords = Math.floor(device.limits.maxStorageBufferBindingSize / 4);
  if (!Number.isInteger(maxCount) || maxCount < 0 || maxCount > Math.min(2 ** 30, maxWords)) {
    throw new AvatarInputError(`maxCount: expected an integer in 0…${Math.min(2 ** 30, maxWords)} (this device's maxStorageBufferBindingSize / 4), got ${describeValue(maxCount)}`);
  }
  return new GpuRadixSorter(device, maxCount, resolveMaxWorkgroups(device, options));
}

class GpuRadixSorter implements RadixSorter {
  private readonly constants: ConstantBuffers;
  private readonly planner: DispatchPlanner;
  private readonly prefixSum: PrefixSumInternal;
  private readonly maxBlocks: number;
  private readonly tempKeys: GPUBuffer;
  private readonly tempValues: GPUBuffer;
  private readonly counts: GPUBuffer;
  private readonly offsets: GPUBuffer;
  private readonly scanTotal: GPUBuffer;
  private readonly countPipeline: GPUComputePipeline;
  private readonly scatterPipeline: GPUComputePipeline;
  private readonly copyPipeline: GPUComputePipeline;
  private readonly bindGroups = new BindGroupCache();

  constructor(private readonly device: GPUDevice, private readonly maxCount: number, maxWorkgroupsX: number) {
    this.constants = new ConstantBuffers(device);
    this.maxBlocks = Math.max(1, Math.ceil(maxCount / BLOCK_SIZE));
    this.planner = new DispatchPlanner(device, 1, this.constants, 'radix sort', maxWorkgroupsX);
    this.prefixSum = createPrefixSum(device, RADIX * this.maxBlocks, { maxWorkgroupsPerDimension: maxWorkgroupsX });
    const usage = STORAGE_COPYABLE;
    const words = (n: number, label: string) => device.createBuffer({ label: `radix sort ${label}`, size: 4 * Math.max(1, n), usage });
    this.tempKeys = words(maxCount, 'keys (ping-pong)');
    this.tempValues = words(maxCount, 'values (ping-pong)');
    this.counts = words(RADIX * this.maxBlocks, 'digit counts');
    this.offsets = words(RADIX * this.maxBlocks, 'digit offsets');
    this.scanTotal = words(1, 'scan total');
    const pipeline = (label: string, code: string) => cachedComputePipeline(device, label, code);
    this.countPipeline = pipeline('radix_sort_count', dispatchHelpers + countSource);
    this.scatterPipeline = pipeline('radix_sort_scatter', dispatchHelpers + scatterSource);
    this.copyPipeline = pipeline('radix_sort_copy', dispatchHelpers + copySource);
  }

  encode(encoder: GPUCommandEncoder, args: RadixSortArgs): void {
    const count = this.validate(args);
    const { keys, values, bits } = args;
    const passes = Math.ceil(bits / RADIX_BITS);
    const capacity = Math.min(this.maxCount, Math.floor(keys.size / 4), Math.floor(values.size / 4));
    const pass = encoder.beginComputePass({ label: 'radix sort' });
    this.planner.encode(pass, count, capacity);
    const sizes = this.planner.sizes;
    // Ping-pong so the last pass writes into the caller's buffers: with an odd number of passes,
    // start from a copy of the pairs in the temporaries.
    let src = { keys, values };
    let dst = { keys: this.tempKeys, values: this.tempValues };
    if (passes % 2 === 1) {
      pass.setPipeline(this.copyPipeline);
      pass.setBindGroup(0, this.bindGroups.get([this.copyPipeline, keys, values], () =>
        this.bind(this.copyPipeline, [keys, values, sizes, this.tempKeys, this.tempValues]),
      ));
      pass.dispatchWorkgroupsIndirect(this.planner.args, 0);
      [src, dst] = [dst, src];
    }
    for (let p = 0; p < passes; p++) {
      const digit = this.constants.get([RADIX_BITS * p, Math.min(RADIX_BITS, bits - RADIX_BITS * p)]);
      pass.setPipeline(this.countPipeline);
      pass.setBindGroup(0, this.bindGroups.get([this.countPipeline, src.keys, digit], () =>
        this.bind(this.countPipeline, [src.keys, sizes, digit, this.counts]),
      ));
      pass.dispatchWorkgroupsIndirect(this.planner.args, 0);
      // sizes[1] = number of blocks; the counts array has RADIX rows of that length.
      this.prefixSum.encodeInPass(pass, {
        input: this.counts, output: this.offsets, count: { buffer: sizes, offset: 4 }, countScale: RADIX, totalBuffer: this.scanTotal,
      });
      pass.setPipeline(this.scatterPipeline);
      pass.setBindGroup(0, this.bindGroups.get([this.scatterPipeline, src.keys, src.values, digit, dst.keys, dst.values], () =>
        this.bind(this.scatterPipeline, [src.keys, src.values, this.offsets, sizes, digit, dst.keys, dst.values]),
      ));
      pass.dispatchWorkgroupsIndirect(this.planner.args, 0);
      [src, dst] = [dst, src];
    }
    pass.end();
  }

  /** Throws AvatarInputError on bad arguments; returns the count as a GPU location. */
  private validate(args: RadixSortArgs): { buffer: GPUBuffer; offset: number } {
    return validateSortArgs('radixSorter', args, this.maxCount, this.constants);
  }

  private bind(pipeline: GPUComputePipeline, buffers: GPUBuffer[]): GPUBindGroup {
    return this.device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
  }

  destroy(): void {
    this.planner.destroy();
    this.prefixSum.destroy();
    for (const b of [this.tempKeys, this.tempValues, this.counts, this.offsets, this.scanTotal]) b.destroy();
    this.constants.destroy();
    this.bindGroups.clear();
  }
}

/**
 * The checks both radix sorters make on `encode`'s arguments (AvatarInputError naming the field);
 * returns the count as a GPU location. `who` names the sorter in the message.
 */
export function validateSortArgs(who: string, args: RadixSortArgs, maxCount: number, constants: ConstantBuffers): { buffer: GPUBuffer; offset: number } {
  if (typeof args !== 'object' || args === null) throw new AvatarInputError(`${who}.encode args: expected an object, got ${describeValue(args)}`);
  requireUsage('keys', args.keys, GPUBufferUsage.STORAGE, 'STORAGE');
  requireUsage('values', args.values, GPUBufferUsage.STORAGE, 'STORAGE');
  if (args.keys === args.values) throw new AvatarInputError('values: expected a buffer other than keys (they may not alias)');
  if (!Number.isInteger(args.bits) || args.bits < 1 || args.bits > 32) {
    throw new AvatarInputError(`bits: expected an integer in 1…32, got ${describeValue(args.bits)}`);
  }
  const count = resolveCount('count', args.count, maxCount, constants);
  if (typeof args.count === 'number') {
    for (const field of ['keys', 'values'] as const) {
      if (args[field].size < 4 * args.count) {
        throw new AvatarInputError(`${field}: expected a buffer of at least ${4 * args.count} bytes (count ${args.count} × u32), got ${args[field].size} bytes`);
      }
    }
  }
  return count;
}
