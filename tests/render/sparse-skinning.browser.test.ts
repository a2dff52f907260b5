/// <reference types="mocha" />
// The sparse skinner (src/render/sparse-skinning.ts) against its twin and, bit for bit, the dense skinner.
import { expect } from 'chai';
import { getTestDevice, expectNoGpuError } from '../helpers/gpu-device.js';
import { createGaussianSkinner } from '../../src/render/gaussian-skinning.js';
import { createSparseSkinner, sparseSkinningWeights } from '../../src/render/sparse-skinning.js';
import { createBufferFrom, readBuffer } from '../../src/gpu/buffers.js';
import { AvatarInputError } from '../../src/errors.js';
import { makeSkinningFixture } from './skinning-twin.js';
import { sparseSkinForwardTwin } from './sparse-skinning-twin.js';

const USAGE = () => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

describe('sparse skinning', () => {
  it('poses like its twin and exactly like the dense skinner (≤ 4 joints per Gaussian, 24 joints, 1000 Gaussians)', async () => {
    const device = await getTestDevice();
    const [count, numJoints] = [1000, 24];
    const fx = makeSkinningFixture(count, numJoints, 5);
    const sparse = sparseSkinningWeights(fx.weights, count, numJoints)!;
    expect(sparse, 'the fixture has ≤ 8 joints per Gaussian').to.not.equal(undefined);
    const buffer = (a: Float32Array | Uint32Array) => createBufferFrom(device, a, USAGE());
    const [canonical, dense, transforms, joints, weights] = [fx.canonical, fx.weights, fx.transforms, sparse.joints, sparse.weights].map(buffer);
    const posedSparse = buffer(new Float32Array(3 * count).fill(NaN));
    const posedDense = buffer(new Float32Array(3 * count).fill(NaN));
    const sparseSkinner = createSparseSkinner(device, count);
    const denseSkinner = createGaussianSkinner(device, { maxGaussians: count, maxJoints: numJoints });
    try {
      await expectNoGpuError(device, async () => {
        const encoder = device.createCommandEncoder();
        sparseSkinner.encodeForward(encoder, { canonical, joints, weights, transforms, posed: posedSparse, count });
        denseSkinner.encodeForward(encoder, { canonical, weights: dense, transforms, posed: posedDense, count, numJoints });
        device.queue.submit([encoder.finish()]);
      });
      const got = new Float32Array(await readBuffer(device, posedSparse));
      const reference = new Float32Array(await readBuffer(device, posedDense));
      const twin = sparseSkinForwardTwin(fx.canonical, sparse.joints, sparse.weights, fx.transforms, count);
      let worst = 0;
      for (let k = 0; k < 3 * count; k++) {
        worst = Math.max(worst, Math.abs(got[k] - twin[k]));
        if (got[k] !== reference[k]) expect.fail(`posed[${k}]: sparse ${got[k]} vs dense ${reference[k]} (expected the same bits)`);
      }
      expect(worst, 'max |GPU − twin|').to.be.lessThan(1e-5);
      const encoder = device.createCommandEncoder();
      expect(() => sparseSkinner.encodeForward(encoder, { canonical, joints, weights, transforms, posed: posedSparse, count: count + 1 })).to.throw(AvatarInputError, /^count:/);
      expect(() => sparseSkinner.encodeForward(encoder, { canonical, joints, weights: joints, transforms, posed: posedSparse, count })).to.throw(AvatarInputError, /^weights:/);
      expect(() => sparseSkinner.encodeForward(encoder, { canonical, joints, weights, transforms, posed: canonical, count })).to.throw(AvatarInputError, /^posed:/);
    } finally {
      sparseSkinner.destroy();
      denseSkinner.destroy();
      [canonical, dense, transforms, joints, weights, posedSparse, posedDense].forEach((b) => b.destroy());
    }
  });
});
