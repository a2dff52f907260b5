// The loss twins' analytic gradients against central finite differences of their forward passes
// (f64), plus closed-form checks of the SSIM twin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { linearToSrgb } from '../../src/color/srgb.js';
import {
  compositeTwin, imageLossSrgbTwin, imageLossTwin, l1Twin, l2RegulariserTwin, lossRandom, mirrorRegulariserTwin, psnrTwin, randomImage, srgbSlopeTwin, ssimGradTwin, ssimTwin, ssimWindow1d,
  SSIM_C1, tvTwin,
} from './loss-twin.js';
import { centralDifference } from './finite-difference.js';

/** Checks every entry (or every `step`-th) of `analytic` against the finite difference of f; returns the count of clearly non-zero entries. */
function checkGradient(what: string, values: Float64Array, analytic: ArrayLike<number>, f: () => number, scale: number, step = 1): number {
  let worst = 0, nonZero = 0;
  for (let k = 0; k < values.length; k += step) {
    const fd = centralDifference(values, k, f);
    worst = Math.max(worst, Math.abs(fd - analytic[k]));
    if (Math.abs(fd) > 1e-3 * scale) nonZero++;
  }
  // Relative to the gradient's typical size (1/N for means over N elements).
  assert.ok(worst < 1e-6 * scale, `${what}: max |analytic − finite difference| = ${worst} (scale ${scale})`);
  return nonZero;
}

test('the SSIM window is the normalised 11-tap Gaussian with σ = 1.5', () => {
  const g = ssimWindow1d();
  assert.equal(g.length, 11);
  assert.ok(Math.abs(g.reduce((a, b) => a + b, 0) - 1) < 1e-15);
  assert.ok(Math.abs(g[6] / g[5] - Math.exp(-1 / 4.5)) < 1e-15);
  assert.ok(Math.abs(g[0] - g[10]) < 1e-18);
});

test('SSIM twin: 1 for identical images, symmetric, closed form on constant images away from the border', () => {
  const rand = lossRandom(7);
  const x = randomImage(16, 13, rand), y = randomImage(16, 13, rand);
  assert.ok(Math.abs(ssimTwin(x, x, 16, 13).ssim - 1) < 1e-12);
  assert.ok(Math.abs(ssimTwin(x, y, 16, 13).ssim - ssimTwin(y, x, 16, 13).ssim) < 1e-12);
  const s = ssimTwin(x, y, 16, 13).ssim;
  assert.ok(s > 0.05 && s < 0.95, `fixture SSIM ${s} should be informative`);
  // Constant a vs constant b: σ = 0 everywhere the window stays inside, so S = (2ab + C1)/(a² + b² + C1).
  const [w, h, a, b] = [13, 12, 0.7, 0.2];
  const { map } = ssimTwin(new Float32Array(w * h * 3).fill(a), new Float32Array(w * h * 3).fill(b), w, h);
  const inside = 3 * (6 * w + 6) + 1;
  assert.ok(Math.abs(map[inside] - (2 * Math.fround(a) * Math.fround(b) + SSIM_C1) / (Math.fround(a) ** 2 + Math.fround(b) ** 2 + SSIM_C1)) < 1e-9);
  // At a corner the zero padding lowers μ and makes σ ≠ 0: the value differs from the closed form.
  assert.ok(Math.abs(map[1] - map[inside]) > 1e-3);
});

test('SSIM twin gradient matches finite differences (image smaller than the window, and larger)', () => {
  for (const [w, h] of [[7, 6], [15, 12]]) {
    const rand = lossRandom(w * 100 + h);
    const x = Float64Array.from(randomImage(w, h, rand)), y = randomImage(w, h, rand);
    const n = w * h * 3;
    const nonZero = checkGradient(`∂SSIM/∂x ${w}×${h}`, x, ssimGradTwin(x, y, w, h), () => ssimTwin(x, y, w, h).ssim, 1 / n, 1);
    assert.ok(nonZero > n / 2, `only ${nonZero} of ${n} gradient entries non-zero`);
  }
});

test('L1 twin gradient matches finite differences away from x = y; MSE is the mean square', () => {
  const rand = lossRandom(3);
  const x = Float64Array.from({ length: 30 }, () => rand()), y = Float64Array.from({ length: 30 }, () => rand());
  const { grad, mse } = l1Twin(x, y);
  checkGradient('∂L1/∂x', x, grad, () => l1Twin(x, y).l1, 1 / 30);
  assert.ok(Math.abs(mse - x.reduce((s, v, i) => s + (v - y[i]) ** 2, 0) / 30) < 1e-15);
  assert.equal(l1Twin([0.5], [0.5]).grad[0], 0);
});

test('image loss twin (0.8·L1 + 0.2·(1 − SSIM)) gradient matches finite differences; PSNR from MSE', () => {
  const [w, h] = [11, 9];
  const rand = lossRandom(11);
  const x = Float64Array.from(randomImage(w, h, rand)), y = randomImage(w, h, rand);
  const r = imageLossTwin(x, y, w, h, 0.8, 0.2);
  checkGradient('∂loss/∂x', x, r.grad, () => imageLossTwin(x, y, w, h, 0.8, 0.2).loss, 1 / (w * h * 3));
  assert.ok(Math.abs(r.loss - (0.8 * r.l1 + 0.2 * (1 - r.ssim))) < 1e-15);
  assert.ok(Math.abs(psnrTwin(0.01) - 20) < 1e-12);
  assert.equal(psnrTwin(0), 100);
});

test('image loss in sRGB twin: gradient w.r.t. the linear image matches finite differences (dark values included)', () => {
  const [w, h] = [11, 9];
  const rand = lossRandom(12);
  // Squared: many values in the dark part of the curve, where its slope is steep (up to 12.92).
  const x = Float64Array.from(randomImage(w, h, rand), (v) => v * v), y = Float64Array.from(randomImage(w, h, rand), (v) => v * v);
  const r = imageLossSrgbTwin(x, y, w, h, 0.8, 0.2);
  checkGradient('∂loss/∂x (sRGB)', x, r.grad, () => imageLossSrgbTwin(x, y, w, h, 0.8, 0.2).loss, 1 / (w * h * 3));
  // The slope is the derivative of linearToSrgb, continuous at the knee; 0 outside 0…1.
  for (const v of [0.001, 0.0031, 0.01, 0.2, 0.9]) {
    const e = 1e-7;
    assert.ok(Math.abs(srgbSlopeTwin(v) - (linearToSrgb(v + e) - linearToSrgb(v - e)) / (2 * e)) < 1e-4 * srgbSlopeTwin(v), `slope at ${v}`);
  }
  assert.equal(srgbSlopeTwin(-0.1), 0);
  assert.equal(srgbSlopeTwin(1.1), 0);
});

test('composite twin: mask 1 keeps the image, mask 0 gives the background, mask ½ the average', () => {
  const image = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
  const out = compositeTwin(image, [1, 0, 0.5], [1, 0, 0.25], 3, 1);
  assert.deepEqual([...out.slice(0, 3)], [0.1, 0.2, 0.3]);
  assert.deepEqual([...out.slice(3, 6)], [1, 0, 0.25]);
  assert.ok(Math.abs(out[6] - 0.85) < 1e-15 && Math.abs(out[7] - 0.4) < 1e-15 && Math.abs(out[8] - 0.575) < 1e-15);
});

test('TV twin gradient matches finite differences (square, non-square, single row)', () => {
  for (const [c, h, w] of [[3, 5, 5], [2, 4, 7], [2, 1, 6]]) {
    const rand = lossRandom(c * h * w);
    const f = Float64Array.from({ length: c * h * w }, () => rand() * 2 - 1);
    const { grad } = tvTwin(f, c, h, w, 0.7);
    const nonZero = checkGradient(`∂TV/∂F ${c}×${h}×${w}`, f, grad, () => tvTwin(f, c, h, w, 0.7).loss, 1);
    assert.ok(nonZero > f.length / 2);
  }
  // A constant tensor has zero TV; a single texel tensor has no pairs at all.
  assert.equal(tvTwin(new Float64Array(12).fill(0.3), 3, 2, 2, 1).loss, 0);
  assert.equal(tvTwin([5], 1, 1, 1, 1).loss, 0);
});

test('L2 regulariser twin gradient matches finite differences (mean ‖δ‖², mean σ², hinge)', () => {
  const rand = lossRandom(5);
  const values = Float64Array.from({ length: 24 }, () => rand() * 2 - 1);
  for (const [components, bound] of [[3, 0], [1, 0], [1, 0.37]]) {
    const items = values.length / components;
    const { grad } = l2RegulariserTwin(values, items, components, bound, 1.3);
    checkGradient(`∂L2/∂v (D ${components}, bound ${bound})`, values, grad, () => l2RegulariserTwin(values, items, components, bound, 1.3).loss, 1);
  }
  // Mean squared norm of 2 offsets (3, 4, 0) and (0, 0, 1): (25 + 1)/2.
  assert.equal(l2RegulariserTwin([3, 4, 0, 0, 0, 1], 2, 3, 0, 1).loss, 13);
  // Hinge: only the part above the bound counts.
  assert.ok(Math.abs(l2RegulariserTwin([0.5, -2, 1.5], 3, 1, 1, 1).loss - (1 + 0.25) / 3) < 1e-15);
});

test('mirror regulariser twin gradient matches finite differences with the twins held fixed', () => {
  const rand = lossRandom(9);
  const values = Float64Array.from({ length: 30 }, () => rand() * 2 - 1);
  const target = Float64Array.from(values);
  for (const [components, signs] of [[3, [-1, 1, 1]], [1, [1]]] as const) {
    const items = values.length / components;
    // items 0…items/2 − 1 are seen (no twin); the others take the twin (i·7) mod (items/2), some twins shared
    const twins = Int32Array.from({ length: items }, (_, i) => (i < items / 2 ? -1 : (i * 7) % Math.floor(items / 2)));
    const { grad } = mirrorRegulariserTwin(values, twins, items, components, signs, 1.7, target);
    const nonZero = checkGradient(`∂mirror/∂v (D ${components})`, values, grad, () => mirrorRegulariserTwin(values, twins, items, components, signs, 1.7, target).loss, 1);
    assert.ok(nonZero > 0 && grad.slice(0, (items / 2) * components).every((g) => g === 0), 'only items with a twin get a gradient');
  }
  // (x, y, z) = (0.5, 2, 1) against its twin (−0.5, 2, 3) mirrored across x = 0, (0.5, 2, 3): only z differs by 2, over 2 items.
  assert.equal(mirrorRegulariserTwin([-0.5, 2, 3, 0.5, 2, 1], [-1, 0], 2, 3, [-1, 1, 1], 1).loss, 2);
});
