/// <reference types="mocha" />
import { expect } from 'chai';
import { getTestDevice, expectNoGpuError } from '../helpers/gpu-device.js';
import { createGaussianSkinner } from '../../src/render/gaussian-skinning.js';
import { createBufferFrom, readBuffer } from '../../src/gpu/buffers.js';
import { AvatarInputError } from '../../src/errors.js';
import { makeSkinningFixture, skinBackwardTwin, skinForwardTwin } from './skinning-twin.js';

const USAGE = () => GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;

async function runSkinning(device: GPUDevice, count: number, numJoints: number, seed: number, maxWorkgroupsPerDimension?: number) {
  const fx = makeSkinningFixture(count, numJoints, seed);
  const f32 = (a: Float32Array) => createBufferFrom(device, a.length ? a : new Float32Array(1), USAGE());
  const canonical = f32(fx.canonical), weights = f32(fx.weights), transforms = f32(fx.transforms), gradPosed = f32(fx.gradPosed);
  const posed = f32(new Float32Array(3 * count).fill(NaN));
  const gradCanonical = f32(new Float32Array(3 * count).fill(NaN));
  const gradTransforms = f32(new Float32Array(16 * numJoints).fill(NaN));
  const skinner = createGaussianSkinner(device, { maxGaussians: Math.max(count, 1), maxJoints: numJoints, maxWorkgroupsPerDimension });
  await expectNoGpuError(device, async () => {
    const encoder = device.createCommandEncoder();
    skinner.encodeForward(encoder, { canonical, weights, transforms, posed, count, numJoints });
    skinner.encodeBackward(encoder, { canonical, weights, transforms, gradPosed, gradCanonical, gradTransforms, count, numJoints });
    device.queue.submit([encoder.finish()]);
  });
  const read = async (b: GPUBuffer, n: number) => new Float32Array(await readBuffer(device, b)).subarray(0, n);
  const result = {
    fx,
    posed: await read(posed, 3 * count),
    gradCanonical: await read(gradCanonical, 3 * count),
    gradTransforms: await read(gradTransforms, 16 * numJoints),
  };
  skinner.destroy();
  for (const b of [canonical, weights, transforms, gradPosed, posed, gradCanonical, gradTransforms]) b.destroy();
  return result;
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).to.equal(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return Number.isNaN(m) ? Infinity : m;
}

describe('createGaussianSkinner (GPU linear blend skinning)', () => {
  // The last case lowers the dispatch split limit to 2 workgroups: 5 blocks → 2 × 3, one past the end.
  for (const [count, numJoints, split] of [[1000, 24], [257, 55], [1, 24], [256, 3], [300, 300], [1100, 24, 2]] as const) {
    it(`forward and backward match the f64 twin (N = ${count}, J = ${numJoints}${split ? `, dispatch split at ${split}` : ''})`, async () => {
      const device = await getTestDevice();
      const { fx, posed, gradCanonical, gradTransforms } = await runSkinning(device, count, numJoints, count + numJoints, split);
      const wantPosed = skinForwardTwin(fx.canonical, fx.weights, fx.transforms, count, numJoints);
      const want = skinBackwardTwin(fx.canonical, fx.weights, fx.transforms, fx.gradPosed, count, numJoints);
      expect(maxAbsDiff(posed, wantPosed), 'posed').to.be.below(1e-5);
      expect(maxAbsDiff(gradCanonical, want.gradCanonical), 'grad canonical').to.be.below(1e-5);
      for (let k = 0; k < 16 * numJoints; k++) {
        const tolerance = 1e-5 * want.gradTransformsMagnitude[k] + 1e-6;
        const error = Math.abs(gradTransforms[k] - want.gradTransforms[k]);
        if (!(error <= tolerance)) expect.fail(`gradTransforms[${k}]: expected ${want.gradTransforms[k]}, got ${gradTransforms[k]}`);
      }
    });
  }

  it('sums transform gradients over 40 000 Gaussians accurately (tree reduction)', async () => {
    const device = await getTestDevice();
    const count = 40_000, numJoints = 24;
    const { fx, gradTransforms } = await runSkinning(device, count, numJoints, 7);
    const want = skinBackwardTwin(fx.canonical, fx.weights, fx.transforms, fx.gradPosed, count, numJoints);
    let worst = 0;
    for (let k = 0; k < 16 * numJoints; k++) {
      const error = Math.abs(gradTransforms[k] - want.gradTransforms[k]);
      worst = Math.max(worst, error / (want.gradTransformsMagnitude[k] + 1e-12));
      // f32 partial sums of ≤ 256 terms then a tree: the error stays ~1e-6 of Σ|terms|.
      if (!(error <= 1e-5 * want.gradTransformsMagnitude[k] + 1e-6)) {
        expect.fail(`gradTransforms[${k}]: expected ${want.gradTransforms[k]}, got ${gradTransforms[k]} (Σ|terms| ${want.gradTransformsMagnitude[k]})`);
      }
    }
    console.log(`skinning: worst |gpu − f64| / Σ|terms| over ${count} Gaussians = ${worst.toExponential(2)}`);
  });

  it('writes zero transform gradients for N = 0', async () => {
    const device = await getTestDevice();
    const { gradTransforms } = await runSkinning(device, 0, 24, 1);
    expect([...gradTransforms].every((v) => v === 0)).to.equal(true);
  });

  it('rejects bad input with AvatarInputError and stays usable', async () => {
    const device = await getTestDevice();
    const skinner = createGaussianSkinner(device, { maxGaussians: 100, maxJoints: 24 });
    const buf = (floats: number) => device.createBuffer({ size: 4 * floats, usage: USAGE() });
    const canonical = buf(300), weights = buf(2400), transforms = buf(384), posed = buf(300), gradPosed = buf(300), gradCanonical = buf(300), gradTransforms = buf(384);
    const ok = { canonical, weights, transforms, posed, count: 100, numJoints: 24 };
    const okBackward = { canonical, weights, transforms, gradPosed, gradCanonical, gradTransforms, count: 100, numJoints: 24 };
    const encoder = device.createCommandEncoder();
    const bad: [string, () => void, RegExp][] = [
      ['count > maxGaussians', () => skinner.encodeForward(encoder, { ...ok, count: 101 }), /count: expected an integer in 0…100 \(maxGaussians\), got number 101/],
      ['numJoints 0', () => skinner.encodeForward(encoder, { ...ok, numJoints: 0 }), /numJoints: expected an integer in 1…24/],
      ['numJoints > maxJoints', () => skinner.encodeForward(encoder, { ...ok, numJoints: 25 }), /numJoints/],
      ['weights too small', () => skinner.encodeForward(encoder, { ...ok, weights: buf(2399) }), /weights: expected a buffer of at least 9600 bytes/],
      ['transforms too small', () => skinner.encodeBackward(encoder, { ...okBackward, transforms: buf(380) }), /transforms: expected a buffer of at least 1536 bytes/],
      ['gradTransforms too small', () => skinner.encodeBackward(encoder, { ...okBackward, gradTransforms: buf(10) }), /gradTransforms: expected a buffer of at least 1536 bytes/],
      ['posed aliases canonical', () => skinner.encodeForward(encoder, { ...ok, posed: canonical }), /posed: expected a buffer other than canonical/],
      ['gradCanonical aliases gradPosed', () => skinner.encodeBackward(encoder, { ...okBackward, gradCanonical: gradPosed }), /gradCanonical: expected a buffer other than gradPosed/],
      ['not a buffer', () => skinner.encodeForward(encoder, { ...ok, canonical: new Float32Array(300) as unknown as GPUBuffer }), /canonical: expected a GPUBuffer, got Float32Array\(300\)/],
    ];
    for (const [what, call, message] of bad) expect(call, what).to.throw(AvatarInputError, message);
    expect(() => createGaussianSkinner(device, { maxGaussians: -1, maxJoints: 24 })).to.throw(AvatarInputError, /maxGaussians/);
    expect(() => createGaussianSkinner(device, { maxGaussians: 10, maxJoints: 0 })).to.throw(AvatarInputError, /maxJoints/);
    const tooMany = Math.floor(device.limits.maxStorageBufferBindingSize / 4 / 24) + 1;
    expect(() => createGaussianSkinner(device, { maxGaussians: tooMany, maxJoints: 24 })).to.throw(AvatarInputError, /maxGaussians: the weights/);
    await expectNoGpuError(device, async () => device.queue.submit([encoder.finish()]));
    skinner.destroy();
    const after = await runSkinning(device, 50, 24, 3);
    expect(maxAbsDiff(after.posed, skinForwardTwin(after.fx.canonical, after.fx.weights, after.fx.transforms, 50, 24))).to.be.below(1e-5);
  });
});
