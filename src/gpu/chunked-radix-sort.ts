/**
 * Stable GPU radix sort of (u32 key, u32 value) pairs for short keys, made for CPU implementations
 * of WebGPU (SwiftShader): least significant digit first, 6 bits per pass, ceil(bits / 6) passes,
 * each pass three dispatches — count the digits of each chunk of 128 pairs
 * (count_chunk_digits.wgsl) → scan the digit-major counts, one thread per digit
 * (scan_chunk_digits.wgsl) → move each chunk's pairs in order (scatter_chunk_digits.wgsl). One
 * invocation walks one chunk with its histogram or cursors in private memory: no workgroup memory
 * and no barriers where the pairs are touched. SwiftShader runs workgroup memory and barriers very
 * slowly, so this sorts 64k 12-bit keys in ~6 ms where radix-sort.ts (1024-pair blocks, workgroup
 * ranks) takes ~190 ms; on a GPU its few long-running invocations use the hardware poorly, so keep
 * radix-sort.ts for long keys and large counts (training). Same interface as RadixSorter.
 */
import chunkSortHelpers from '../../wgsl/helpers/chunk_sort.wgsl';
import countSource from '../../wgsl/count_chunk_digits.wgsl';
import scanSource from '../../wgsl/scan_chunk_digits.wgsl';
import scatterSource from '../../wgsl/scatter_chunk_digits.wgsl';
import { AvatarInputError, describeValue } from '../errors.js';
import { BindGroupCache } from './bind-group-cache.js';
import { ConstantBuffers } from './buffers.js';
import { validateSortArgs, type RadixSortArgs, type RadixSorter } from './radix-sort.js';
import { cachedComputePipeline } from './pipeline-cache.js';
import { STORAGE_COPYABLE } from './buffer-usage.js';

/** Pairs per chunk (one invocation each); CHUNK in wgsl/helpers/chunk_sort.wgsl. */
export const SORT_CHUNK = 128;
/** Bits per pass; RADIX = 2^6 in wgsl/helpers/chunk_sort.wgsl. */
export const SORT_DIGIT_BITS = 6;
const RADIX = 1 << SORT_DIGIT_BITS;
const WORKGROUP = 64;

export interface ChunkedRadixSorter extends RadixSorter {
  /**
   * For tests: after a sort, the last pass's scanned counts — RADIX rows of `maxChunks` u32 (row d,
   * column j: pairs of digit d in chunks before j), then the RADIX digit bases.
   */
  readonly digitOffsets: GPUBuffer;
  /** Row length of digitOffsets: ceil(maxCount / SORT_CHUNK), at least 1. */
  readonly maxChunks: number;
}

/** Creates a chunked radix sorter for up to `maxCount` pairs; it owns ping-pong buffers of 2 × 4 × maxCount bytes. */
export function createChunkedRadixSorter(device: GPUDevice, maxCount: number): ChunkedRadixSorter {
  const maxWords = Math.floor(device.limits.maxStorageBufferBindingSize / 4);
  const limit = Math.min(maxWords, WORKGROUP * device.limits.maxComputeWorkgroupsPerDimension * SORT_CHUNK);
  if (!Number.isInteger(maxCount) || maxCount < 0 || maxCount > limit) {
    throw new AvatarInputError(`maxCount: expected an integer in 0…${limit} (this device's storage binding and dispatch limits), got ${describeValue(maxCount)}`);
  }
  return new GpuChunkedRadixSorter(device, maxCount);
}

class GpuChunkedRadixSorter implements ChunkedRadixSorter {
  readonly maxChunks: number;
  readonly digitOffsets: GPUBuffer;
  private readonly constants: ConstantBuffers;
  private readonly tempKeys: GPUBuffer;
  private readonly tempValues: GPUBuffer;
  private readonly countPipeline: GPUComputePipeline;
  private readonly scanPipeline: GPUComputePipeline;
  private readonly scatterPipeline: GPUComputePipeline;
  private readonly bindGroups = new BindGroupCache();

  constructor(private readonly device: GPUDevice, private readonly maxCount: number) {
    this.constants = new ConstantBuffers(device);
    this.maxChunks = Math.max(1, Math.ceil(maxCount / SORT_CHUNK));
    const usage = STORAGE_COPYABLE;
    const words = (n: number, label: string) => device.createBuffer({ label: `chunked radix sort ${label}`, size: 4 * Math.max(1, n), usage });
    this.tempKeys = words(maxCount, 'keys (ping-pong)');
    this.tempValues = words(maxCount, 'values (ping-pong)');
    this.digitOffsets = words(RADIX * (this.maxChunks + 1), 'digit offsets');
    const pipeline = (label: string, code: string) => cachedComputePipeline(device, label, chunkSortHelpers + code);
    this.countPipeline = pipeline('count_chunk_digits', countSource);
    this.scanPipeline = pipeline('scan_chunk_digits', scanSource);
    this.scatterPipeline = pipeline('scatter_chunk_digits', scatterSource);
  }

  encode(encoder: GPUCommandEncoder, args: RadixSortArgs): void {
    const count = this.validate(args);
    const { keys, values, bits } = args;
    const passes = Math.ceil(bits / SORT_DIGIT_BITS);
    const capacity = Math.min(this.maxCount, Math.floor(keys.size / 4), Math.floor(values.size / 4));
    // Ping-pong so the last pass writes into the caller's buffers: with an odd number of passes,
    // start from a copy of the pairs in the temporaries.
    let src = { keys, values };
    let dst = { keys: this.tempKeys, values: this.tempValues };
    if (passes % 2 === 1 && capacity > 0) {
      encoder.copyBufferToBuffer(keys, 0, this.tempKeys, 0, 4 * capacity);
      encoder.copyBufferToBuffer(values, 0, this.tempValues, 0, 4 * capacity);
      [src, dst] = [dst, src];
    }
    const groups = Math.ceil(this.maxChunks / WORKGROUP);
    const pass = encoder.beginComputePass({ label: 'chunked radix sort' });
    for (let p = 0; p < passes; p++) {
      const digitBits = Math.min(SORT_DIGIT_BITS, bits - SORT_DIGIT_BITS * p);
      const uniform = this.constants.get([SORT_DIGIT_BITS * p, 2 ** digitBits - 1, this.maxChunks, count.offset / 4, capacity, 0, 0, 0]);
      const shared = [uniform, count.buffer];
      this.dispatch(pass, this.countPipeline, [...shared, src.keys, this.digitOffsets], groups);
      this.dispatch(pass, this.scanPipeline, [...shared, this.digitOffsets], 1);
      this.dispatch(pass, this.scatterPipeline, [...shared, this.digitOffsets, src.keys, src.values, dst.keys, dst.values], groups);
      [src, dst] = [dst, src];
    }
    pass.end();
  }

  private dispatch(pass: GPUComputePassEncoder, pipeline: GPUComputePipeline, buffers: GPUBuffer[], groups: number): void {
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, this.bindGroups.get([pipeline, ...buffers], () =>
      this.device.createBindGroup({
        layout: pipeline.getBindGroupLayout(0),
        entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
      }),
    ));
    pass.dispatchWorkgroups(groups);
  }

  /** Throws AvatarInputError on bad arguments; returns the count as a GPU location. */
  private validate(args: RadixSortArgs): { buffer: GPUBuffer; offset: number } {
    return validateSortArgs('chunkedRadixSorter', args, this.maxCount, this.constants);
  }

  destroy(): void {
    for (const b of [this.tempKeys, this.tempValues, this.digitOffsets]) b.destroy();
    this.constants.destroy();
    this.bindGroups.clear();
  }
}
