/** Small GPU buffer utilities shared by the SDK's kernels. */
import { AvatarInputError, GpuDeviceError, describeValue } from '../errors.js';

type TypedArray = Float32Array | Uint32Array | Int32Array | Uint16Array | Uint8Array | Int16Array | Int8Array | Float64Array;

/**
 * Creates a buffer holding a copy of `data` (its bytes, padded with zeros to a multiple of 4,
 * as WebGPU requires). `usage` is GPUBufferUsage flags.
 */
export function createBufferFrom(device: GPUDevice, data: TypedArray, usage: GPUBufferUsageFlags, label?: string): GPUBuffer {
  const size = Math.max(4, Math.ceil(data.byteLength / 4) * 4);
  const buffer = device.createBuffer({ size, usage, mappedAtCreation: true, label });
  new Uint8Array(buffer.getMappedRange()).set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
  buffer.unmap();
  return buffer;
}

/**
 * Copies `byteLength` bytes (default: the rest of the buffer) starting at `byteOffset` out of a
 * GPU buffer (which needs COPY_SRC usage), after all work submitted so far. Offset and length
 * must be multiples of 4. Rejects with AvatarInputError for a bad range, GpuDeviceError when the
 * device is lost.
 */
export async function readBuffer(device: GPUDevice, buffer: GPUBuffer, byteLength?: number, byteOffset = 0): Promise<ArrayBuffer> {
  if (!(buffer instanceof GPUBuffer)) throw new AvatarInputError(`readBuffer: expected a GPUBuffer, got ${describeValue(buffer)}`);
  if ((buffer.usage & GPUBufferUsage.COPY_SRC) === 0) {
    // Without COPY_SRC the copy fails validation and the read would silently return zeros.
    throw new AvatarInputError(`readBuffer: expected a buffer with COPY_SRC usage, got usage flags ${buffer.usage}`);
  }
  const length = byteLength ?? buffer.size - byteOffset;
  if (byteOffset % 4 !== 0 || length % 4 !== 0 || byteOffset < 0 || length < 0 || byteOffset + length > buffer.size) {
    throw new AvatarInputError(`readBuffer: expected a 4-byte-aligned range inside the ${buffer.size}-byte buffer, got offset ${byteOffset}, length ${length}`);
  }
  if (length === 0) return new ArrayBuffer(0);
  const staging = device.createBuffer({ size: length, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST, label: 'readBuffer staging' });
  const encoder = device.createCommandEncoder();
  encoder.copyBufferToBuffer(buffer, byteOffset, staging, 0, length);
  device.queue.submit([encoder.finish()]);
  try {
    try {
      await staging.mapAsync(GPUMapMode.READ);
    } catch (cause) {
      // mapAsync rejects when the device is lost or the copy was invalid.
      throw new GpuDeviceError(`readBuffer: reading ${length} bytes back from the GPU failed: ${String(cause)}`, { cause });
    }
    return staging.getMappedRange().slice(0);
  } finally {
    staging.destroy();
  }
}

/**
 * Small constant u32 buffers (UNIFORM | STORAGE), created once per distinct value list and kept.
 * Kernels take per-call parameters (counts, offsets, shifts) from these instead of
 * `queue.writeBuffer`, which would be overwritten by a later encode before the first one runs.
 */
export class ConstantBuffers {
  private readonly cache = new Map<string, GPUBuffer>();

  constructor(private readonly device: GPUDevice, private readonly maxEntries = 256) {}

  /** A buffer holding `values` as u32 (padded with zeros to 16 bytes). */
  get(values: readonly number[]): GPUBuffer {
    const key = values.join(',');
    let buffer = this.cache.get(key);
    if (!buffer) {
      // Beyond maxEntries drop the oldest (not destroy: in-flight work may still use it; GC frees it).
      if (this.cache.size >= this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
      const data = new Uint32Array(Math.max(4, Math.ceil(values.length / 4) * 4));
      data.set(values);
      buffer = createBufferFrom(this.device, data, GPUBufferUsage.UNIFORM | GPUBufferUsage.STORAGE, `constants ${key}`);
      this.cache.set(key, buffer);
    }
    return buffer;
  }

  destroy(): void {
    for (const buffer of this.cache.values()) buffer.destroy();
    this.cache.clear();
  }
}
