/// <reference types="mocha" />
import { expect } from 'chai';
import { getTestDevice, expectNoGpuError } from '../helpers/gpu-device.js';
import { createAppearanceHeads } from '../../src/train/nn/heads.js';
import { createPoseCodeBroadcast } from '../../src/train/nn/pose-code.js';
import { AvatarInputError } from '../../src/errors.js';
import { concatPoseCodeBackwardTwin, concatPoseCodeTwin, fixtureRandom, headsBackwardTwin, headsForwardTwin, randomFloats } from './nn-twin.js';
import { expectClose, nanBuffer, readFloats, submit, upload } from './nn-gpu-helpers.js';

describe('createAppearanceHeads (offset, scale, colour heads, WGSL)', () => {
  for (const count of [1, 300, 1025]) {
    it(`forward and backward match the f64 twin (N = ${count}), saturated inputs included`, async () => {
      const device = await getTestDevice();
      const p = { maxOffset: 0.03, minScale: 0.002, maxScale: 0.025 };
      const heads = createAppearanceHeads(device, p);
      const rand = fixtureRandom(count);
      const raw = randomFloats(7 * count, rand, -5, 5);
      raw.set([60, -60, 0, 90, -90, 0, 200].slice(0, raw.length)); // saturation must give finite, bounded values and zero slopes
      const gO = randomFloats(3 * count, rand), gS = randomFloats(count, rand), gC = randomFloats(3 * count, rand);
      const [rawB, gOB, gSB, gCB] = [raw, gO, gS, gC].map((a) => upload(device, a));
      const offsets = nanBuffer(device, 3 * count), scales = nanBuffer(device, count), colors = nanBuffer(device, 3 * count), gradRaw = nanBuffer(device, 7 * count);
      await expectNoGpuError(device, () => submit(device, (encoder) => {
        heads.encodeForward(encoder, { raw: rawB, offsets, scales, colors, count });
        heads.encodeBackward(encoder, { raw: rawB, gradOffsets: gOB, gradScales: gSB, gradColors: gCB, gradRaw, count });
      }));
      const want = headsForwardTwin(raw, count, p);
      expectClose('offsets', await readFloats(device, offsets, 3 * count), want.offsets, 1e-8, 1e-5);
      expectClose('scales', await readFloats(device, scales, count), want.scales, 1e-8, 1e-5);
      expectClose('colors', await readFloats(device, colors, 3 * count), want.colors, 1e-6, 1e-5);
      expectClose('∂L/∂raw', await readFloats(device, gradRaw, 7 * count), headsBackwardTwin(raw, gO, gS, gC, count, p), 1e-7, 1e-4);
      heads.destroy();
      for (const b of [rawB, gOB, gSB, gCB, offsets, scales, colors, gradRaw]) b.destroy();
    });
  }

  it('rejects bad options and arguments with AvatarInputError naming the field', async () => {
    const device = await getTestDevice();
    expect(() => createAppearanceHeads(device, { maxOffset: 0 })).to.throw(AvatarInputError, /maxOffset: expected a positive number/);
    expect(() => createAppearanceHeads(device, { minScale: 0.05, maxScale: 0.01 })).to.throw(AvatarInputError, /maxScale: expected 0 < minScale < maxScale/);
    expect(() => createAppearanceHeads(device, { minScale: NaN })).to.throw(AvatarInputError, /minScale: expected a finite number/);
    const heads = createAppearanceHeads(device);
    expect([heads.maxOffset, heads.minScale, heads.maxScale]).to.deep.equal([0.02, 0.001, 0.02]);
    const raw = nanBuffer(device, 70), out3 = nanBuffer(device, 30), out1 = nanBuffer(device, 10), out3b = nanBuffer(device, 30);
    const encoder = device.createCommandEncoder();
    expect(() => heads.encodeForward(encoder, { raw, offsets: out3, scales: out1, colors: out3b, count: 11 })).to.throw(AvatarInputError, /raw: expected a buffer of at least 308 bytes/);
    expect(() => heads.encodeForward(encoder, { raw, offsets: out3, scales: out1, colors: out3, count: 10 })).to.throw(AvatarInputError, /offsets: expected a buffer other than colors/);
    expect(() => heads.encodeBackward(encoder, { raw, gradOffsets: out3, gradScales: out1, gradColors: out3b, gradRaw: raw, count: 10 })).to.throw(AvatarInputError, /gradRaw: expected a buffer other than raw/);
    expect(() => heads.encodeForward(encoder, { raw, offsets: out3, scales: out1, colors: out3b, count: -1 })).to.throw(AvatarInputError, /count: expected an integer/);
    await expectNoGpuError(device, async () => device.queue.submit([encoder.finish()]));
    heads.destroy();
  });
});

describe('createPoseCodeBroadcast (pose code into every MLP input row, WGSL)', () => {
  it('writes the code into columns offset… of every row and leaves the rest', async () => {
    const device = await getTestDevice();
    const count = 333, length = 138, offset = 16, stride = 160;
    const rand = fixtureRandom(2);
    const code = randomFloats(length, rand);
    const before = randomFloats(count * stride, rand);
    const codeB = upload(device, code), output = upload(device, before);
    const broadcast = createPoseCodeBroadcast(device);
    await expectNoGpuError(device, () => submit(device, (encoder) => broadcast.encode(encoder, { code: codeB, output, length, count, stride, offset })));
    const want = Float64Array.from(before);
    concatPoseCodeTwin(code, count, want, stride, offset);
    expectClose('rows', await readFloats(device, output, count * stride), want, 0);
    const encoder = device.createCommandEncoder();
    expect(() => broadcast.encode(encoder, { code: codeB, output, length, count, stride: 150, offset })).to.throw(AvatarInputError, /stride: expected an integer in 154…65535 \(≥ offset \+ length\), got number 150/);
    expect(() => broadcast.encode(encoder, { code: codeB, output, length: 139, count, stride, offset })).to.throw(AvatarInputError, /code: expected a buffer of at least 556 bytes/);
    expect(() => broadcast.encode(encoder, { code: codeB, output: codeB, length, count: 0, stride, offset })).to.throw(AvatarInputError, /output: expected a buffer other than code/);
    await expectNoGpuError(device, async () => device.queue.submit([encoder.finish()]));
    broadcast.destroy();
    codeB.destroy();
    output.destroy();
  });

  for (const count of [0, 1, 5000]) {
    it(`backward sums the code columns' gradient over all rows (N = ${count}) as the twin`, async () => {
      const device = await getTestDevice();
      const length = 138, offset = 16, stride = 160;
      const gradOut = randomFloats(count * stride, fixtureRandom(count + 1));
      const gradOutB = upload(device, gradOut), gradCode = nanBuffer(device, length);
      const broadcast = createPoseCodeBroadcast(device);
      await expectNoGpuError(device, () => submit(device, (encoder) => broadcast.encodeBackward(encoder, { gradOutput: gradOutB, gradCode, length, count, stride, offset })));
      const magnitude = concatPoseCodeBackwardTwin(gradOut.map(Math.abs), length, count, stride, offset);
      // f32 partial sums of ≤ 20 terms then a tree: the error stays ~1e-7 of Σ|terms|.
      expectClose('∂L/∂code', await readFloats(device, gradCode, length), concatPoseCodeBackwardTwin(gradOut, length, count, stride, offset), 1e-6, 1e-6, magnitude);
      if (count > 0) expect(() => broadcast.encodeBackward(device.createCommandEncoder(), { gradOutput: gradOutB, gradCode: gradOutB, length, count, stride, offset })).to.throw(AvatarInputError, /gradCode: expected a buffer other than gradOutput/);
      broadcast.destroy();
      gradOutB.destroy();
      gradCode.destroy();
    });
  }
});
