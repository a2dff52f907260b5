/// <reference types="mocha" />
// The image loss, target compositing, sums and regularisers on the GPU against their f64 twins
// (tests/train/loss-twin.ts; the twins' gradients are checked against finite differences in
// loss-twin.test.ts). Image sizes are not multiples of the 16 × 16 SSIM tile or of 256 threads.
import { expect } from 'chai';
import { getTestDevice, expectNoGpuError } from '../helpers/gpu-device.js';
import { createImageLoss, IMAGE_LOSS_SUMMARY_FLOATS, type LossSpace } from '../../src/train/losses/image-loss.js';
import { createTargetCompositor } from '../../src/train/losses/composite-target.js';
import { createSumReducer } from '../../src/train/losses/reduce-sum.js';
import { createRegularisers } from '../../src/train/losses/regularisers.js';
import { AvatarInputError } from '../../src/errors.js';
import { compositeTwin, imageLossSrgbTwin, imageLossTwin, l2RegulariserTwin, lossRandom, mirrorRegulariserTwin, randomImage, tvTwin } from './loss-twin.js';
import { expectClose, nanBuffer, readFloats, submit, upload } from './nn-gpu-helpers.js';

interface LossRun { grad: Float32Array; summary: Float32Array }

async function runImageLoss(device: GPUDevice, x: Float32Array, y: Float32Array, width: number, height: number, l1Weight: number, ssimWeight: number, lossOffset = 0, space: LossSpace = 'linear'): Promise<LossRun> {
  const n = width * height * 3;
  const [xb, yb] = [upload(device, x), upload(device, y)];
  const gradOut = nanBuffer(device, n);
  const lossOut = nanBuffer(device, lossOffset + IMAGE_LOSS_SUMMARY_FLOATS);
  const loss = createImageLoss(device, { width, height, l1Weight, ssimWeight, space });
  await expectNoGpuError(device, () => submit(device, (encoder) => loss.encode(encoder, { rendered: xb, target: yb, gradOut, lossOut, lossOffset })));
  const grad = await readFloats(device, gradOut, n);
  const summary = (await readFloats(device, lossOut, lossOffset + IMAGE_LOSS_SUMMARY_FLOATS)).slice(lossOffset);
  loss.destroy();
  for (const b of [xb, yb, gradOut, lossOut]) b.destroy();
  return { grad, summary };
}

/** Checks a GPU run against the twin; returns the worst gradient error in units of 1/N (the size of one element's L1 gradient). */
function compareWithTwin(run: LossRun, x: Float32Array, y: Float32Array, width: number, height: number, l1Weight: number, ssimWeight: number, space: LossSpace = 'linear'): number {
  const n = width * height * 3;
  const twin = (space === 'srgb' ? imageLossSrgbTwin : imageLossTwin)(x, y, width, height, l1Weight, ssimWeight);
  const [loss, l1, ssim, mse, psnr] = run.summary;
  expect(loss, 'loss').to.be.closeTo(twin.loss, 2e-6);
  expect(l1, 'L1').to.be.closeTo(twin.l1, 2e-6);
  expect(ssim, 'SSIM').to.be.closeTo(twin.ssim, 5e-6);
  expect(mse, 'MSE').to.be.closeTo(twin.mse, 1e-6 * (1 + twin.mse));
  expect(psnr, 'PSNR').to.be.closeTo(twin.psnr, 1e-4);
  // f32 windowed variances (E[x²] − μ²) carry ~1e-7 absolute error, amplified by 1/(σ² + C2) ≤ 1/C2.
  return expectClose('∂loss/∂rendered', Array.from(run.grad, (v) => v * n), Array.from(twin.grad, (v) => v * n), 2e-4, 1e-4);
}

describe('createImageLoss (0.8·L1 + 0.2·(1 − SSIM), WGSL)', () => {
  const sizes: [number, number][] = [[23, 17], [40, 32], [5, 3], [1, 1]];
  for (const [width, height] of sizes) {
    it(`loss summary and gradient match the f64 twin (${width}×${height})`, async () => {
      const device = await getTestDevice();
      const rand = lossRandom(width * 1000 + height);
      const x = randomImage(width, height, rand), y = randomImage(width, height, rand);
      const run = await runImageLoss(device, x, y, width, height, 0.8, 0.2);
      const worst = compareWithTwin(run, x, y, width, height, 0.8, 0.2);
      console.log(`image loss ${width}×${height}: worst |gpu − f64| gradient = ${worst.toExponential(2)} / N`);
    });
  }

  it('in sRGB (space: \'srgb\'): loss of the sRGB images and the gradient through the curve match the f64 twin (23×17, 40×32)', async () => {
    const device = await getTestDevice();
    for (const [width, height] of [[23, 17], [40, 32]] as const) {
      const rand = lossRandom(width * 7 + height);
      // Squared: many dark values, where the curve's slope is steep; one value past each end (clamped, slope 0).
      const x = randomImage(width, height, rand).map((v) => v * v), y = randomImage(width, height, rand).map((v) => v * v);
      x[0] = -0.05;
      x[1] = 1.05;
      const run = await runImageLoss(device, x, y, width, height, 0.8, 0.2, 0, 'srgb');
      const worst = compareWithTwin(run, x, y, width, height, 0.8, 0.2, 'srgb');
      expect(run.grad[0], 'clamped below 0: no gradient').to.equal(0);
      expect(run.grad[1], 'clamped above 1: no gradient').to.equal(0);
      console.log(`image loss in sRGB ${width}×${height}: worst |gpu − f64| gradient = ${worst.toExponential(2)} / N`);
    }
  });

  it('SSIM-only and L1-only weights give each part of the gradient alone (40×32), summary at an offset', async () => {
    const device = await getTestDevice();
    const [width, height] = [40, 32];
    const rand = lossRandom(99);
    const x = randomImage(width, height, rand), y = randomImage(width, height, rand, 0.6);
    for (const [l1Weight, ssimWeight] of [[0, 1], [1, 0], [0.3, 2.5]]) {
      const run = await runImageLoss(device, x, y, width, height, l1Weight, ssimWeight, 7);
      compareWithTwin(run, x, y, width, height, l1Weight, ssimWeight);
    }
  });

  it('identical images: loss 0, SSIM 1, PSNR 100 dB, gradient 0', async () => {
    const device = await getTestDevice();
    const x = randomImage(23, 17, lossRandom(5));
    const run = await runImageLoss(device, x, x, 23, 17, 0.8, 0.2);
    expect(run.summary[0]).to.be.closeTo(0, 1e-6);
    expect(run.summary[1]).to.equal(0);
    expect(run.summary[2]).to.be.closeTo(1, 1e-5);
    expect(run.summary[3]).to.equal(0);
    expect(run.summary[4]).to.be.closeTo(100, 1e-3);
    const n = 23 * 17 * 3;
    expect(Math.max(...Array.from(run.grad, (v) => Math.abs(v * n))), 'max |gradient|·N').to.be.below(5e-3);
  });

  it('without lossOut writes only the gradient; the same gradient as with it', async () => {
    const device = await getTestDevice();
    const [width, height] = [23, 17];
    const rand = lossRandom(12);
    const x = randomImage(width, height, rand), y = randomImage(width, height, rand);
    const [xb, yb] = [upload(device, x), upload(device, y)];
    const gradOut = nanBuffer(device, width * height * 3);
    const loss = createImageLoss(device, { width, height });
    expect([loss.l1Weight, loss.ssimWeight]).to.deep.equal([0.8, 0.2]);
    await expectNoGpuError(device, () => submit(device, (encoder) => loss.encode(encoder, { rendered: xb, target: yb, gradOut })));
    const grad = await readFloats(device, gradOut, width * height * 3);
    const withSummary = await runImageLoss(device, x, y, width, height, 0.8, 0.2);
    expect(Array.from(grad)).to.deep.equal(Array.from(withSummary.grad));
    loss.destroy();
    for (const b of [xb, yb, gradOut]) b.destroy();
  });

  it('rejects bad options and arguments with AvatarInputError naming the field, and stays usable', async () => {
    const device = await getTestDevice();
    const buf = (floats: number, usage = GPUBufferUsage.STORAGE) => device.createBuffer({ size: 4 * floats, usage });
    expect(() => createImageLoss(undefined as unknown as GPUDevice, { width: 4, height: 4 })).to.throw(AvatarInputError, /device: expected a GPUDevice, got undefined/);
    expect(() => createTargetCompositor({} as GPUDevice, { width: 4, height: 4 })).to.throw(AvatarInputError, /device: expected a GPUDevice, got Object/);
    expect(() => createRegularisers(null as unknown as GPUDevice, { maxElements: 4 })).to.throw(AvatarInputError, /device: expected a GPUDevice, got null/);
    expect(() => createSumReducer(device.queue as unknown as GPUDevice, { maxCount: 4 })).to.throw(AvatarInputError, /device: expected a GPUDevice, got GPUQueue/);
    expect(() => createImageLoss(device, { width: 0, height: 4 })).to.throw(AvatarInputError, /width: expected an integer in 1…65535, got number 0/);
    expect(() => createImageLoss(device, { width: 4, height: 2.5 })).to.throw(AvatarInputError, /height/);
    expect(() => createImageLoss(device, { width: 4, height: 4, ssimWeight: -1 })).to.throw(AvatarInputError, /ssimWeight: expected a finite number in 0…Infinity, got number -1/);
    expect(() => createImageLoss(device, { width: 4, height: 4, l1Weight: NaN })).to.throw(AvatarInputError, /l1Weight/);
    expect(() => createImageLoss(device, { width: 4, height: 4, space: 'rgb' as never })).to.throw(AvatarInputError, /space: expected 'linear' or 'srgb', got string/);
    expect(() => createImageLoss(device, { width: 30000, height: 30000 })).to.throw(AvatarInputError, /width × height: 30000 × 30000/);
    const loss = createImageLoss(device, { width: 6, height: 5 });
    const rendered = buf(90), target = buf(90), gradOut = buf(90), lossOut = buf(5);
    const encoder = device.createCommandEncoder();
    const bad: [() => void, RegExp][] = [
      [() => loss.encode(encoder, { rendered: buf(89), target, gradOut }), /rendered: expected a buffer of at least 360 bytes \(90 f32\), got 356 bytes/],
      [() => loss.encode(encoder, { rendered, target: buf(90, GPUBufferUsage.UNIFORM), gradOut }), /target: expected a buffer with STORAGE usage/],
      [() => loss.encode(encoder, { rendered, target, gradOut: rendered }), /gradOut: expected a buffer other than rendered/],
      [() => loss.encode(encoder, { rendered, target, gradOut, lossOut, lossOffset: 1 }), /lossOut: expected a buffer of at least 24 bytes/],
      [() => loss.encode(encoder, { rendered, target, gradOut, lossOut, lossOffset: -1 }), /lossOffset: expected an integer/],
      [() => loss.encode(encoder, { rendered, target, gradOut, lossOut: gradOut }), /lossOut: expected a buffer other than gradOut/],
      [() => loss.encode(encoder, { rendered: {} as GPUBuffer, target, gradOut }), /rendered: expected a GPUBuffer, got Object/],
      [() => loss.encode(encoder, null as never), /image loss args: expected an object, got null/],
    ];
    for (const [call, message] of bad) expect(call).to.throw(AvatarInputError, message);
    // Nothing was encoded by the refused calls: the encoder still finishes and runs cleanly.
    await expectNoGpuError(device, async () => {
      loss.encode(encoder, { rendered, target, gradOut, lossOut });
      device.queue.submit([encoder.finish()]);
      await device.queue.onSubmittedWorkDone();
    });
    loss.destroy();
  });
});

describe('createTargetCompositor (mask·image + (1 − mask)·background, WGSL)', () => {
  it('matches the twin on 23×17 with a soft mask (clamped outside 0…1)', async () => {
    const device = await getTestDevice();
    const [width, height] = [23, 17];
    const rand = lossRandom(4);
    const image = randomImage(width, height, rand);
    const mask = Float32Array.from({ length: width * height }, () => rand() * 1.4 - 0.2);
    const background = [0.2, 0.9, 0.45];
    const [ib, mb] = [upload(device, image), upload(device, mask)];
    const target = nanBuffer(device, width * height * 3);
    const compositor = createTargetCompositor(device, { width, height });
    await expectNoGpuError(device, () => submit(device, (encoder) => compositor.encode(encoder, { image: ib, mask: mb, background, target })));
    const got = await readFloats(device, target, width * height * 3);
    expectClose('target', got, compositeTwin(image, mask, background, width, height), 1e-6);
    // Clamping is exercised: some mask values were outside 0…1.
    expect(mask.some((m) => m < 0) && mask.some((m) => m > 1)).to.equal(true);
    expect(() => compositor.encode(device.createCommandEncoder(), { image: ib, mask: mb, background: [0, NaN, 0], target })).to.throw(AvatarInputError, /background: expected 3 finite numbers \(RGB\), got Array\(3\) \[0, NaN, 0\]/);
    expect(() => compositor.encode(device.createCommandEncoder(), { image: ib, mask: mb, background: [0, 0], target })).to.throw(AvatarInputError, /background/);
    expect(() => compositor.encode(device.createCommandEncoder(), { image: ib, mask: mb, background, target: ib })).to.throw(AvatarInputError, /target: expected a buffer other than image/);
    expect(() => compositor.encode(device.createCommandEncoder(), { image: ib, mask: upload(device, new Float32Array(10)), background, target })).to.throw(AvatarInputError, /mask: expected a buffer of at least 1564 bytes/);
    compositor.destroy();
    for (const b of [ib, mb, target]) b.destroy();
  });
});

describe('createSumReducer (deterministic pairwise sum, WGSL)', () => {
  it('sums several rows accurately and bit-identically on every run (1, 64, 65, 4097 and 1.2 M values)', async () => {
    const device = await getTestDevice();
    for (const [count, rows] of [[1, 1], [64, 2], [65, 3], [4097, 2], [1_200_000, 2]]) {
      const rand = lossRandom(count);
      const values = Float32Array.from({ length: count * rows }, () => rand() * 2 - 0.5);
      const input = upload(device, values);
      const reducer = createSumReducer(device, { maxCount: count, maxRows: rows });
      const runs: Float32Array[] = [];
      for (let run = 0; run < 2; run++) {
        const output = nanBuffer(device, rows + 2);
        await expectNoGpuError(device, () => submit(device, (encoder) => {
          const pass = encoder.beginComputePass();
          reducer.encodeInPass(pass, { input, count, rows, output, outputOffset: 2 });
          pass.end();
        }));
        const got = await readFloats(device, output, rows + 2);
        expect(Number.isNaN(got[0]) && Number.isNaN(got[1]), 'entries before outputOffset untouched').to.equal(true);
        runs.push(got.slice(2));
        output.destroy();
      }
      for (let r = 0; r < rows; r++) {
        let sum = 0, magnitude = 0;
        for (let i = 0; i < count; i++) { sum += values[r * count + i]; magnitude += Math.abs(values[r * count + i]); }
        // A pairwise sum's rounding error grows with log2(count) (a running f32 sum of 1.2 M values: ~1e-4 of Σ|v|).
        expect(Math.abs(runs[0][r] - sum), `row ${r} of ${count}`).to.be.below(2e-7 * magnitude + 1e-7);
      }
      expect(Array.from(runs[1])).to.deep.equal(Array.from(runs[0]));
      reducer.destroy();
      input.destroy();
    }
  });

  it('rejects counts past maxCount and an output that aliases the input', async () => {
    const device = await getTestDevice();
    const reducer = createSumReducer(device, { maxCount: 100 });
    const input = upload(device, new Float32Array(200));
    const pass = device.createCommandEncoder().beginComputePass();
    expect(() => reducer.encodeInPass(pass, { input, count: 101, output: upload(device, [0]) })).to.throw(AvatarInputError, /count: expected an integer in 1…100 \(maxCount\), got number 101/);
    expect(() => reducer.encodeInPass(pass, { input, count: 100, output: input })).to.throw(AvatarInputError, /output: expected a buffer other than input/);
    expect(() => reducer.encodeInPass(pass, { input, count: 100, rows: 2, output: upload(device, [0]) })).to.throw(AvatarInputError, /rows: expected an integer in 1…1 \(maxRows\)/);
    expect(() => createSumReducer(device, { maxCount: 0 })).to.throw(AvatarInputError, /maxCount/);
    pass.end();
    reducer.destroy();
  });
});

describe('createRegularisers (total variation, squared magnitude / hinge, WGSL)', () => {
  it('total variation of C × H × W tensors matches the twin: gradient added or overwritten, loss summed', async () => {
    const device = await getTestDevice();
    const regs = createRegularisers(device, { maxElements: 4 * 37 * 37 });
    for (const [c, h, w] of [[4, 37, 37], [2, 5, 7], [3, 1, 9]]) {
      const rand = lossRandom(c * h * w);
      const f = Float32Array.from({ length: c * h * w }, () => rand() * 2 - 1);
      const prior = Float32Array.from({ length: c * h * w }, () => rand() - 0.5);
      const [tensor, grad, added] = [upload(device, f), nanBuffer(device, f.length), upload(device, prior)];
      const lossOut = nanBuffer(device, 3);
      await expectNoGpuError(device, () => submit(device, (encoder) => {
        regs.encodeTotalVariation(encoder, { tensor, channels: c, height: h, width: w, weight: 0.3, grad, accumulate: false, lossOut, lossOffset: 1 });
        regs.encodeTotalVariation(encoder, { tensor, channels: c, height: h, width: w, weight: 0.3, grad: added });
      }));
      const twin = tvTwin(f, c, h, w, 0.3);
      const scale = 0.3 / Math.max(1, c * h * (w - 1));
      expectClose(`∂TV/∂F ${c}×${h}×${w}`, await readFloats(device, grad, f.length), twin.grad, 1e-5 * scale, 1e-5);
      expectClose(`prior + ∂TV/∂F ${c}×${h}×${w}`, await readFloats(device, added, f.length), Array.from(twin.grad, (g, k) => g + prior[k]), 1e-6, 1e-5);
      const loss = await readFloats(device, lossOut, 3);
      expect(loss[1], `TV loss ${c}×${h}×${w}`).to.be.closeTo(twin.loss, 1e-6 * twin.loss);
      expect(Number.isNaN(loss[0]) && Number.isNaN(loss[2])).to.equal(true);
      for (const b of [tensor, grad, added, lossOut]) b.destroy();
    }
    regs.destroy();
  });

  it('mean ‖δ‖² of offsets, mean σ² and a hinge on scales match the twin', async () => {
    const device = await getTestDevice();
    const regs = createRegularisers(device, { maxElements: 3 * 1000 });
    const rand = lossRandom(21);
    for (const [items, components, bound] of [[1000, 3, 0], [777, 1, 0], [999, 1, 0.4]]) {
      const v = Float32Array.from({ length: items * components }, () => (rand() * 2 - 1) * 0.8);
      const [values, grad, lossOut] = [upload(device, v), nanBuffer(device, v.length), nanBuffer(device, 1)];
      await expectNoGpuError(device, () => submit(device, (encoder) => {
        regs.encodeL2(encoder, { values, items, components, bound, weight: 2, grad, accumulate: false, lossOut });
      }));
      const twin = l2RegulariserTwin(v, items, components, bound, 2);
      expectClose(`∂L2/∂v (${items}×${components}, bound ${bound})`, await readFloats(device, grad, v.length), twin.grad, 1e-9, 1e-5);
      expect((await readFloats(device, lossOut, 1))[0]).to.be.closeTo(twin.loss, 1e-6 * twin.loss);
      if (bound > 0) expect(v.some((x) => Math.abs(x) < bound) && twin.grad.some((g) => g === 0)).to.equal(true);
      for (const b of [values, grad, lossOut]) b.destroy();
    }
    regs.destroy();
  });

  it('mirror-twin regulariser (offsets mirrored across x = 0, colours, scales) matches the twin: gradient added or overwritten, loss summed', async () => {
    const device = await getTestDevice();
    const regs = createRegularisers(device, { maxElements: 3 * 1000 });
    const rand = lossRandom(33);
    for (const [items, signs] of [[1000, [-1, 1, 1]], [777, [1, 1, 1]], [999, [1]]] as const) {
      const components = signs.length;
      const v = Float32Array.from({ length: items * components }, () => (rand() * 2 - 1) * 0.8);
      // about a third without a twin; the others' twins anywhere, themselves included
      const twins = Int32Array.from({ length: items }, () => (rand() < 0.35 ? -1 : Math.floor(rand() * items)));
      const prior = Float32Array.from({ length: v.length }, () => rand() - 0.5);
      const twinBuffer = device.createBuffer({ size: 4 * items, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST });
      device.queue.writeBuffer(twinBuffer, 0, twins);
      const [values, grad, added, lossOut] = [upload(device, v), nanBuffer(device, v.length), upload(device, prior), nanBuffer(device, 1)];
      await expectNoGpuError(device, () => submit(device, (encoder) => {
        regs.encodeMirror(encoder, { values, twins: twinBuffer, items, components, signs: [...signs], weight: 2, grad, accumulate: false, lossOut });
        regs.encodeMirror(encoder, { values, twins: twinBuffer, items, components, signs: [...signs], weight: 2, grad: added });
      }));
      const twin = mirrorRegulariserTwin(v, twins, items, components, signs, 2);
      expectClose(`∂mirror/∂v (${items}×${components})`, await readFloats(device, grad, v.length), twin.grad, 1e-9, 1e-5);
      expectClose(`prior + ∂mirror/∂v (${items}×${components})`, await readFloats(device, added, v.length), Array.from(twin.grad, (g, k) => g + prior[k]!), 1e-6, 1e-5);
      expect((await readFloats(device, lossOut, 1))[0]).to.be.closeTo(twin.loss, 1e-6 * twin.loss);
      for (const b of [values, grad, added, lossOut, twinBuffer]) b.destroy();
    }
    regs.destroy();
  });

  it('rejects bad arguments with AvatarInputError naming the field', async () => {
    const device = await getTestDevice();
    const regs = createRegularisers(device, { maxElements: 100 });
    const a = upload(device, new Float32Array(100)), g = upload(device, new Float32Array(100));
    const encoder = device.createCommandEncoder();
    const tv = { tensor: a, channels: 4, height: 5, width: 5, weight: 1, grad: g };
    const l2 = { values: a, items: 30, components: 3, weight: 1, grad: g };
    const mirror = { values: a, twins: upload(device, new Float32Array(30)), items: 30, components: 3, signs: [-1, 1, 1], weight: 1, grad: g };
    const bad: [() => void, RegExp][] = [
      [() => regs.encodeTotalVariation(encoder, { ...tv, width: 6 }), /channels × height × width: expected at most maxElements 100, got 4 × 5 × 6 = 120/],
      [() => regs.encodeTotalVariation(encoder, { ...tv, weight: -1 }), /weight: expected a finite number in 0…Infinity, got number -1/],
      [() => regs.encodeTotalVariation(encoder, { ...tv, grad: a }), /grad: expected a buffer other than tensor/],
      [() => regs.encodeTotalVariation(encoder, { ...tv, channels: 0 }), /channels: expected an integer/],
      [() => regs.encodeL2(encoder, { ...l2, bound: -0.1 }), /bound: expected a finite number in 0…Infinity/],
      [() => regs.encodeL2(encoder, { ...l2, items: 40 }), /items × components: expected at most maxElements 100, got 40 × 3 = 120/],
      [() => regs.encodeL2(encoder, { ...l2, lossOut: g }), /lossOut: expected a buffer other than grad/],
      [() => regs.encodeL2(encoder, { ...l2, accumulate: 1 as unknown as boolean }), /accumulate: expected a boolean, got number/],
      [() => regs.encodeL2(encoder, { ...l2, values: upload(device, [1]) }), /values: expected a buffer of at least 360 bytes/],
      [() => regs.encodeMirror(encoder, { ...mirror, signs: [-1, 1] }), /signs: expected 3 numbers \(one per component\)/],
      [() => regs.encodeMirror(encoder, { ...mirror, signs: [-1, NaN, 1] }), /signs\[1\]: expected a finite number/],
      [() => regs.encodeMirror(encoder, { ...mirror, components: 5 }), /components: expected an integer in 1…4/],
      [() => regs.encodeMirror(encoder, { ...mirror, twins: upload(device, [1]) }), /twins: expected a buffer of at least 120 bytes/],
      [() => regs.encodeMirror(encoder, { ...mirror, grad: a }), /grad: expected a buffer other than values/],
    ];
    for (const [call, message] of bad) expect(call).to.throw(AvatarInputError, message);
    expect(() => createRegularisers(device, { maxElements: 0 })).to.throw(AvatarInputError, /maxElements/);
    encoder.finish();
    regs.destroy();
  });
});
