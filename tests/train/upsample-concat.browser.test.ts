/// <reference types="mocha" />
import { expect } from 'chai';
import { getTestDevice, expectNoGpuError } from '../helpers/gpu-device.js';
import { createUpsampleConcat } from '../../src/train/nn/upsample-concat.js';
import { createFeatureMapMask } from '../../src/train/nn/feature-map-mask.js';
import { AvatarInputError } from '../../src/errors.js';
import { fixtureRandom, randomFloats } from './nn-twin.js';
import { maskFeatureMapTwin, upsampleConcatBackwardTwin, upsampleConcatTwin } from './unet-twin.js';
import { expectClose, nanBuffer, readFloats, submit, upload } from './nn-gpu-helpers.js';

describe('createUpsampleConcat and createFeatureMapMask (U-Net joins and masks, WGSL)', () => {
  for (const [width, height, lowChannels, skipChannels] of [[8, 8, 4, 3], [7, 5, 2, 5]]) {
    it(`[up2(low), skip] and its backward match the f64 twin (${width}×${height}, C_low ${lowChannels}, C_skip ${skipChannels})`, async () => {
      const device = await getTestDevice();
      const rand = fixtureRandom(width * 100 + height);
      const lowFloats = lowChannels * Math.ceil(width / 2) * Math.ceil(height / 2);
      const skipFloats = skipChannels * width * height, joinedFloats = (lowChannels + skipChannels) * width * height;
      const low = randomFloats(lowFloats, rand), skip = randomFloats(skipFloats, rand), gradJoined = randomFloats(joinedFloats, rand);
      const [lowb, skipb, gjb] = [low, skip, gradJoined].map((a) => upload(device, a));
      const joinedb = nanBuffer(device, joinedFloats), glb = nanBuffer(device, lowFloats), gsb = nanBuffer(device, skipFloats);
      const join = createUpsampleConcat(device);
      const shape = { lowChannels, skipChannels, width, height };
      await expectNoGpuError(device, () => submit(device, (encoder) => {
        const pass = encoder.beginComputePass();
        join.forward(pass, { ...shape, low: lowb, skip: skipb, joined: joinedb });
        join.backward(pass, { ...shape, gradJoined: gjb, gradLow: glb, gradSkip: gsb });
        pass.end();
      }));
      // Copies are exact; 2×2 sums of f32 values agree to rounding.
      expectClose('joined', await readFloats(device, joinedb, joinedFloats), upsampleConcatTwin(low, lowChannels, skip, skipChannels, width, height), 0);
      const want = upsampleConcatBackwardTwin(gradJoined, lowChannels, skipChannels, width, height);
      expectClose('∂L/∂low', await readFloats(device, glb, lowFloats), want.low, 1e-6, 1e-6);
      expectClose('∂L/∂skip', await readFloats(device, gsb, skipFloats), want.skip, 0);
      join.destroy();
      for (const b of [lowb, skipb, gjb, joinedb, glb, gsb]) b.destroy();
    });
  }

  it('the mask multiplies every channel texel by texel', async () => {
    const device = await getTestDevice();
    const rand = fixtureRandom(4);
    const plane = 6 * 5, channels = 3;
    const map = randomFloats(channels * plane, rand);
    const mask = Float32Array.from({ length: plane }, () => (rand() < 0.6 ? 1 : 0));
    const [mapb, maskb] = [map, mask].map((a) => upload(device, a));
    const outb = nanBuffer(device, channels * plane);
    const masking = createFeatureMapMask(device);
    await expectNoGpuError(device, () => submit(device, (encoder) => {
      const pass = encoder.beginComputePass();
      masking.apply(pass, { channels, plane, map: mapb, mask: maskb, masked: outb });
      pass.end();
    }));
    expectClose('masked', await readFloats(device, outb, channels * plane), maskFeatureMapTwin(map, mask, channels), 0);
    masking.destroy();
    for (const b of [mapb, maskb, outb]) b.destroy();
  });

  it('rejects bad arguments with AvatarInputError naming the field', async () => {
    const device = await getTestDevice();
    const join = createUpsampleConcat(device), masking = createFeatureMapMask(device);
    const buf = (floats: number) => device.createBuffer({ size: 4 * floats, usage: GPUBufferUsage.STORAGE });
    const shape = { lowChannels: 2, skipChannels: 3, width: 4, height: 4 };
    const low = buf(8), skip = buf(48), joined = buf(80);
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    const bad: [string, () => void, RegExp][] = [
      ['width 0', () => join.forward(pass, { ...shape, width: 0, low, skip, joined }), /width: expected an integer in 1…8192/],
      ['low too small', () => join.forward(pass, { ...shape, low: buf(7), skip, joined }), /low: expected a buffer of at least 32 bytes/],
      ['joined too small', () => join.forward(pass, { ...shape, low, skip, joined: buf(79) }), /joined: expected a buffer of at least 320 bytes/],
      ['gradSkip aliases gradJoined', () => join.backward(pass, { ...shape, gradJoined: joined, gradLow: low, gradSkip: joined }), /gradSkip: expected a buffer other than gradJoined/],
      ['mask too small', () => masking.apply(pass, { channels: 3, plane: 16, map: skip, mask: buf(15), masked: joined }), /mask: expected a buffer of at least 64 bytes/],
      ['masked aliases map', () => masking.apply(pass, { channels: 3, plane: 16, map: skip, mask: buf(16), masked: skip }), /masked: expected a buffer other than map/],
    ];
    for (const [what, call, message] of bad) expect(call, what).to.throw(AvatarInputError, message);
    pass.end();
    await expectNoGpuError(device, async () => device.queue.submit([encoder.finish()]));
    join.destroy();
    masking.destroy();
    for (const b of [low, skip, joined]) b.destroy();
  });
});
