/// <reference types="mocha" />
import { expect } from 'chai';
import { getTestDevice, expectNoGpuError } from '../helpers/gpu-device.js';
import { DispatchPlanner, levelCount } from '../../src/gpu/indirect.js';
import { ConstantBuffers, createBufferFrom, readBuffer } from '../../src/gpu/buffers.js';

/** Plain TS twin of wgsl/write_dispatch_args.wgsl. */
function planTwin(count: number, capacity: number, scale: number, levels: number) {
  const sizes: number[] = [];
  const args: number[] = [];
  let n = Math.min(count, capacity) * scale;
  for (let k = 0; k < levels; k++) {
    sizes.push(n);
    const blocks = Math.max(1, Math.ceil(n / 1024));
    args.push(Math.min(blocks, 65535), Math.ceil(blocks / 65535), 1);
    n = blocks;
  }
  sizes.push(n);
  return { sizes, args };
}

describe('DispatchPlanner (write_dispatch_args.wgsl)', () => {
  it('levelCount: one level per factor of 1024', () => {
    expect([0, 1, 1024, 1025, 1024 * 1024, 1024 * 1024 + 1].map(levelCount)).to.deep.equal([1, 1, 1, 2, 2, 3]);
  });

  // Large counts check the x × y split past 65535 workgroups without running a kernel that big.
  const cases: [number, number, number, number][] = [
    [0, 100, 1, 1], [1, 100, 1, 1], [1025, 5000, 1, 2], [5000, 3000, 1, 2], [7, 1000, 16, 1],
    [100_000_000, 2 ** 30, 1, 3], [67_107_841, 2 ** 30, 1, 3], [70_000, 2 ** 30, 16, 3],
  ];
  for (const [count, capacity, scale, levels] of cases) {
    it(`count ${count}, capacity ${capacity}, scale ${scale}, ${levels} level(s) matches the twin`, async () => {
      const device = await getTestDevice();
      const constants = new ConstantBuffers(device);
      const planner = new DispatchPlanner(device, levels, constants, 'test', 65535);
      const source = createBufferFrom(device, new Uint32Array([123, 456, count]), GPUBufferUsage.STORAGE);
      await expectNoGpuError(device, async () => {
        const encoder = device.createCommandEncoder();
        const pass = encoder.beginComputePass();
        planner.encode(pass, { buffer: source, offset: 8 }, capacity, scale);
        pass.end();
        device.queue.submit([encoder.finish()]);
      });
      const want = planTwin(count, capacity, scale, levels);
      expect([...new Uint32Array(await readBuffer(device, planner.sizes))]).to.deep.equal(want.sizes);
      expect([...new Uint32Array(await readBuffer(device, planner.args))]).to.deep.equal(want.args);
      planner.destroy();
      constants.destroy();
      source.destroy();
    });
  }
});
