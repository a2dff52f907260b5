/**
 * Small helpers shared by the appearance-network modules (src/train/nn/): pipeline creation,
 * one-thread-per-item dispatches, argument checks that name the field, and f32 → u32 bits for
 * parameter buffers (ConstantBuffers holds u32; kernels read the f32 fields by their struct type).
 */
import { AvatarInputError, describeValue } from '../../errors.js';
import { requireUsage } from '../../gpu/indirect.js';
import { cachedComputePipeline } from '../../gpu/pipeline-cache.js';

/** Threads per workgroup of the one-thread-per-item kernels. */
export const THREADS = 256;
const MAX_WORKGROUPS_X = 65535;

/**
 * A compute pipeline (entry point `main`, auto layout) for `code`, compiled once per device
 * (src/gpu/pipeline-cache.ts): modules created again (another network, a test) reuse it.
 */
export function createPipeline(device: GPUDevice, label: string, code: string): GPUComputePipeline {
  return cachedComputePipeline(device, label, code);
}

export function bindBuffers(device: GPUDevice, pipeline: GPUComputePipeline, buffers: GPUBuffer[]): GPUBindGroup {
  return device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
  });
}

/** Dispatches ceil(items / 256) workgroups, split over x and y past 65535 (see helpers/dispatch.wgsl). */
export function dispatchItems(pass: GPUComputePassEncoder, items: number): void {
  const blocks = Math.ceil(items / THREADS);
  if (blocks === 0) return;
  const x = Math.min(blocks, MAX_WORKGROUPS_X);
  pass.dispatchWorkgroups(x, Math.ceil(blocks / x));
}

/** The u32 bit pattern of `value` rounded to f32. */
export function f32Bits(value: number): number {
  return new Uint32Array(new Float32Array([value]).buffer)[0];
}

/** Throws AvatarInputError unless `buffer` is a STORAGE GPUBuffer holding at least `floats` f32 (4 bytes when 0: bindings may not be empty). */
export function requireFloats(field: string, buffer: unknown, floats: number): asserts buffer is GPUBuffer {
  requireUsage(field, buffer, GPUBufferUsage.STORAGE, 'STORAGE');
  const bytes = Math.max(4, 4 * floats);
  if (buffer.size < bytes) {
    throw new AvatarInputError(`${field}: expected a buffer of at least ${bytes} bytes (${floats} f32), got ${buffer.size} bytes`);
  }
}

/** Throws AvatarInputError unless `value` is an integer in min…max. */
export function requireInteger(field: string, value: unknown, min: number, max: number, note = ''): asserts value is number {
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max) {
    throw new AvatarInputError(`${field}: expected an integer in ${min}…${max}${note}, got ${describeValue(value)}`);
  }
}

/** Throws AvatarInputError unless `value` is a finite number (in min…max when given). */
export function requireFinite(field: string, value: unknown, min = -Infinity, max = Infinity): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
    const range = Number.isFinite(min) || Number.isFinite(max) ? ` in ${min}…${max}` : '';
    throw new AvatarInputError(`${field}: expected a finite number${range}, got ${describeValue(value)}`);
  }
}

/** Throws AvatarInputError if the output buffer `output` is also passed as any of `others`. */
export function requireNoAlias(output: string, args: Record<string, unknown>, others: string[]): void {
  for (const field of others) {
    if (field !== output && args[field] !== undefined && args[field] === args[output]) {
      throw new AvatarInputError(`${output}: expected a buffer other than ${field} (outputs may not alias inputs)`);
    }
  }
}

/** Throws AvatarInputError unless `args` is a non-null object. */
export function requireObject(field: string, args: unknown): asserts args is Record<string, unknown> {
  if (typeof args !== 'object' || args === null) throw new AvatarInputError(`${field}: expected an object, got ${describeValue(args)}`);
}

/** queue.writeBuffer of a whole Float32Array (any backing buffer). */
export function writeFloats(device: GPUDevice, buffer: GPUBuffer, data: Float32Array): void {
  device.queue.writeBuffer(buffer, 0, data.buffer as ArrayBuffer, data.byteOffset, data.byteLength);
}
