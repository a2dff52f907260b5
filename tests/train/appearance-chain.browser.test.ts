/// <reference types="mocha" />
// The appearance-network blocks composed as the trainer composes them: feature tensor (+ pose
// code) → MLP → heads, backward through all of them, and Adam on top.
import { expect } from 'chai';
import { getTestDevice, expectNoGpuError } from '../helpers/gpu-device.js';
import { createFeatureTensor } from '../../src/train/nn/feature-tensor.js';
import { createPoseCodeBroadcast } from '../../src/train/nn/pose-code.js';
import { createMlp } from '../../src/train/nn/mlp.js';
import { createAppearanceHeads } from '../../src/train/nn/heads.js';
import { createAdam } from '../../src/train/nn/adam.js';
import {
  concatPoseCodeTwin, fixtureRandom, headsBackwardTwin, headsForwardTwin, mlpBackwardTwin, mlpForwardTwin, randomFloats, sampleFeaturesBackwardTwin,
  sampleFeaturesTwin,
} from './nn-twin.js';
import { expectClose, nanBuffer, readFloats, submit, upload } from './nn-gpu-helpers.js';

async function buildChain(device: GPUDevice, count: number, channels: number, resolution: number, codeLength: number, hidden: number, seed: number) {
  const rand = fixtureRandom(seed);
  const uv = randomFloats(2 * count, rand, 0, 1);
  const stride = channels + codeLength;
  const features = createFeatureTensor(device, { channels, resolution, uv, seed, initStd: 0.5 });
  const poseCode = createPoseCodeBroadcast(device);
  const mlp = createMlp(device, { layers: [stride, hidden, hidden, 7], activation: 'silu', maxRows: count, seed });
  const heads = createAppearanceHeads(device, { maxOffset: 0.02, minScale: 0.001, maxScale: 0.02 });
  const code = randomFloats(Math.max(codeLength, 1), rand);
  const buffers = {
    code: upload(device, code),
    input: nanBuffer(device, count * stride),
    raw: nanBuffer(device, count * 7),
    offsets: nanBuffer(device, 3 * count),
    scales: nanBuffer(device, count),
    colors: nanBuffer(device, 3 * count),
    gradOffsets: upload(device, new Float32Array(3 * count)),
    gradScales: upload(device, new Float32Array(count)),
    gradColors: upload(device, new Float32Array(3 * count)),
    gradRaw: nanBuffer(device, 7 * count),
    gradInput: nanBuffer(device, count * stride),
  };
  const encodeForward = (encoder: GPUCommandEncoder) => {
    features.encodeSample(encoder, { output: buffers.input, stride, offset: 0 });
    if (codeLength > 0) poseCode.encode(encoder, { code: buffers.code, output: buffers.input, length: codeLength, count, stride, offset: channels });
    mlp.encodeForward(encoder, { input: buffers.input, output: buffers.raw, count });
    heads.encodeForward(encoder, { raw: buffers.raw, offsets: buffers.offsets, scales: buffers.scales, colors: buffers.colors, count });
  };
  const encodeBackward = (encoder: GPUCommandEncoder) => {
    heads.encodeBackward(encoder, { raw: buffers.raw, gradOffsets: buffers.gradOffsets, gradScales: buffers.gradScales, gradColors: buffers.gradColors, gradRaw: buffers.gradRaw, count });
    mlp.encodeBackward(encoder, { input: buffers.input, gradOutput: buffers.gradRaw, gradInput: buffers.gradInput, count });
    features.encodeBackward(encoder, { gradOutput: buffers.gradInput, stride, offset: 0 });
  };
  const destroy = () => {
    for (const m of [features, poseCode, mlp, heads]) m.destroy();
    for (const b of Object.values(buffers)) b.destroy();
  };
  return { uv, code, stride, features, mlp, heads, buffers, encodeForward, encodeBackward, destroy };
}

describe('appearance network blocks composed (features → pose code → MLP → heads)', () => {
  it('the chained forward and backward match the composed f64 twins', async () => {
    const device = await getTestDevice();
    const count = 60, channels = 4, resolution = 5, codeLength = 3, hidden = 16;
    const chain = await buildChain(device, count, channels, resolution, codeLength, hidden, 21);
    const rand = fixtureRandom(5);
    const gO = randomFloats(3 * count, rand), gS = randomFloats(count, rand), gC = randomFloats(3 * count, rand);
    device.queue.writeBuffer(chain.buffers.gradOffsets, 0, gO);
    device.queue.writeBuffer(chain.buffers.gradScales, 0, gS);
    device.queue.writeBuffer(chain.buffers.gradColors, 0, gC);
    await expectNoGpuError(device, () => submit(device, (encoder) => {
      chain.encodeForward(encoder);
      chain.encodeBackward(encoder);
    }));

    // The same chain in f64.
    const F = (await chain.features.read()).data;
    const tensors = await chain.mlp.readWeights();
    const widths = [...chain.mlp.layers];
    const layers = widths.slice(0, -1).map((inputs, l) => {
      const layer = new Float64Array((inputs + 1) * widths[l + 1]);
      layer.set(tensors[`layer${l}.weight`].data);
      layer.set(tensors[`layer${l}.bias`].data, inputs * widths[l + 1]);
      return layer;
    });
    const net = { widths, activation: 'silu' as const, layers };
    const input = new Float64Array(count * chain.stride);
    sampleFeaturesTwin(F, channels, resolution, chain.uv, count, input, chain.stride, 0);
    concatPoseCodeTwin(chain.code, count, input, chain.stride, channels);
    const raw = mlpForwardTwin(net, input, count)[2];
    const p = { maxOffset: 0.02, minScale: 0.001, maxScale: 0.02 };
    const out = headsForwardTwin(raw, count, p);
    const gradRaw = headsBackwardTwin(raw, gO, gS, gC, count, p);
    const back = mlpBackwardTwin(net, input, gradRaw, count);
    const gradF = sampleFeaturesBackwardTwin(back.input, channels, resolution, chain.uv, count, chain.stride, 0);

    expectClose('MLP input (features | pose code)', await readFloats(device, chain.buffers.input, count * chain.stride), input, 1e-6, 1e-5);
    expectClose('colors', await readFloats(device, chain.buffers.colors, 3 * count), out.colors, 1e-5, 1e-4);
    expectClose('scales', await readFloats(device, chain.buffers.scales, count), out.scales, 1e-7, 1e-4);
    expectClose('offsets', await readFloats(device, chain.buffers.offsets, 3 * count), out.offsets, 1e-7, 1e-4);
    for (let l = 0; l < 3; l++) {
      expectClose(`∂L/∂layer${l}`, await readFloats(device, chain.mlp.parameters[l].grad, chain.mlp.parameters[l].count), back.layers[l], 1e-6, 1e-4, back.magnitudes[l]);
    }
    const gotF = await readFloats(device, chain.features.parameters[0].grad, F.length);
    expectClose('∂L/∂F', gotF, gradF, 1e-6, 1e-4);
    expect(gotF.some((v) => Math.abs(v) > 1e-4), 'some feature gradient is non-zero').to.equal(true);
    chain.destroy();
  });

  it('Adam on MLP and feature tensor fits per-Gaussian target colours (loss falls by > 5×)', async () => {
    const device = await getTestDevice();
    const count = 64, channels = 4, resolution = 4;
    const chain = await buildChain(device, count, channels, resolution, 0, 16, 3);
    // A smooth target over the UV square: what a feature tensor + decoder can represent.
    const target = new Float32Array(3 * count);
    for (let n = 0; n < count; n++) {
      const u = chain.uv[2 * n], v = chain.uv[2 * n + 1];
      target.set([0.2 + 0.6 * u, 0.8 - 0.6 * v, 0.5 + 0.3 * Math.sin(3 * u * v)], 3 * n);
    }
    const adam = createAdam(device, [...chain.mlp.parameters.map((q) => ({ ...q, lr: 1e-2 })), { ...chain.features.parameters[0], lr: 2e-2 }]);
    const losses: number[] = [];
    for (let step = 0; step < 60; step++) {
      await submit(device, chain.encodeForward);
      const colors = await readFloats(device, chain.buffers.colors, 3 * count);
      // L = mean (c − target)²  ⇒  ∂L/∂c = 2 (c − target) / (3N)
      let loss = 0;
      const grad = new Float32Array(3 * count);
      for (let k = 0; k < 3 * count; k++) {
        loss += (colors[k] - target[k]) ** 2 / (3 * count);
        grad[k] = (2 * (colors[k] - target[k])) / (3 * count);
      }
      losses.push(loss);
      device.queue.writeBuffer(chain.buffers.gradColors, 0, grad);
      await submit(device, (encoder) => {
        chain.encodeBackward(encoder);
        adam.encodeStep(encoder);
      });
    }
    const first = losses[0], last = losses[losses.length - 1];
    console.log(`appearance chain fit: loss ${first.toExponential(3)} → ${last.toExponential(3)} in ${losses.length} Adam steps`);
    expect(last, `losses ${losses.map((l) => l.toExponential(2)).join(' ')}`).to.be.below(first / 5);
    adam.destroy();
    chain.destroy();
  });
});
