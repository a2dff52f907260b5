/// <reference types="mocha" />
import { expect } from 'chai';
import { getTestDevice, expectNoGpuError } from '../helpers/gpu-device.js';
import { createMlp, type Mlp } from '../../src/train/nn/mlp.js';
import { AvatarFormatError, AvatarInputError } from '../../src/errors.js';
import type { NetworkTensor } from '../../src/avatar/types.js';
import { fixtureRandom, mlpBackwardTwin, mlpForwardTwin, randomFloats, type MlpTwinLayers } from './nn-twin.js';
import { expectClose, nanBuffer, readFloats, submit, upload } from './nn-gpu-helpers.js';

/** The twin's view of a GPU MLP's weights (layer layout: W rows, then the bias). */
async function twinOf(mlp: Mlp): Promise<MlpTwinLayers> {
  const tensors = await mlp.readWeights();
  const layers = mlp.layers.slice(0, -1).map((inputs, l) => {
    const layer = new Float64Array((inputs + 1) * mlp.layers[l + 1]);
    layer.set(tensors[`layer${l}.weight`].data);
    layer.set(tensors[`layer${l}.bias`].data, inputs * mlp.layers[l + 1]);
    return layer;
  });
  return { widths: [...mlp.layers], activation: mlp.activation, layers };
}

describe('createMlp (appearance decoder on the GPU)', () => {
  const cases = [
    { widths: [19, 40, 33, 7], activation: 'relu' as const, rows: 150 },
    { widths: [19, 40, 33, 7], activation: 'silu' as const, rows: 150 },
    { widths: [6, 5], activation: 'relu' as const, rows: 70 }, // one linear layer, no hidden buffers
  ];
  for (const { widths, activation, rows } of cases) {
    it(`forward and backward match the f64 twin ([${widths}], ${activation}, N = ${rows})`, async () => {
      const device = await getTestDevice();
      const L = widths.length - 1, outputs = widths[L];
      const mlp = createMlp(device, { layers: widths, activation, maxRows: 200, seed: 4 });
      const rand = fixtureRandom(77);
      // Non-zero biases, so the bias path is exercised.
      const tensors = await mlp.readWeights();
      for (let l = 0; l < L; l++) tensors[`layer${l}.bias`] = { shape: [widths[l + 1]], data: randomFloats(widths[l + 1], rand, -0.3, 0.3) };
      mlp.writeWeights(tensors);
      const input = randomFloats(rows * widths[0], rand, -1, 1);
      const gradOut = randomFloats(rows * outputs, rand);
      const inputBuffer = upload(device, input), gradOutBuffer = upload(device, gradOut);
      const output = nanBuffer(device, rows * outputs), gradInput = nanBuffer(device, rows * widths[0]);
      for (const p of mlp.parameters) device.queue.writeBuffer(p.grad, 0, new Float32Array(p.count).fill(NaN));
      await expectNoGpuError(device, () => submit(device, (encoder) => {
        mlp.encodeForward(encoder, { input: inputBuffer, output, count: rows });
        mlp.encodeBackward(encoder, { input: inputBuffer, gradOutput: gradOutBuffer, gradInput, count: rows });
      }));
      const net = await twinOf(mlp);
      const want = mlpForwardTwin(net, input, rows)[L - 1];
      const wantGrad = mlpBackwardTwin(net, input, gradOut, rows);
      expectClose('output', await readFloats(device, output, rows * outputs), want, 1e-5, 1e-4);
      expectClose('∂L/∂input', await readFloats(device, gradInput, rows * widths[0]), wantGrad.input, 1e-5, 1e-4);
      for (let l = 0; l < L; l++) {
        const p = mlp.parameters[l];
        expect(p.name).to.equal(`layer${l}`);
        expect(p.count).to.equal((widths[l] + 1) * widths[l + 1]);
        expectClose(`∂L/∂layer${l}`, await readFloats(device, p.grad, p.count), wantGrad.layers[l], 1e-5, 1e-4, wantGrad.magnitudes[l]);
      }
      mlp.destroy();
      for (const b of [inputBuffer, gradOutBuffer, output, gradInput]) b.destroy();
    });
  }

  for (const activation of ['relu', 'silu'] as const) {
    it(`shared inputs (pose code folded into layer 0's bias) match the twin on the full input ([12, 24, 7], S = 5, ${activation})`, async () => {
      const device = await getTestDevice();
      const widths = [12, 24, 7], S = 5, R = 7, rows = 80;
      const mlp = createMlp(device, { layers: widths, activation, maxRows: rows, sharedInputs: S, seed: 6 });
      expect(mlp.sharedInputs).to.equal(S);
      const rand = fixtureRandom(41);
      const tensors = await mlp.readWeights();
      tensors['layer0.bias'] = { shape: [24], data: randomFloats(24, rand, -0.3, 0.3) };
      mlp.writeWeights(tensors);
      const rowInput = randomFloats(rows * R, rand, -1, 1), shared = randomFloats(S, rand, -1, 1), gradOut = randomFloats(rows * 7, rand);
      const [inputB, sharedB, gradOutB] = [rowInput, shared, gradOut].map((a) => upload(device, a));
      const output = nanBuffer(device, rows * 7), gradInput = nanBuffer(device, rows * R), gradShared = nanBuffer(device, S);
      for (const p of mlp.parameters) device.queue.writeBuffer(p.grad, 0, new Float32Array(p.count).fill(NaN));
      await expectNoGpuError(device, () => submit(device, (encoder) => {
        mlp.encodeForward(encoder, { input: inputB, shared: sharedB, output, count: rows });
        mlp.encodeBackward(encoder, { input: inputB, shared: sharedB, gradOutput: gradOutB, gradInput, gradShared, count: rows });
      }));
      // The twin sees the full rows [x_n, shared].
      const full = new Float64Array(rows * 12);
      for (let n = 0; n < rows; n++) {
        for (let i = 0; i < R; i++) full[n * 12 + i] = rowInput[n * R + i];
        for (let j = 0; j < S; j++) full[n * 12 + R + j] = shared[j];
      }
      const net = await twinOf(mlp);
      expectClose('output', await readFloats(device, output, rows * 7), mlpForwardTwin(net, full, rows)[1], 1e-5, 1e-4);
      const want = mlpBackwardTwin(net, full, gradOut, rows);
      for (let l = 0; l < 2; l++) {
        expectClose(`∂L/∂layer${l}`, await readFloats(device, mlp.parameters[l].grad, mlp.parameters[l].count), want.layers[l], 1e-5, 1e-4, want.magnitudes[l]);
      }
      const wantInput = new Float64Array(rows * R), wantShared = new Float64Array(S), sharedMagnitude = new Float64Array(S);
      for (let n = 0; n < rows; n++) {
        for (let i = 0; i < R; i++) wantInput[n * R + i] = want.input[n * 12 + i];
        for (let j = 0; j < S; j++) {
          wantShared[j] += want.input[n * 12 + R + j];
          sharedMagnitude[j] += Math.abs(want.input[n * 12 + R + j]);
        }
      }
      expectClose('∂L/∂input (row inputs)', await readFloats(device, gradInput, rows * R), wantInput, 1e-5, 1e-4);
      expectClose('∂L/∂shared', await readFloats(device, gradShared, S), wantShared, 1e-5, 1e-4, sharedMagnitude);
      const encoder = device.createCommandEncoder();
      expect(() => mlp.encodeForward(encoder, { input: inputB, output, count: rows })).to.throw(AvatarInputError, /shared: expected a GPUBuffer, got undefined/);
      expect(() => mlp.encodeForward(encoder, { input: inputB, shared: output, output, count: 1 })).to.throw(AvatarInputError, /output: expected a buffer other than shared/);
      const plain = createMlp(device, { layers: [3, 2], maxRows: 1, trainable: false });
      expect(() => plain.encodeForward(encoder, { input: inputB, shared: sharedB, output, count: 1 })).to.throw(AvatarInputError, /shared: this MLP has no shared inputs/);
      expect(() => createMlp(device, { layers: [3, 2], maxRows: 1, sharedInputs: 3 })).to.throw(AvatarInputError, /sharedInputs: expected an integer in 0…2 \(fewer than layers\[0\]\)/);
      // Forward-only playback with shared inputs from the saved weights gives the same output.
      const playback = createMlp(device, { layers: widths, activation, maxRows: rows, sharedInputs: S, trainable: false, weights: await mlp.readWeights() });
      const outB = nanBuffer(device, rows * 7);
      await submit(device, (e) => playback.encodeForward(e, { input: inputB, shared: sharedB, output: outB, count: rows }));
      expect([...await readFloats(device, outB, rows * 7)]).to.deep.equal([...await readFloats(device, output, rows * 7)]);
      for (const m of [mlp, plain, playback]) m.destroy();
      for (const b of [inputB, sharedB, gradOutB, output, gradInput, gradShared, outB]) b.destroy();
    });
  }

  it('He initialisation is seeded (same seed, same weights) and has std ≈ sqrt(2 / inputs); biases start at 0', async () => {
    const device = await getTestDevice();
    const make = (seed: number) => createMlp(device, { layers: [64, 128, 7], maxRows: 4, seed, trainable: false });
    const [a, b, c] = [make(3), make(3), make(4)];
    const [wa, wb, wc] = await Promise.all([a.readWeights(), b.readWeights(), c.readWeights()]);
    expect([...wa['layer0.weight'].data]).to.deep.equal([...wb['layer0.weight'].data]);
    expect([...wa['layer0.weight'].data]).not.to.deep.equal([...wc['layer0.weight'].data]);
    const w = wa['layer0.weight'].data;
    const std = Math.sqrt(w.reduce((s, v) => s + v * v, 0) / w.length);
    expect(std).to.be.closeTo(Math.sqrt(2 / 64), 0.01);
    expect([...wa['layer1.bias'].data].every((v) => v === 0)).to.equal(true);
    expect(wa['layer1.weight'].shape).to.deep.equal([128, 7]);
    for (const m of [a, b, c]) m.destroy();
  });

  it('a forward-only MLP built from saved weights reproduces the trained one (playback path)', async () => {
    const device = await getTestDevice();
    const widths = [10, 24, 24, 24, 7], rows = 90;
    const trained = createMlp(device, { layers: widths, activation: 'silu', maxRows: rows, seed: 9 });
    const saved = await trained.readWeights();
    const playback = createMlp(device, { layers: widths, activation: 'silu', maxRows: rows, trainable: false, weights: saved });
    expect(playback.parameters.length).to.equal(0);
    const input = upload(device, randomFloats(rows * 10, fixtureRandom(8)));
    const outA = nanBuffer(device, rows * 7), outB = nanBuffer(device, rows * 7);
    await expectNoGpuError(device, () => submit(device, (encoder) => {
      trained.encodeForward(encoder, { input, output: outA, count: rows });
      playback.encodeForward(encoder, { input, output: outB, count: rows });
    }));
    const a = await readFloats(device, outA, rows * 7), b = await readFloats(device, outB, rows * 7);
    expect([...b]).to.deep.equal([...a]);
    // And both agree with the twin (4 layers: the forward-only ping-pong buffers alternate).
    expectClose('playback output', b, mlpForwardTwin(await twinOf(playback), await readFloats(device, input, rows * 10), rows)[3], 1e-5, 1e-4);
    expect(() => playback.encodeBackward(device.createCommandEncoder(), { input, gradOutput: outA, count: rows })).to.throw(AvatarInputError, /trainable: false/);
    trained.destroy();
    playback.destroy();
  });

  it('rejects bad options, weights and arguments with typed errors', async () => {
    const device = await getTestDevice();
    expect(() => createMlp(device, { layers: [5], maxRows: 4 })).to.throw(AvatarInputError, /layers: expected an array of at least 2 widths/);
    expect(() => createMlp(device, { layers: [5, 0, 7], maxRows: 4 })).to.throw(AvatarInputError, /layers\[1\]: expected an integer/);
    expect(() => createMlp(device, { layers: [5, 7], maxRows: 4, activation: 'tanh' as never })).to.throw(AvatarInputError, /activation: expected 'relu' or 'silu'/);
    expect(() => createMlp(device, { layers: [5, 7], maxRows: -1 })).to.throw(AvatarInputError, /maxRows/);
    const good = await createMlp(device, { layers: [5, 6, 7], maxRows: 4, trainable: false }).readWeights();
    const withBad = (name: string, tensor: NetworkTensor | undefined) => ({ ...good, [name]: tensor }) as Record<string, NetworkTensor>;
    expect(() => createMlp(device, { layers: [5, 6, 7], maxRows: 4, weights: withBad('layer1.weight', undefined) })).to.throw(AvatarFormatError, /weights\.layer1\.weight: expected shape \[6,7\] float32 \(42 values\), got nothing/);
    expect(() => createMlp(device, { layers: [5, 6, 7], maxRows: 4, weights: withBad('layer0.bias', { shape: [5], data: new Float32Array(5) }) })).to.throw(AvatarFormatError, /weights\.layer0\.bias: expected shape \[6\]/);
    const nan = new Float32Array(30); nan[3] = NaN;
    expect(() => createMlp(device, { layers: [5, 6, 7], maxRows: 4, weights: withBad('layer0.weight', { shape: [5, 6], data: nan }) })).to.throw(AvatarFormatError, /finite/);
    const mlp = createMlp(device, { layers: [5, 6, 7], maxRows: 4 });
    const input = upload(device, new Float32Array(20)), output = nanBuffer(device, 28);
    const encoder = device.createCommandEncoder();
    expect(() => mlp.encodeForward(encoder, { input, output, count: 5 })).to.throw(AvatarInputError, /count: expected an integer in 0…4 \(maxRows\)/);
    expect(() => mlp.encodeForward(encoder, { input: nanBuffer(device, 19), output, count: 4 })).to.throw(AvatarInputError, /input: expected a buffer of at least 80 bytes/);
    expect(() => mlp.encodeForward(encoder, { input, output: input, count: 4 })).to.throw(AvatarInputError, /output/);
    mlp.encodeForward(encoder, { input, output, count: 4 });
    expect(() => mlp.encodeBackward(encoder, { input, gradOutput: output, count: 3 })).to.throw(AvatarInputError, /count: expected the count of the preceding encodeForward \(4\)/);
    expect(() => mlp.encodeBackward(encoder, { input, gradOutput: output, gradInput: input, count: 4 })).to.throw(AvatarInputError, /gradInput: expected a buffer other than input/);
    await expectNoGpuError(device, async () => device.queue.submit([encoder.finish()]));
    mlp.destroy();
  });
});
