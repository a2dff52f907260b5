/// <reference types="mocha" />
import { expect } from 'chai';
import { getTestDevice, expectNoGpuError } from '../helpers/gpu-device.js';
import { createMatmul, type Activation } from '../../src/train/nn/matmul.js';
import { AvatarInputError } from '../../src/errors.js';
import { fixtureRandom, matmulBackwardInputTwin, matmulBackwardLayerTwin, matmulForwardTwin, randomFloats } from './nn-twin.js';
import { expectClose, nanBuffer, readFloats, submit, upload } from './nn-gpu-helpers.js';

interface Case { rows: number; inputs: number; outputs: number; act: Activation }

async function runLayer(device: GPUDevice, { rows, inputs, outputs, act }: Case, seed: number) {
  const rand = fixtureRandom(seed);
  const x = randomFloats(rows * inputs, rand, -2, 2);
  const layer = randomFloats((inputs + 1) * outputs, rand);
  const gradZ = randomFloats(rows * outputs, rand);
  const [xb, lb, gb] = [x, layer, gradZ].map((a) => upload(device, a));
  const zb = nanBuffer(device, rows * outputs), gxb = nanBuffer(device, rows * inputs), glb = nanBuffer(device, (inputs + 1) * outputs);
  const matmul = createMatmul(device, { maxRows: Math.max(rows, 1) });
  const shape = { rows, inputs, outputs, inputActivation: act };
  await expectNoGpuError(device, () => submit(device, (encoder) => {
    matmul.encodeForward(encoder, { ...shape, input: xb, layer: lb, output: zb });
    matmul.encodeBackwardInput(encoder, { ...shape, gradOutput: gb, layer: lb, input: xb, gradInput: gxb });
    matmul.encodeBackwardLayer(encoder, { ...shape, input: xb, gradOutput: gb, gradLayer: glb });
  }));
  const got = { z: await readFloats(device, zb, rows * outputs), gradX: await readFloats(device, gxb, rows * inputs), gradLayer: await readFloats(device, glb, (inputs + 1) * outputs) };
  matmul.destroy();
  for (const b of [xb, lb, gb, zb, gxb, glb]) b.destroy();
  return { x, layer, gradZ, ...got };
}

describe('createMatmul (tiled dense layer, WGSL)', () => {
  const cases: Case[] = [
    { rows: 70, inputs: 37, outputs: 7, act: 'identity' },
    { rows: 130, inputs: 64, outputs: 65, act: 'relu' },
    { rows: 1, inputs: 1, outputs: 1, act: 'silu' },
    { rows: 65, inputs: 17, outputs: 128, act: 'silu' },
    { rows: 600, inputs: 20, outputs: 9, act: 'relu' }, // two gradient chunks (512 rows each)
    { rows: 97, inputs: 128, outputs: 7, act: 'silu' }, // the decoder's last layer: two W row tiles
  ];
  for (const c of cases) {
    it(`forward, input gradient and layer gradient match the f64 twin (N ${c.rows}, I ${c.inputs}, O ${c.outputs}, ${c.act})`, async () => {
      const device = await getTestDevice();
      const r = await runLayer(device, c, c.rows * 31 + c.inputs);
      const { rows, inputs, outputs, act } = c;
      const z = matmulForwardTwin(r.x, r.layer, rows, inputs, outputs, act);
      const gradX = matmulBackwardInputTwin(r.gradZ, r.layer, r.x, rows, inputs, outputs, act);
      const { grad, magnitude } = matmulBackwardLayerTwin(r.x, r.gradZ, rows, inputs, outputs, act);
      // f32 dot products of ≤ 128 terms of size ≤ 2: a few 1e-6 absolute.
      expectClose('Z', r.z, z, 1e-5, 1e-5);
      expectClose('∂L/∂X', r.gradX, gradX, 1e-5, 1e-5);
      expectClose('∂L/∂layer', r.gradLayer, grad, 1e-6, 1e-5, magnitude);
    });
  }

  it('sums the layer gradient over 100 000 rows accurately (chunked partial sums + compensated reduction)', async () => {
    const device = await getTestDevice();
    const c: Case = { rows: 100_000, inputs: 12, outputs: 10, act: 'silu' };
    const r = await runLayer(device, c, 3);
    const { grad, magnitude } = matmulBackwardLayerTwin(r.x, r.gradZ, c.rows, c.inputs, c.outputs, c.act);
    let worst = 0;
    for (let k = 0; k < grad.length; k++) worst = Math.max(worst, Math.abs(r.gradLayer[k] - grad[k]) / magnitude[k]);
    // A single running f32 sum of 100 000 terms drifts by up to ~1e-4 of Σ|terms|; the chunked sum stays near 1e-7.
    expect(worst, 'worst |gpu − f64| / Σ|terms|').to.be.below(2e-6);
    console.log(`matmul layer gradient over ${c.rows} rows: worst |gpu − f64| / Σ|terms| = ${worst.toExponential(2)}`);
  });

  it('N = 0 writes a zero layer gradient (an empty sum)', async () => {
    const device = await getTestDevice();
    const r = await runLayer(device, { rows: 0, inputs: 5, outputs: 3, act: 'relu' }, 1);
    expect([...r.gradLayer].every((v) => v === 0)).to.equal(true);
  });

  it('rejects bad arguments with AvatarInputError naming the field, and stays usable', async () => {
    const device = await getTestDevice();
    const matmul = createMatmul(device, { maxRows: 100 });
    const buf = (floats: number) => device.createBuffer({ size: 4 * floats, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
    const input = buf(100 * 8), layer = buf(9 * 4), output = buf(100 * 4), gradOutput = buf(100 * 4), gradInput = buf(100 * 8), gradLayer = buf(9 * 4);
    const shape = { rows: 100, inputs: 8, outputs: 4 };
    const encoder = device.createCommandEncoder();
    const bad: [string, () => void, RegExp][] = [
      ['rows > maxRows', () => matmul.encodeForward(encoder, { ...shape, rows: 101, input, layer, output }), /rows: expected an integer in 0…100 \(maxRows\), got number 101/],
      ['inputs 0', () => matmul.encodeForward(encoder, { ...shape, inputs: 0, input, layer, output }), /inputs: expected an integer in 1…/],
      ['outputs NaN', () => matmul.encodeForward(encoder, { ...shape, outputs: NaN, input, layer, output }), /outputs: expected an integer/],
      ['activation', () => matmul.encodeForward(encoder, { ...shape, inputActivation: 'tanh' as Activation, input, layer, output }), /inputActivation: expected 'identity', 'relu' or 'silu'/],
      ['layer too small', () => matmul.encodeForward(encoder, { ...shape, input, layer: buf(35), output }), /layer: expected a buffer of at least 144 bytes \(36 f32\), got 140 bytes/],
      ['output aliases input', () => matmul.encodeForward(encoder, { ...shape, input, layer, output: input }), /output: expected a buffer other than input/],
      ['gradInput too small', () => matmul.encodeBackwardInput(encoder, { ...shape, gradOutput, layer, input, gradInput: buf(799) }), /gradInput: expected a buffer of at least 3200 bytes/],
      ['gradLayer aliases gradOutput', () => matmul.encodeBackwardLayer(encoder, { ...shape, input, gradOutput, gradLayer: gradOutput }), /gradLayer: expected a buffer other than gradOutput/],
      ['not a buffer', () => matmul.encodeBackwardLayer(encoder, { ...shape, input: new Float32Array(800) as unknown as GPUBuffer, gradOutput, gradLayer }), /input: expected a GPUBuffer, got Float32Array\(800\)/],
      ['args missing', () => matmul.encodeForward(encoder, null as never), /matmul args: expected an object, got null/],
    ];
    for (const [what, call, message] of bad) expect(call, what).to.throw(AvatarInputError, message);
    expect(() => createMatmul(device, { maxRows: 0 })).to.throw(AvatarInputError, /maxRows/);
    await expectNoGpuError(device, async () => device.queue.submit([encoder.finish()]));
    matmul.destroy();
    for (const b of [input, layer, output, gradOutput, gradInput, gradLayer]) b.destroy();
    const after = await runLayer(device, { rows: 9, inputs: 3, outputs: 2, act: 'relu' }, 2);
    expectClose('Z after errors', after.z, matmulForwardTwin(after.x, after.layer, 9, 3, 2, 'relu'), 1e-5, 1e-5);
  });
});
