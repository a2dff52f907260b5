/**
 * Deterministic GPU sums for loss logging (wgsl/reduce_sum.wgsl): each row of values is added in a
 * fixed pairwise-tree order (groups of 64, then groups of the group sums, …), so the same input
 * always gives the same bits — no atomics, no dependence on scheduling — and the rounding error
 * grows like log2(count), not count.
 *
 * Layouts (f32): input rows × count, row r at r·count; output[outputOffset + r] = Σ row r.
 */
import dispatchHelpers from '../../../wgsl/helpers/dispatch.wgsl';
import reduceSource from '../../../wgsl/reduce_sum.wgsl';
import { AvatarInputError } from '../../errors.js';
import { BindGroupCache } from '../../gpu/bind-group-cache.js';
import { ConstantBuffers } from '../../gpu/buffers.js';
import { bindBuffers, createPipeline, requireFloats, requireInteger, requireObject } from '../nn/kernel-utils.js';
import { requireDevice } from './require-device.js';

/** Values each output of one reduce_sum.wgsl level adds (FAN_IN there). */
export const REDUCE_FAN_IN = 64;
const THREADS = 256;
const MAX_WORKGROUPS_X = 65535;
const MAX_ROWS = 65535;

export interface SumReducerOptions {
  /** Largest count per row (≥ 1). */
  maxCount: number;
  /** Largest number of rows summed in one call (1…65535). Default 1. */
  maxRows?: number;
}

export interface SumArgs {
  /** rows × count f32 (STORAGE). */
  input: GPUBuffer;
  /** Values per row (1…maxCount). */
  count: number;
  /** Rows (1…maxRows). Default 1. */
  rows?: number;
  /** Receives the row sums at outputOffset…outputOffset + rows − 1 (STORAGE; not `input`). */
  output: GPUBuffer;
  /** First f32 written in `output`. Default 0. */
  outputOffset?: number;
}

export interface SumReducer {
  readonly maxCount: number;
  readonly maxRows: number;
  /** Encodes the sum as compute dispatches into a pass the caller owns. */
  encodeInPass(pass: GPUComputePassEncoder, args: SumArgs): void;
  destroy(): void;
}

/** Creates a row-sum reducer with scratch for rows × ceil(maxCount / 64) partial sums (two ping-pong buffers). */
export function createSumReducer(device: GPUDevice, options: SumReducerOptions): SumReducer {
  requireDevice(device);
  requireObject('options', options);
  requireInteger('maxCount', options.maxCount, 1, 2 ** 32 - 1);
  requireInteger('maxRows', options.maxRows ?? 1, 1, MAX_ROWS);
  return new GpuSumReducer(device, options.maxCount, options.maxRows ?? 1);
}

class GpuSumReducer implements SumReducer {
  private readonly pipeline: GPUComputePipeline;
  private readonly constants: ConstantBuffers;
  private readonly bindGroups = new BindGroupCache();
  private readonly scratch: [GPUBuffer, GPUBuffer];

  constructor(private readonly device: GPUDevice, readonly maxCount: number, readonly maxRows: number) {
    this.pipeline = createPipeline(device, 'reduce_sum', dispatchHelpers + reduceSource);
    this.constants = new ConstantBuffers(device);
    const floats = maxRows * Math.ceil(maxCount / REDUCE_FAN_IN);
    if (4 * floats > device.limits.maxStorageBufferBindingSize) {
      throw new AvatarInputError(`maxCount: ${maxRows} rows × ${maxCount} values need more partial sums than this device's maxStorageBufferBindingSize allows`);
    }
    const make = (label: string) => device.createBuffer({ label, size: Math.max(4, 4 * floats), usage: GPUBufferUsage.STORAGE });
    this.scratch = [make('reduce_sum partials A'), make('reduce_sum partials B')];
  }

  encodeInPass(pass: GPUComputePassEncoder, args: SumArgs): void {
    requireObject('sum args', args);
    const { input, output, count } = args;
    const rows = args.rows ?? 1;
    const outputOffset = args.outputOffset ?? 0;
    requireInteger('count', count, 1, this.maxCount, ' (maxCount)');
    requireInteger('rows', rows, 1, this.maxRows, ' (maxRows)');
    requireInteger('outputOffset', outputOffset, 0, 2 ** 32 - 1);
    requireFloats('input', input, rows * count);
    requireFloats('output', output, outputOffset + rows);
    if (input === output) throw new AvatarInputError('output: expected a buffer other than input (outputs may not alias inputs)');

    pass.setPipeline(this.pipeline);
    let source = input;
    let n = count;
    for (let level = 0; ; level++) {
      const outputs = Math.ceil(n / REDUCE_FAN_IN);
      const last = outputs === 1;
      const target = last ? output : this.scratch[level % 2];
      const params = this.constants.get([n, outputs, last ? outputOffset : 0]);
      pass.setBindGroup(0, this.bindGroups.get([source, target, params], () => bindBuffers(this.device, this.pipeline, [source, target, params])));
      const workgroups = Math.ceil(outputs / THREADS);
      const x = Math.min(workgroups, MAX_WORKGROUPS_X);
      pass.dispatchWorkgroups(x, Math.ceil(workgroups / x), rows);
      if (last) return;
      source = target;
      n = outputs;
    }
  }

  destroy(): void {
    for (const buffer of this.scratch) buffer.destroy();
    this.constants.destroy();
    this.bindGroups.clear();
  }
}
