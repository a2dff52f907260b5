// Shared pieces of the appearance-network browser tests: upload, read back, compare.
import { expect } from 'chai';
import { createBufferFrom, readBuffer } from '../../src/gpu/buffers.js';

export const TEST_USAGE = () => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

/** A STORAGE buffer holding `data` as f32 (at least 4 bytes). */
export function upload(device: GPUDevice, data: ArrayLike<number>): GPUBuffer {
  const f32 = Float32Array.from(data.length ? data : [0]);
  return createBufferFrom(device, f32, TEST_USAGE());
}

/** A buffer of `floats` f32 filled with NaN, so a kernel that skips an entry is caught. */
export function nanBuffer(device: GPUDevice, floats: number): GPUBuffer {
  return upload(device, new Float32Array(Math.max(1, floats)).fill(NaN));
}

export async function readFloats(device: GPUDevice, buffer: GPUBuffer, floats: number): Promise<Float32Array> {
  return new Float32Array(await readBuffer(device, buffer, 4 * Math.max(1, floats))).slice(0, floats);
}

/** Fails on the first entry with |got − want| > absolute + relative · scale[k] (scale: |want| by default). */
export function expectClose(what: string, got: ArrayLike<number>, want: ArrayLike<number>, absolute: number, relative = 0, scale?: ArrayLike<number>): number {
  expect(got.length, `${what} length`).to.equal(want.length);
  let worst = 0;
  for (let k = 0; k < want.length; k++) {
    const error = Math.abs(got[k] - want[k]);
    const tolerance = absolute + relative * Math.abs(scale ? scale[k] : want[k]);
    if (!(error <= tolerance)) expect.fail(`${what}[${k}]: expected ${want[k]}, got ${got[k]} (tolerance ${tolerance})`);
    worst = Math.max(worst, error);
  }
  return worst;
}

export async function submit(device: GPUDevice, encode: (encoder: GPUCommandEncoder) => void): Promise<void> {
  const encoder = device.createCommandEncoder();
  encode(encoder);
  device.queue.submit([encoder.finish()]);
  await device.queue.onSubmittedWorkDone();
}
