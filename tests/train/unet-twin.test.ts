// The U-Net pose encoder's twins (unet-twin.ts): analytic backward passes of every layer and of the
// whole encoder against central finite differences of their forward passes (f64).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { unetConvShapes } from '../../src/train/nn/unet-architecture.js';
import { checkGradient, dot } from './finite-difference.js';
import { fixtureRandom, randomFloats } from './nn-twin.js';
import {
  conv2dBackwardInputTwin, conv2dBackwardLayerTwin, conv2dForwardTwin, convActivateDerivativeTwin, convActivateTwin, convOutputSize, maskFeatureMapTwin,
  upsampleConcatBackwardTwin, upsampleConcatTwin, unetBackwardTwin, unetForwardTwin, type ConvTwinShape, type UNetTwin,
} from './unet-twin.js';

const TOLERANCE = 1e-5; // the target for twins vs finite differences

test('LeakyReLU twin derivative matches finite differences away from 0', () => {
  for (const z of [-3, -0.4, 0.2, 5]) {
    const h = 1e-6;
    const fd = (convActivateTwin(z + h, 'leaky_relu') - convActivateTwin(z - h, 'leaky_relu')) / (2 * h);
    assert.ok(Math.abs(fd - convActivateDerivativeTwin(z, 'leaky_relu')) < 1e-8, `σ′(${z})`);
  }
  assert.equal(convActivateTwin(-2, 'leaky_relu'), -0.4);
  assert.equal(convActivateTwin(-2, 'identity'), -2);
});

const convCases: ConvTwinShape[] = [
  { inChannels: 3, outChannels: 4, width: 5, height: 4, stride: 1, activation: 'identity' },
  { inChannels: 2, outChannels: 5, width: 6, height: 6, stride: 2, activation: 'leaky_relu' },
  { inChannels: 4, outChannels: 3, width: 5, height: 7, stride: 2, activation: 'leaky_relu' }, // odd sizes: ⌈size/2⌉ outputs
  { inChannels: 5, outChannels: 2, width: 4, height: 4, stride: 1, activation: 'leaky_relu' },
];
for (const s of convCases) {
  test(`3×3 conv twin backward matches finite differences (C ${s.inChannels}→${s.outChannels}, ${s.width}×${s.height}, stride ${s.stride}, ${s.activation})`, () => {
    const rand = fixtureRandom(s.inChannels * 7 + s.width);
    const outSize = convOutputSize(s.width, s.stride) * convOutputSize(s.height, s.stride) * s.outChannels;
    const input = Float64Array.from(randomFloats(s.inChannels * s.width * s.height, rand, -2, 2));
    const layer = Float64Array.from(randomFloats((9 * s.inChannels + 1) * s.outChannels, rand));
    const gradOut = randomFloats(outSize, rand);
    const f = () => dot(conv2dForwardTwin(input, layer, s), gradOut);
    assert.ok(checkGradient('∂L/∂input', input, conv2dBackwardInputTwin(gradOut, layer, input, s), f, TOLERANCE) > input.length / 2);
    assert.ok(checkGradient('∂L/∂layer', layer, conv2dBackwardLayerTwin(input, gradOut, s).grad, f, TOLERANCE) > layer.length / 2);
  });
}

test('3×3 conv twin: zero padding and stride on a hand-checked case', () => {
  // One channel, 3×3 input 1…9, weights all 1, bias 0.5: stride 1 sums each texel's in-image neighbours.
  const input = [1, 2, 3, 4, 5, 6, 7, 8, 9];
  const layer = [...new Array(9).fill(1), 0.5];
  const s: ConvTwinShape = { inChannels: 1, outChannels: 1, width: 3, height: 3, stride: 1, activation: 'identity' };
  assert.deepEqual([...conv2dForwardTwin(input, layer, s)], [12.5, 21.5, 16.5, 27.5, 45.5, 33.5, 24.5, 39.5, 28.5]);
  // Stride 2: outputs at input texels (0,0), (2,0), (0,2), (2,2).
  assert.deepEqual([...conv2dForwardTwin(input, layer, { ...s, stride: 2 })], [12.5, 16.5, 24.5, 28.5]);
});

test('upsample-concat twin backward matches finite differences (even and odd sizes)', () => {
  for (const [width, height] of [[4, 6], [5, 3]]) {
    const rand = fixtureRandom(width * 10 + height);
    const lowChannels = 3, skipChannels = 2;
    const low = Float64Array.from(randomFloats(lowChannels * convOutputSize(width, 2) * convOutputSize(height, 2), rand));
    const skip = Float64Array.from(randomFloats(skipChannels * width * height, rand));
    const gradOut = randomFloats((lowChannels + skipChannels) * width * height, rand);
    const f = () => dot(upsampleConcatTwin(low, lowChannels, skip, skipChannels, width, height), gradOut);
    const analytic = upsampleConcatBackwardTwin(gradOut, lowChannels, skipChannels, width, height);
    assert.ok(checkGradient('∂L/∂low', low, analytic.low, f, TOLERANCE) === low.length);
    assert.ok(checkGradient('∂L/∂skip', skip, analytic.skip, f, TOLERANCE) === skip.length);
  }
});

test('mask twin is its own adjoint', () => {
  const rand = fixtureRandom(5);
  const mask = [1, 0, 1, 1, 0, 1];
  const map = Float64Array.from(randomFloats(2 * mask.length, rand));
  const gradOut = randomFloats(map.length, rand);
  const f = () => dot(maskFeatureMapTwin(map, mask, 2), gradOut);
  const grad = maskFeatureMapTwin(gradOut, mask, 2);
  assert.equal(checkGradient('∂L/∂map', map, grad, f, TOLERANCE), 8);
});

function randomUNet(resolution: number, widths: number[], inputChannels: number, outputChannels: number, seed: number, mask?: number[]): UNetTwin {
  const rand = fixtureRandom(seed);
  const convs = unetConvShapes(inputChannels, outputChannels, widths).map(({ inputs, outputs }) => Float64Array.from(randomFloats((9 * inputs + 1) * outputs, rand, -0.5, 0.5)));
  return { inputChannels, outputChannels, widths, resolution, convs, mask };
}

for (const [levels, masked] of [[3, false], [2, true], [1, false]] as const) {
  test(`whole U-Net twin backward matches finite differences for every parameter (${levels} levels${masked ? ', masked' : ''})`, () => {
    const resolution = 8;
    const widths = [3, 4, 5].slice(0, levels);
    const rand = fixtureRandom(100 + levels);
    const mask = masked ? Array.from({ length: resolution * resolution }, () => (rand() < 0.7 ? 1 : 0)) : undefined;
    const net = randomUNet(resolution, widths, 3, 2, 7 + levels, mask);
    const input = randomFloats(3 * resolution * resolution, rand, -1, 1);
    const gradOut = randomFloats(2 * resolution * resolution, rand);
    const f = () => dot(unetForwardTwin(net, input).output, gradOut);
    const analytic = unetBackwardTwin(net, input, gradOut);
    assert.equal(analytic.convs.length, 2 * levels);
    net.convs.forEach((conv, k) => {
      const nonZero = checkGradient(`∂L/∂conv${k}`, conv as Float64Array, analytic.convs[k], f, TOLERANCE);
      assert.ok(nonZero > conv.length / 3, `conv ${k}: only ${nonZero} of ${conv.length} entries have a gradient`);
    });
    if (mask) {
      const out = unetForwardTwin(net, input).output;
      mask.forEach((m, t) => { if (m === 0) for (let c = 0; c < 2; c++) assert.ok(out[c * 64 + t] === 0); });
    }
  });
}

test('U-Net twin is local: changing the input at one texel changes the output only within the receptive field', () => {
  const resolution = 16;
  const net = randomUNet(resolution, [3, 4], 3, 2, 3);
  const rand = fixtureRandom(9);
  const input = randomFloats(3 * resolution * resolution, rand);
  const before = unetForwardTwin(net, input).output;
  input[0 * 256 + 2 * resolution + 2] += 1; // channel 0, texel (2, 2)
  const after = unetForwardTwin(net, input).output;
  let changedNear = 0;
  for (let y = 0; y < resolution; y++) {
    for (let x = 0; x < resolution; x++) {
      const changed = Math.abs(after[y * resolution + x] - before[y * resolution + x]) > 1e-12;
      if (Math.max(Math.abs(x - 2), Math.abs(y - 2)) > 8) assert.ok(!changed, `texel (${x}, ${y}) is outside the receptive field but changed`);
      else if (changed) changedNear++;
    }
  }
  assert.ok(changedNear > 9);
});
