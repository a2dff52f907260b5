/// <reference types="mocha" />
import { expect } from 'chai';
import { requestGpuDevice } from '../../src/gpu/device.js';
import { createBufferFrom, readBuffer, ConstantBuffers } from '../../src/gpu/buffers.js';
import { AvatarInputError, WebGPUUnavailableError } from '../../src/errors.js';
import { getTestDevice } from '../helpers/gpu-device.js';

/** Replaces navigator.gpu for the duration of `body` (an own property shadows the prototype getter). */
async function withNavigatorGpu<T>(gpu: unknown, body: () => Promise<T>): Promise<T> {
  Object.defineProperty(navigator, 'gpu', { value: gpu, configurable: true });
  try {
    return await body();
  } finally {
    delete (navigator as unknown as Record<string, unknown>).gpu;
  }
}

describe('requestGpuDevice', () => {
  it('returns a device with the optional features the adapter has and its storage limits', async () => {
    const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
    expect(adapter, 'test machine adapter').to.not.equal(null);
    const device = await requestGpuDevice();
    try {
      for (const feature of ['timestamp-query', 'subgroups', 'float32-blendable'] as GPUFeatureName[]) {
        expect(device.features.has(feature), feature).to.equal(adapter!.features.has(feature));
      }
      for (const limit of ['maxStorageBufferBindingSize', 'maxBufferSize', 'maxStorageBuffersPerShaderStage', 'maxComputeWorkgroupStorageSize'] as const) {
        expect(device.limits[limit], limit).to.equal(adapter!.limits[limit]);
      }
    } finally {
      device.destroy();
    }
  });

  it('rejects with WebGPUUnavailableError when navigator.gpu is missing', async () => {
    const error = await withNavigatorGpu(undefined, () => requestGpuDevice().then(() => null, (e: unknown) => e));
    expect(error).to.be.instanceOf(WebGPUUnavailableError);
    expect((error as Error).message).to.match(/^WebGPU is not available in this browser: navigator\.gpu is missing/);
  });

  it('rejects with WebGPUUnavailableError when there is no adapter', async () => {
    const error = await withNavigatorGpu({ requestAdapter: async () => null }, () => requestGpuDevice().then(() => null, (e: unknown) => e));
    expect(error).to.be.instanceOf(WebGPUUnavailableError);
    expect((error as Error).message).to.match(/requestAdapter\(\) returned null/);
  });
});

describe('GPU buffer utilities', () => {
  it('createBufferFrom pads to 4 bytes and readBuffer returns the bytes back', async () => {
    const device = await getTestDevice();
    const bytes = Uint8Array.from([1, 2, 3, 4, 5, 6, 7]);
    const buffer = createBufferFrom(device, bytes, GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC);
    expect(buffer.size).to.equal(8);
    expect([...new Uint8Array(await readBuffer(device, buffer))]).to.deep.equal([1, 2, 3, 4, 5, 6, 7, 0]);
    const floats = Float32Array.from([1.5, -2.25, 3e-7]);
    const fb = createBufferFrom(device, floats.subarray(1), GPUBufferUsage.COPY_SRC);
    expect([...new Float32Array(await readBuffer(device, fb))]).to.deep.equal([...floats.subarray(1)]);
    expect([...new Float32Array(await readBuffer(device, fb, 4, 4))]).to.deep.equal([floats[2]]);
    const rejection = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);
    const misaligned = await rejection(readBuffer(device, fb, 3));
    expect(misaligned).to.be.instanceOf(AvatarInputError);
    expect((misaligned as Error).message).to.match(/readBuffer: expected a 4-byte-aligned range/);
    const pastEnd = await rejection(readBuffer(device, fb, 8, 4));
    expect(pastEnd).to.be.instanceOf(AvatarInputError);
    expect((pastEnd as Error).message).to.match(/inside the 8-byte buffer/);
    const noCopy = device.createBuffer({ size: 16, usage: GPUBufferUsage.STORAGE });
    const refused = await rejection(readBuffer(device, noCopy));
    expect(refused).to.be.instanceOf(AvatarInputError);
    expect((refused as Error).message).to.match(/readBuffer: expected a buffer with COPY_SRC usage/);
    for (const b of [buffer, fb, noCopy]) b.destroy();
  });

  it('ConstantBuffers returns one buffer per distinct value list', async () => {
    const device = await getTestDevice();
    const constants = new ConstantBuffers(device, 2);
    const a = constants.get([1, 2]);
    expect(constants.get([1, 2])).to.equal(a);
    const b = constants.get([2, 1]);
    expect(b).to.not.equal(a);
    expect(b.size).to.equal(16);
    expect(b.usage & GPUBufferUsage.UNIFORM).to.not.equal(0);
    // Past maxEntries the oldest entry is dropped and recreated on demand.
    constants.get([3]);
    expect(constants.get([1, 2])).to.not.equal(a);
    constants.destroy();
  });
});
