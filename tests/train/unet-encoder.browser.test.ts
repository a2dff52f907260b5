/// <reference types="mocha" />
import { expect } from 'chai';
import { getTestDevice, expectNoGpuError } from '../helpers/gpu-device.js';
import { createUNetEncoder, unetConvShapes, UNET_DEFAULT_WIDTHS, type UNetEncoder, type UNetEncoderOptions } from '../../src/train/nn/unet-encoder.js';
import { createAdam } from '../../src/train/nn/adam.js';
import { AvatarFormatError, AvatarInputError } from '../../src/errors.js';
import { readBuffer } from '../../src/gpu/buffers.js';
import { fixtureRandom, randomFloats } from './nn-twin.js';
import { unetBackwardTwin, unetForwardTwin, type UNetTwin } from './unet-twin.js';
import { expectClose, readFloats, submit, upload } from './nn-gpu-helpers.js';

const RELATIVE = 1e-4; // the target for kernels vs twins

function maxAbs(values: ArrayLike<number>): number {
  let m = 0;
  for (let k = 0; k < values.length; k++) m = Math.max(m, Math.abs(values[k]));
  return m;
}

async function twinOf(device: GPUDevice, unet: UNetEncoder, mask?: Float32Array): Promise<UNetTwin> {
  const convs = await Promise.all(unet.convBuffers.map(async (b) => new Float32Array(await readBuffer(device, b))));
  return { inputChannels: unet.inputChannels, outputChannels: unet.outputChannels, widths: [...unet.widths], resolution: unet.resolution, convs, mask };
}

async function runEncoder(device: GPUDevice, options: UNetEncoderOptions, seed: number) {
  const rand = fixtureRandom(seed);
  const plane = options.resolution ** 2;
  const input = randomFloats((options.inputChannels ?? 3) * plane, rand, -1, 1);
  const gradOutput = randomFloats(options.outputChannels * plane, rand);
  const unet = createUNetEncoder(device, options);
  const [inputb, gradb] = [input, gradOutput].map((a) => upload(device, a));
  await expectNoGpuError(device, () => submit(device, (encoder) => {
    unet.encodeForward(encoder, { input: inputb });
    unet.encodeBackward(encoder, { input: inputb, gradOutput: gradb });
  }));
  const output = await readFloats(device, unet.output, options.outputChannels * plane);
  const grads = await Promise.all(unet.parameters.map((p) => readFloats(device, p.grad, p.count)));
  const twin = await twinOf(device, unet, options.mask);
  inputb.destroy();
  gradb.destroy();
  return { unet, input, gradOutput, output, grads, twin };
}

describe('createUNetEncoder (U-Net pose encoder, WGSL)', () => {
  const cases: [string, UNetEncoderOptions][] = [
    ['3 levels, masked', { resolution: 16, outputChannels: 5, widths: [4, 8, 6], outputGain: 1, mask: undefined }],
    ['2 levels, 4 input channels', { resolution: 8, inputChannels: 4, outputChannels: 3, widths: [5, 7], outputGain: 1 }],
    ['1 level', { resolution: 8, outputChannels: 2, widths: [3], outputGain: 1 }],
  ];
  for (const [what, options] of cases) {
    it(`forward and every conv's gradient match the f64 twin (${what})`, async () => {
      const device = await getTestDevice();
      const rand = fixtureRandom(77);
      const mask = what.includes('masked') ? Float32Array.from({ length: options.resolution ** 2 }, () => (rand() < 0.7 ? 1 : 0)) : undefined;
      const r = await runEncoder(device, { ...options, mask }, 5);
      const want = unetForwardTwin(r.twin, r.input).output;
      expectClose('output', r.output, want, 1e-5 * maxAbs(want), RELATIVE);
      if (mask) mask.forEach((m, t) => { if (m === 0) for (let c = 0; c < options.outputChannels; c++) expect(r.output[c * mask.length + t]).to.equal(0); });
      const { convs } = unetBackwardTwin(r.twin, r.input, r.gradOutput);
      expect(r.grads.length).to.equal(convs.length);
      convs.forEach((grad, k) => {
        expect(maxAbs(grad), `conv ${k} has a gradient`).to.be.above(1e-3);
        expectClose(`∂L/∂conv${k}`, r.grads[k], grad, 1e-5 * maxAbs(grad), RELATIVE);
      });
      r.unet.destroy();
    });
  }

  it('starts at zero features by default (outputGain 0) and trains them towards a target with Adam', async () => {
    const device = await getTestDevice();
    const resolution = 8, outputChannels = 2;
    const unet = createUNetEncoder(device, { resolution, outputChannels, widths: [4, 6] });
    const rand = fixtureRandom(3);
    const plane = resolution * resolution;
    const input = upload(device, randomFloats(3 * plane, rand));
    const target = randomFloats(outputChannels * plane, rand, -0.5, 0.5);
    const adam = createAdam(device, unet.parameters.map((p) => ({ ...p, lr: 0.01 })));
    // L = ½‖y − target‖², so ∂L/∂y = y − target (computed on the CPU between steps).
    const gradb = upload(device, new Float32Array(outputChannels * plane));
    const losses: number[] = [];
    for (let step = 0; step < 30; step++) {
      await submit(device, (encoder) => unet.encodeForward(encoder, { input }));
      const y = await readFloats(device, unet.output, outputChannels * plane);
      if (step === 0) expect(maxAbs(y), 'output at initialisation').to.equal(0);
      const grad = y.map((v, k) => v - target[k]);
      losses.push(grad.reduce((s, g) => s + 0.5 * g * g, 0));
      device.queue.writeBuffer(gradb, 0, grad);
      await expectNoGpuError(device, () => submit(device, (encoder) => {
        unet.encodeBackward(encoder, { input, gradOutput: gradb });
        adam.encodeStep(encoder);
      }));
    }
    expect(losses[29], `loss ${losses[0]} → ${losses[29]}`).to.be.below(0.5 * losses[0]);
    adam.destroy();
    unet.destroy();
    input.destroy();
    gradb.destroy();
  });

  it('saved weights round-trip (readWeights → weights option gives the same features; writeWeights checks shapes)', async () => {
    const device = await getTestDevice();
    const options: UNetEncoderOptions = { resolution: 8, outputChannels: 3, widths: [4, 5], outputGain: 1, seed: 9 };
    const a = createUNetEncoder(device, options);
    const tensors = await a.readWeights();
    expect(Object.keys(tensors).sort()).to.deep.equal(['unet.conv0.bias', 'unet.conv0.weight', 'unet.conv1.bias', 'unet.conv1.weight', 'unet.conv2.bias', 'unet.conv2.weight', 'unet.conv3.bias', 'unet.conv3.weight']);
    expect(tensors['unet.conv2.weight'].shape).to.deep.equal([3, 3, 9, 4]);
    const b = createUNetEncoder(device, { ...options, seed: 1, trainable: false, weights: tensors });
    expect(b.parameters.length).to.equal(0);
    const input = upload(device, randomFloats(3 * 64, fixtureRandom(1)));
    await submit(device, (encoder) => {
      a.encodeForward(encoder, { input });
      b.encodeForward(encoder, { input });
    });
    expectClose('same features', await readFloats(device, b.output, 3 * 64), await readFloats(device, a.output, 3 * 64), 0);
    const bad = { ...tensors, 'unet.conv1.bias': { shape: [4], data: new Float32Array(4) } };
    expect(() => b.writeWeights(bad)).to.throw(AvatarFormatError, /weights\.unet\.conv1\.bias: expected shape \[5\] float32/);
    expect(() => b.encodeBackward(device.createCommandEncoder(), { input, gradOutput: input })).to.throw(AvatarInputError, /trainable: false/);
    a.destroy();
    b.destroy();
    input.destroy();
  });

  it('rejects bad options and arguments with AvatarInputError naming the field', async () => {
    const device = await getTestDevice();
    const ok: UNetEncoderOptions = { resolution: 8, outputChannels: 2, widths: [2, 2] };
    const bad: [string, () => unknown, RegExp][] = [
      ['resolution not a multiple', () => createUNetEncoder(device, { ...ok, resolution: 6, widths: [2, 2, 2] }), /resolution: expected a multiple of 2\^\(levels − 1\) = 4 for 3 levels, got 6/],
      ['widths empty', () => createUNetEncoder(device, { ...ok, widths: [] }), /widths: expected an array of 1…8 channel counts/],
      ['width 0', () => createUNetEncoder(device, { ...ok, widths: [2, 0] }), /widths\[1\]: expected an integer in 1…256/],
      ['outputChannels', () => createUNetEncoder(device, { ...ok, outputChannels: 1.5 }), /outputChannels: expected an integer/],
      ['mask length', () => createUNetEncoder(device, { ...ok, mask: new Float32Array(63) }), /mask: expected a Float32Array of resolution² = 64 values/],
      ['mask value', () => createUNetEncoder(device, { ...ok, mask: new Float32Array(64).fill(2) }), /mask: expected values in \[0, 1\], got 2 at index 0/],
      ['outputGain', () => createUNetEncoder(device, { ...ok, outputGain: -1 }), /outputGain: expected a finite number in 0…/],
      ['missing tensor', () => createUNetEncoder(device, { ...ok, weights: {} }), /weights\.unet\.conv0\.weight: expected shape \[3,3,3,2\] float32 \(54 values\), got nothing/],
    ];
    for (const [what, call, message] of bad) expect(call, what).to.throw(message.source.startsWith('weights') ? AvatarFormatError : AvatarInputError, message);
    const unet = createUNetEncoder(device, ok);
    const small = device.createBuffer({ size: 4 * 191, usage: GPUBufferUsage.STORAGE });
    const encoder = device.createCommandEncoder();
    expect(() => unet.encodeForward(encoder, { input: small })).to.throw(AvatarInputError, /input: expected a buffer of at least 768 bytes/);
    const wide = createUNetEncoder(device, { ...ok, outputChannels: 3 }); // its output is as large as an input
    expect(() => wide.encodeForward(encoder, { input: wide.output })).to.throw(AvatarInputError, /input: expected a buffer of the caller/);
    wide.destroy();
    expect(() => unet.encodeBackward(encoder, { input: small, gradOutput: small })).to.throw(AvatarInputError, /input: expected a buffer of at least 768 bytes/);
    unet.destroy();
    small.destroy();
  });

  it(`runs the default architecture (widths ${UNET_DEFAULT_WIDTHS}) at R = 64`, async () => {
    const device = await getTestDevice();
    const resolution = 64, outputChannels = 16;
    const unet = createUNetEncoder(device, { resolution, outputChannels, outputGain: 1 });
    expect(unet.widths).to.deep.equal([8, 16, 32]);
    expect(unet.parameters.reduce((s, p) => s + p.count, 0)).to.equal(15_864);
    const parameters = unetConvShapes(3, outputChannels, unet.widths).reduce((s, { inputs, outputs }) => s + (9 * inputs + 1) * outputs, 0);
    expect(unet.parameters.reduce((s, p) => s + p.count, 0)).to.equal(parameters);
    const input = upload(device, randomFloats(3 * resolution ** 2, fixtureRandom(2)));
    const gradOutput = upload(device, randomFloats(outputChannels * resolution ** 2, fixtureRandom(3)));
    const time = async (encode: (encoder: GPUCommandEncoder) => void) => {
      await submit(device, encode); // warm-up: pipelines compiled
      const start = performance.now();
      await submit(device, encode);
      return performance.now() - start;
    };
    const forwardMs = await time((encoder) => unet.encodeForward(encoder, { input }));
    const stepMs = await time((encoder) => {
      unet.encodeForward(encoder, { input });
      unet.encodeBackward(encoder, { input, gradOutput });
    });
    const y = await readFloats(device, unet.output, outputChannels * resolution ** 2);
    expect(y.every(Number.isFinite)).to.equal(true);
    expect(maxAbs(y)).to.be.above(0);
    console.log(`U-Net encoder at R 64, widths ${unet.widths}, ${parameters} parameters: forward ${forwardMs.toFixed(1)} ms, forward + backward ${stepMs.toFixed(1)} ms (this device)`);
    unet.destroy();
    input.destroy();
    gradOutput.destroy();
  });
});
