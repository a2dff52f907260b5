/// <reference types="mocha" />
import { expect } from 'chai';
import { getTestDevice, expectNoGpuError } from '../helpers/gpu-device.js';
import { createFeatureTensor, uvFromTexels } from '../../src/train/nn/feature-tensor.js';
import { AvatarFormatError, AvatarInputError } from '../../src/errors.js';
import { fixtureRandom, randomFloats, sampleFeaturesBackwardTwin, sampleFeaturesTwin } from './nn-twin.js';
import { expectClose, nanBuffer, readFloats, submit, upload } from './nn-gpu-helpers.js';

/** Random UVs plus the awkward ones: corners, edges, texel centres of an R × R grid. */
function makeUv(count: number, resolution: number, seed: number): Float32Array {
  const rand = fixtureRandom(seed);
  const uv = randomFloats(2 * count, rand, 0, 1);
  const special = [0, 0, 1, 1, 0, 1, 1, 0, 0.5, 0, 1, 0.5, 0.5 / resolution, 1 - 0.5 / resolution, Math.min(1.5 / resolution, 1), 0.5];
  uv.set(special.slice(0, Math.min(special.length, uv.length)));
  return uv;
}

describe('createFeatureTensor (bilinear UV feature sampling, WGSL)', () => {
  for (const [channels, resolution, count, stride, offset] of [[5, 8, 300, 9, 2], [1, 1, 10, 1, 0], [16, 16, 1000, 16, 0], [3, 5, 7, 4, 1]] as const) {
    it(`sample and gather-backward match the f64 twin (C ${channels}, R ${resolution}, N ${count}, stride ${stride}, offset ${offset})`, async () => {
      const device = await getTestDevice();
      const uv = makeUv(count, resolution, count + resolution);
      const features = createFeatureTensor(device, { channels, resolution, uv, seed: channels, initStd: 0.5 });
      const F = (await features.read()).data;
      expect(F.length).to.equal(channels * resolution * resolution);
      const sentinel = new Float32Array(count * stride).fill(7);
      const output = upload(device, sentinel);
      const gradOut = randomFloats(count * stride, fixtureRandom(3));
      const gradBuffer = upload(device, gradOut);
      device.queue.writeBuffer(features.parameters[0].grad, 0, new Float32Array(F.length).fill(NaN));
      await expectNoGpuError(device, () => submit(device, (encoder) => {
        features.encodeSample(encoder, { output, stride, offset });
        features.encodeBackward(encoder, { gradOutput: gradBuffer, stride, offset });
      }));
      const want = Float64Array.from(sentinel);
      sampleFeaturesTwin(F, channels, resolution, uv, count, want, stride, offset);
      expectClose('sampled (other columns untouched)', await readFloats(device, output, count * stride), want, 1e-6, 1e-6);
      const wantGrad = sampleFeaturesBackwardTwin(gradOut, channels, resolution, uv, count, stride, offset);
      expectClose('∂L/∂F', await readFloats(device, features.parameters[0].grad, F.length), wantGrad, 1e-5, 1e-5);
      features.destroy();
      output.destroy();
      gradBuffer.destroy();
    });
  }

  it('samples texel centres exactly (uvFromTexels follows the positional map convention)', async () => {
    const device = await getTestDevice();
    const resolution = 6, channels = 2;
    const texels = Uint32Array.from([0, 5, 6, 17, 30, 35]);
    const uv = uvFromTexels(texels, resolution);
    expect([uv[0], uv[1]]).to.deep.equal([Math.fround(0.5 / 6), Math.fround(1 - 0.5 / 6)]); // texel 0 = top-left
    const data = Float32Array.from({ length: channels * 36 }, (_, k) => k + 0.25);
    const features = createFeatureTensor(device, { channels, resolution, uv, data, trainable: false });
    const output = nanBuffer(device, texels.length * channels);
    await submit(device, (encoder) => features.encodeSample(encoder, { output }));
    const got = await readFloats(device, output, texels.length * channels);
    texels.forEach((t, n) => {
      for (let c = 0; c < channels; c++) expect(got[n * channels + c], `texel ${t} channel ${c}`).to.be.closeTo(data[c * 36 + t], 1e-5);
    });
    expect(features.parameters.length).to.equal(0);
    expect(() => features.encodeBackward(device.createCommandEncoder(), { gradOutput: output })).to.throw(AvatarInputError, /trainable: false/);
    features.destroy();
  });

  it('write() replaces F and read() returns it with shape [C, R, R]', async () => {
    const device = await getTestDevice();
    const features = createFeatureTensor(device, { channels: 2, resolution: 3, uv: new Float32Array([0.5, 0.5]) });
    const data = Float32Array.from({ length: 18 }, (_, k) => k * 0.5 - 3);
    features.write({ shape: [2, 3, 3], data });
    const back = await features.read();
    expect(back.shape).to.deep.equal([2, 3, 3]);
    expect([...back.data]).to.deep.equal([...data]);
    expect(() => features.write({ shape: [2, 3, 4], data: new Float32Array(24) })).to.throw(AvatarFormatError, /features: expected shape \[2,3,3\], got \[2,3,4\]/);
    expect(() => features.write({ shape: [2, 3, 3], data: new Float32Array(17) })).to.throw(AvatarFormatError, /features\.data: expected a Float32Array of channels × resolution² = 18 values, got Float32Array\(17\)/);
    features.destroy();
  });

  it('rejects bad options and arguments with AvatarInputError naming the field', async () => {
    const device = await getTestDevice();
    const uv = new Float32Array([0.1, 0.2, 0.3, 0.4]);
    expect(() => createFeatureTensor(device, { channels: 0, resolution: 4, uv })).to.throw(AvatarInputError, /channels: expected an integer in 1…1024, got number 0/);
    expect(() => createFeatureTensor(device, { channels: 2, resolution: 4.5, uv })).to.throw(AvatarInputError, /resolution/);
    expect(() => createFeatureTensor(device, { channels: 2, resolution: 4, uv: new Float32Array(3) })).to.throw(AvatarInputError, /uv: expected a Float32Array of N × 2/);
    expect(() => createFeatureTensor(device, { channels: 2, resolution: 4, uv: new Float32Array([0.5, NaN]) })).to.throw(AvatarInputError, /uv: expected values in \[0, 1\], got NaN at index 1/);
    expect(() => createFeatureTensor(device, { channels: 2, resolution: 4, uv: new Float32Array([0.5, 1.5]) })).to.throw(AvatarInputError, /uv: expected values in \[0, 1\], got 1.5/);
    expect(() => createFeatureTensor(device, { channels: 2, resolution: 4, uv, data: new Float32Array(31) })).to.throw(AvatarFormatError, /data: expected a Float32Array of channels × resolution² = 32 values/);
    const features = createFeatureTensor(device, { channels: 2, resolution: 4, uv });
    const encoder = device.createCommandEncoder();
    expect(() => features.encodeSample(encoder, { output: nanBuffer(device, 3) })).to.throw(AvatarInputError, /output: expected a buffer of at least 16 bytes \(4 f32\)/);
    expect(() => features.encodeSample(encoder, { output: nanBuffer(device, 20), stride: 2, offset: 1 })).to.throw(AvatarInputError, /stride: expected an integer in 3…65535 \(≥ offset \+ channels\), got number 2/);
    expect(() => features.encodeBackward(encoder, { gradOutput: features.parameters[0].grad })).to.throw(AvatarInputError, /gradOutput: expected a buffer other than grad/);
    await expectNoGpuError(device, async () => device.queue.submit([encoder.finish()]));
    features.destroy();
  });
});
