/**
 * GPU exclusive prefix sum (scan) of u32 values, multi-level: scan blocks of 1024 and collect the
 * block totals, scan those the same way up to a single block, then add each level's block offsets
 * back down. The count may live on the GPU (indirect dispatch, no CPU readback).
 */
import dispatchHelpers from '../../wgsl/helpers/dispatch.wgsl';
import scanBlocksSource from '../../wgsl/prefix_sum_scan_blocks.wgsl';
import addBlockOffsetsSource from '../../wgsl/prefix_sum_add_block_offsets.wgsl';
import writeTotalSource from '../../wgsl/prefix_sum_write_total.wgsl';
import { AvatarInputError, describeValue } from '../errors.js';
import { BindGroupCache } from './bind-group-cache.js';
import { ConstantBuffers } from './buffers.js';
import { BLOCK_SIZE, DispatchPlanner, levelCount, requireUsage, resolveCount, resolveMaxWorkgroups, type GpuCount, type GpuPrimitiveOptions } from './indirect.js';
import { cachedComputePipeline } from './pipeline-cache.js';

export interface PrefixSumArgs {
  /** u32 values to scan (STORAGE usage), at least `count` elements. Not modified. */
  input: GPUBuffer;
  /** Receives output[i] = Σ_{k<i} input[k] for i < count (STORAGE usage); elements past count are untouched. May not alias input. */
  output: GPUBuffer;
  /** Number of elements: a number ≤ maxCount, or a u32 at byte `offset` of a STORAGE buffer (clamped on the GPU to maxCount and the buffer sizes). */
  count: GpuCount;
  /** Receives the total Σ input[0..count) as one u32 (STORAGE usage). */
  totalBuffer: GPUBuffer;
  /** Byte offset of the total in totalBuffer, a multiple of 4 (default 0). */
  totalOffset?: number;
}

export interface PrefixSum {
  /**
   * Encodes an exclusive scan of `count` u32 values: output[i] = Σ_{k<i} input[k]; writes the total Σ input
   * as one u32 to totalBuffer at totalOffset. Sums wrap modulo 2³². Throws AvatarInputError on bad arguments
   * (nothing is encoded then).
   */
  encode(encoder: GPUCommandEncoder, args: PrefixSumArgs): void;
  destroy(): void;
}

/** Internal: as PrefixSumArgs, with the GPU count multiplied by `countScale` (the radix sorter scans 16 digit rows). */
export interface ScaledPrefixSumArgs extends PrefixSumArgs {
  countScale?: number;
}

/** The SDK-internal face of the prefix sum: also encodes into an open compute pass. */
export interface PrefixSumInternal extends PrefixSum {
  encodeInPass(pass: GPUComputePassEncoder, args: ScaledPrefixSumArgs): void;
}

/** Creates a prefix sum for up to `maxCount` elements (an integer in 0…2³⁰). */
export function createPrefixSum(device: GPUDevice, maxCount: number, options?: GpuPrimitiveOptions): PrefixSumInternal {
  if (!Number.isInteger(maxCount) || maxCount < 0 || maxCount > 2 ** 30) {
    throw new AvatarInputError(`maxCount: expected an integer in 0…${2 ** 30}, got ${describeValue(maxCount)}`);
  }
  const maxWords = Math.floor(device.limits.maxStorageBufferBindingSize / 4);
  if (maxCount > maxWords) {
    throw new AvatarInputError(`maxCount: expected ≤ ${maxWords} (this device's maxStorageBufferBindingSize / 4), got ${maxCount}`);
  }
  return new GpuPrefixSum(device, maxCount, resolveMaxWorkgroups(device, options));
}

class GpuPrefixSum implements PrefixSumInternal {
  private readonly constants: ConstantBuffers;
  private readonly planner: DispatchPlanner;
  private readonly levels: number;
  /** blockSums[k] holds the block totals of level k (the input of level k + 1); the last one holds the grand total. */
  private readonly blockSums: GPUBuffer[] = [];
  /** scanned[k] (k ≥ 1) holds the exclusive scan of blockSums[k - 1]. */
  private readonly scanned: GPUBuffer[] = [];
  private readonly levelParams: GPUBuffer[] = [];
  private readonly scanPipeline: GPUComputePipeline;
  private readonly addPipeline: GPUComputePipeline;
  private readonly totalPipeline: GPUComputePipeline;
  private readonly bindGroups = new BindGroupCache();

  constructor(private readonly device: GPUDevice, private readonly maxCount: number, maxWorkgroupsX: number) {
    this.constants = new ConstantBuffers(device);
    this.levels = levelCount(maxCount);
    this.planner = new DispatchPlanner(device, this.levels, this.constants, 'prefix sum', maxWorkgroupsX);
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC;
    let n = maxCount;
    for (let k = 0; k < this.levels; k++) {
      n = Math.max(1, Math.ceil(n / BLOCK_SIZE));
      this.blockSums.push(device.createBuffer({ label: `prefix sum block sums ${k}`, size: 4 * n, usage }));
      if (k + 1 < this.levels) this.scanned.push(device.createBuffer({ label: `prefix sum scanned ${k + 1}`, size: 4 * n, usage }));
      this.levelParams.push(this.constants.get([k]));
    }
    const pipeline = (label: string, code: string) => cachedComputePipeline(device, label, code);
    this.scanPipeline = pipeline('prefix_sum_scan_blocks', dispatchHelpers + scanBlocksSource);
    this.addPipeline = pipeline('prefix_sum_add_block_offsets', dispatchHelpers + addBlockOffsetsSource);
    this.totalPipeline = pipeline('prefix_sum_write_total', writeTotalSource);
  }

  encode(encoder: GPUCommandEncoder, args: PrefixSumArgs): void {
    const count = this.validate(args);
    const pass = encoder.beginComputePass({ label: 'prefix sum' });
    this.encodeValidated(pass, args, count);
    pass.end();
  }

  encodeInPass(pass: GPUComputePassEncoder, args: ScaledPrefixSumArgs): void {
    this.encodeValidated(pass, args, this.validate(args));
  }

  /** Throws AvatarInputError on bad arguments; returns the count as a GPU location. */
  private validate(args: ScaledPrefixSumArgs): { buffer: GPUBuffer; offset: number } {
    if (typeof args !== 'object' || args === null) throw new AvatarInputError(`prefixSum.encode args: expected an object, got ${describeValue(args)}`);
    requireUsage('input', args.input, GPUBufferUsage.STORAGE, 'STORAGE');
    requireUsage('output', args.output, GPUBufferUsage.STORAGE, 'STORAGE');
    requireUsage('totalBuffer', args.totalBuffer, GPUBufferUsage.STORAGE, 'STORAGE');
    if (args.input === args.output) throw new AvatarInputError('output: expected a buffer other than input (they may not alias)');
    const totalOffset = args.totalOffset ?? 0;
    if (!Number.isInteger(totalOffset) || totalOffset < 0 || totalOffset % 4 !== 0 || totalOffset + 4 > args.totalBuffer.size) {
      throw new AvatarInputError(`totalOffset: expected a multiple of 4 with totalOffset + 4 ≤ ${args.totalBuffer.size} (totalBuffer size), got ${describeValue(totalOffset)}`);
    }
    const scale = args.countScale ?? 1;
    const count = resolveCount('count', args.count, Math.floor(this.maxCount / scale), this.constants);
    if (typeof args.count === 'number') {
      const n = args.count * scale;
      for (const [field, buffer] of [['input', args.input], ['output', args.output]] as const) {
        if (Number.isInteger(n) && buffer.size < 4 * n) {
          throw new AvatarInputError(`${field}: expected a buffer of at least ${4 * n} bytes (count ${n} × u32), got ${buffer.size} bytes`);
        }
      }
    }
    return count;
  }

  private encodeValidated(pass: GPUComputePassEncoder, args: ScaledPrefixSumArgs, count: { buffer: GPUBuffer; offset: number }): void {
    const { input, output, totalBuffer } = args;
    const scale = args.countScale ?? 1;
    // GPU counts are clamped so no kernel reads or writes past a buffer.
    const capacity = Math.floor(Math.min(this.maxCount, input.size / 4, output.size / 4) / scale);
    this.planner.encode(pass, count, capacity, scale);
    const sizes = this.planner.sizes;
    const args3 = this.planner.args;

    // Down: scan every level's blocks, collecting block totals into the next level.
    for (let k = 0; k < this.levels; k++) {
      const levelInput = k === 0 ? input : this.blockSums[k - 1];
      const levelOutput = k === 0 ? output : this.scanned[k - 1];
      const bindGroup = this.bindGroups.get([this.scanPipeline, levelInput, levelOutput], () =>
        this.bind(this.scanPipeline, [levelInput, levelOutput, this.blockSums[k], sizes, this.levelParams[k]]),
      );
      pass.setPipeline(this.scanPipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroupsIndirect(args3, 12 * k);
    }
    // Up: add the scanned block totals of level k + 1 to level k.
    for (let k = this.levels - 2; k >= 0; k--) {
      const levelOutput = k === 0 ? output : this.scanned[k - 1];
      const bindGroup = this.bindGroups.get([this.addPipeline, levelOutput], () =>
        this.bind(this.addPipeline, [levelOutput, this.scanned[k], sizes, this.levelParams[k]]),
      );
      pass.setPipeline(this.addPipeline);
      pass.setBindGroup(0, bindGroup);
      pass.dispatchWorkgroupsIndirect(args3, 12 * k);
    }
    const where = this.constants.get([(args.totalOffset ?? 0) / 4]);
    const totalBindGroup = this.bindGroups.get([this.totalPipeline, totalBuffer, where], () =>
      this.bind(this.totalPipeline, [this.blockSums[this.levels - 1], totalBuffer, where]),
    );
    pass.setPipeline(this.totalPipeline);
    pass.setBindGroup(0, totalBindGroup);
    pass.dispatchWorkgroups(1);
  }

  private bind(pipeline: GPUComputePipeline, buffers: GPUBuffer[]): GPUBindGroup {
    return this.device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
  }

  destroy(): void {
    this.planner.destroy();
    for (const b of [...this.blockSums, ...this.scanned]) b.destroy();
    this.constants.destroy();
    this.bindGroups.clear();
  }
}
