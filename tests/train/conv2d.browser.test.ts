/// <reference types="mocha" />
import { expect } from 'chai';
import { getTestDevice, expectNoGpuError } from '../helpers/gpu-device.js';
import { convOutputSize, createConv2d, type Conv2dShape } from '../../src/train/nn/conv2d.js';
import { AvatarInputError } from '../../src/errors.js';
import { fixtureRandom, randomFloats } from './nn-twin.js';
import { conv2dBackwardInputTwin, conv2dBackwardLayerTwin, conv2dForwardTwin, type ConvTwinShape } from './unet-twin.js';
import { expectClose, nanBuffer, readFloats, submit, upload } from './nn-gpu-helpers.js';

const RELATIVE = 1e-4; // the target for kernels vs twins

function twinShape(s: Conv2dShape): ConvTwinShape {
  return { inChannels: s.inChannels, outChannels: s.outChannels, width: s.width, height: s.height, stride: s.stride, activation: s.inputActivation ?? 'identity' };
}

describe('createConv2d (3×3 conv of channel-major maps, WGSL)', () => {
  const cases: Conv2dShape[] = [
    { inChannels: 3, outChannels: 4, width: 8, height: 8, stride: 1, inputActivation: 'identity' },
    { inChannels: 5, outChannels: 7, width: 9, height: 6, stride: 2, inputActivation: 'leaky_relu' }, // odd width, C_out not a multiple of 4
    { inChannels: 6, outChannels: 3, width: 16, height: 16, stride: 2, inputActivation: 'leaky_relu' },
    { inChannels: 9, outChannels: 8, width: 7, height: 5, stride: 1, inputActivation: 'leaky_relu' },
    { inChannels: 2, outChannels: 5, width: 10, height: 20, stride: 1, inputActivation: 'leaky_relu' }, // 3 bands of the layer-gradient sum
    { inChannels: 4, outChannels: 4, width: 14, height: 34, stride: 2, inputActivation: 'identity' }, // 17 output rows: 3 bands, the last of 1 row
  ];
  for (const s of cases) {
    it(`forward, input gradient (written and accumulated) and layer gradient match the f64 twin (C ${s.inChannels}→${s.outChannels}, ${s.width}×${s.height}, stride ${s.stride}, ${s.inputActivation})`, async () => {
      const device = await getTestDevice();
      const rand = fixtureRandom(s.inChannels * 13 + s.width);
      const outFloats = s.outChannels * convOutputSize(s.width, s.stride) * convOutputSize(s.height, s.stride);
      const inFloats = s.inChannels * s.width * s.height;
      const x = randomFloats(inFloats, rand, -2, 2);
      const layer = randomFloats((9 * s.inChannels + 1) * s.outChannels, rand);
      const gradZ = randomFloats(outFloats, rand);
      const before = randomFloats(inFloats, rand);
      const [xb, lb, gb, accb] = [x, layer, gradZ, before].map((a) => upload(device, a));
      const zb = nanBuffer(device, outFloats), gxb = nanBuffer(device, inFloats), glb = nanBuffer(device, layer.length);
      const conv = createConv2d(device);
      await expectNoGpuError(device, () => submit(device, (encoder) => {
        const pass = encoder.beginComputePass();
        conv.forward(pass, { ...s, input: xb, layer: lb, output: zb });
        conv.backwardInput(pass, { ...s, gradOutput: gb, layer: lb, input: xb, gradInput: gxb });
        conv.backwardInput(pass, { ...s, gradOutput: gb, layer: lb, input: xb, gradInput: accb, accumulate: true });
        conv.backwardLayer(pass, { ...s, input: xb, gradOutput: gb, gradLayer: glb });
        pass.end();
      }));
      const t = twinShape(s);
      const z = conv2dForwardTwin(x, layer, t);
      const gradX = conv2dBackwardInputTwin(gradZ, layer, x, t);
      const { grad, magnitude } = conv2dBackwardLayerTwin(x, gradZ, t);
      expectClose('Z', await readFloats(device, zb, outFloats), z, 1e-6, RELATIVE);
      expectClose('∂L/∂X', await readFloats(device, gxb, inFloats), gradX, 1e-6, RELATIVE);
      expectClose('∂L/∂X accumulated', await readFloats(device, accb, inFloats), gradX.map((g, k) => g + before[k]), 1e-6, RELATIVE);
      // Sums of up to 256 terms: relative to Σ|terms|, where the f32 rounding error lives.
      expectClose('∂L/∂layer', await readFloats(device, glb, layer.length), grad, 1e-7, RELATIVE, magnitude);
      conv.destroy();
      for (const b of [xb, lb, gb, accb, zb, gxb, glb]) b.destroy();
    });
  }

  it('rejects bad arguments with AvatarInputError naming the field', async () => {
    const device = await getTestDevice();
    const conv = createConv2d(device);
    const buf = (floats: number) => device.createBuffer({ size: 4 * floats, usage: GPUBufferUsage.STORAGE });
    const s: Conv2dShape = { inChannels: 2, outChannels: 3, width: 4, height: 4, stride: 2 };
    const input = buf(32), layer = buf(57), output = buf(12), gradInput = buf(32);
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    const bad: [string, () => void, RegExp][] = [
      ['stride 3', () => conv.forward(pass, { ...s, stride: 3 as 1, input, layer, output }), /stride: expected 1 or 2, got number 3/],
      ['channels 0', () => conv.forward(pass, { ...s, inChannels: 0, input, layer, output }), /inChannels: expected an integer in 1…4096/],
      ['activation', () => conv.forward(pass, { ...s, inputActivation: 'relu' as 'identity', input, layer, output }), /inputActivation: expected 'identity' or 'leaky_relu'/],
      ['layer too small', () => conv.forward(pass, { ...s, input, layer: buf(56), output }), /layer: expected a buffer of at least 228 bytes \(57 f32\), got 224 bytes/],
      ['output too small', () => conv.forward(pass, { ...s, input, layer, output: buf(11) }), /output: expected a buffer of at least 48 bytes/],
      ['gradInput aliases input', () => conv.backwardInput(pass, { ...s, gradOutput: output, layer, input, gradInput: input }), /gradInput: expected a buffer other than input/],
      ['accumulate not boolean', () => conv.backwardInput(pass, { ...s, gradOutput: output, layer, input, gradInput, accumulate: 1 as unknown as boolean }), /accumulate: expected a boolean/],
      ['args missing', () => conv.backwardLayer(pass, undefined as never), /conv2d args: expected an object, got undefined/],
    ];
    for (const [what, call, message] of bad) expect(call, what).to.throw(AvatarInputError, message);
    pass.end();
    await expectNoGpuError(device, async () => device.queue.submit([encoder.finish()]));
    conv.destroy();
    for (const b of [input, layer, output, gradInput]) b.destroy();
  });
});
