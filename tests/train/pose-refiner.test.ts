// PoseRefiner: per-frame Adam on pose and trans (one shared second moment each), and the prior towards the given pose.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { poseLearningRates, PoseRefiner, secondDifferences } from '../../src/train/pose-refinement.js';

function refiner(prior = 0): PoseRefiner {
  return new PoseRefiner({ poses: [new Float32Array(6), new Float32Array(6).fill(1)], trans: [new Float32Array(3), new Float32Array(3)], poseLearningRate: 0.1, transLearningRate: 0.01, prior });
}

test('one step moves each number against its gradient, scaled by the RMS of its frame\'s pose (or translation) gradient; frames are independent', () => {
  const r = refiner();
  const gPose = [2, -3, 0, 0, 0, 1e-3], gTrans = [5, 0, -1];
  r.step(0, { pose: new Float32Array(gPose), trans: new Float32Array(gTrans) });
  // Step 1: m̂ = g and the shared v̂ = mean(g²), so the update is g / RMS(g).
  const rms = (g: number[]) => Math.sqrt(g.reduce((s, v) => s + v * v, 0) / g.length);
  gPose.forEach((g, k) => assert.ok(Math.abs(r.poses[0]![k]! - -0.1 * g / rms(gPose)) < 1e-6, `pose[${k}] = ${r.poses[0]![k]}`));
  gTrans.forEach((g, k) => assert.ok(Math.abs(r.trans[0]![k]! - -0.01 * g / rms(gTrans)) < 1e-7, `trans[${k}] = ${r.trans[0]![k]}`));
  assert.ok(Math.abs(r.poses[0]![5]!) < 1e-4, 'a joint with a tiny gradient barely moves (per-number Adam would move it by the full learning rate)');
  assert.deepEqual(Array.from(r.poses[1]!), new Array(6).fill(1), 'frame 1 untouched');
});

test('later steps follow Adam\'s bias-corrected moments with the shared second moment', () => {
  const r = refiner();
  const steps = [[1, 0, 0, 0, 0, 0], [0, 2, 0, 0, 0, 0]];
  for (const g of steps) r.step(0, { pose: new Float32Array(g), trans: new Float32Array(3) });
  // Plain f64 Adam with one v per frame, written out.
  const x = new Float64Array(6), m = new Float64Array(6);
  let v = 0;
  steps.forEach((g, t) => {
    const bc1 = 1 - 0.9 ** (t + 1), bc2 = 1 - 0.999 ** (t + 1);
    g.forEach((gk, k) => (m[k] = 0.9 * m[k]! + 0.1 * gk));
    v = 0.999 * v + 0.001 * g.reduce((s, gk) => s + gk * gk, 0) / 6;
    for (let k = 0; k < 6; k++) x[k]! -= (0.1 * (m[k]! / bc1)) / (Math.sqrt(v / bc2) + 1e-8);
  });
  x.forEach((xk, k) => assert.ok(Math.abs(r.poses[0]![k]! - xk) < 1e-6, `pose[${k}] = ${r.poses[0]![k]}, expected ${xk}`));
});

test('a non-finite gradient skips the step', () => {
  const r = refiner();
  r.step(0, { pose: new Float32Array([NaN, 0, 0, 0, 0, 0]), trans: new Float32Array(3) });
  assert.deepEqual(Array.from(r.poses[0]!), new Array(6).fill(0));
});

test('the prior pulls a pose that drifted back towards the given one when the image says nothing', () => {
  const r = refiner(0.5);
  r.step(0, { pose: new Float32Array([1, 0, 0, 0, 0, 0]), trans: new Float32Array(3) });
  const drifted = r.poses[0]![0]!;
  assert.ok(drifted < -0.09);
  for (let k = 0; k < 60; k++) r.step(0, { pose: new Float32Array(6), trans: new Float32Array(3) });
  assert.ok(Math.abs(r.poses[0]![0]!) < 0.5 * Math.abs(drifted), `after 60 prior-only steps: ${r.poses[0]![0]} (drifted to ${drifted})`);
});

test('secondDifferences: the second derivative of frames in time order, exact for a quadratic, even and uneven gaps', () => {
  const times = [0.2, 0, 0.1, 0.4, 0.4, 0.5]; // unsorted; 0.3 missing; two frames at 0.4
  const terms = secondDifferences(times);
  // In time order 1 (0), 2 (0.1), 0 (0.2), 3 or 4 (0.4), …: the triples with a zero gap are left out.
  assert.deepEqual(terms.map((t) => t.frames), [[1, 2, 0], [2, 0, 3]]);
  const quadratic = (t: number) => 3 * t * t - t + 0.5;
  for (const term of terms) {
    const a = term.frames.reduce((s, f, i) => s + term.coefficients[i]! * quadratic(times[f]!), 0);
    assert.ok(Math.abs(a - 6) < 1e-9, `a = ${a} for frames ${term.frames}, expected 6`);
    const linear = term.frames.reduce((s, f, i) => s + term.coefficients[i]! * (2 * times[f]! - 1), 0);
    assert.ok(Math.abs(linear) < 1e-9, 'a straight line has no second derivative');
  }
  assert.ok(Math.abs(terms[0]!.weight - 0.1) < 1e-12 && Math.abs(terms[1]!.weight - 0.15) < 1e-12, 'each term stands for the span of its two gaps');
  assert.deepEqual(secondDifferences([0, 1]), []);
});

test('temporal prior: its gradient is that of its energy (finite differences), zero on the root and on a constant-velocity motion', () => {
  const F = 5, J = 3, rng = (k: number) => Math.sin(12.9898 * k) * 0.3;
  const times = [0, 0.04, 0.07, 0.1, 0.16];
  const make = (poses: Float32Array[], trans: Float32Array[]) =>
    new PoseRefiner({ poses, trans, poseLearningRate: 0.1, transLearningRate: 0.01, times, smoothness: 1e-3 });
  const poses = Array.from({ length: F }, (_, f) => Float32Array.from({ length: 3 * J }, (_, k) => rng(f * 20 + k)));
  const trans = Array.from({ length: F }, (_, f) => Float32Array.from({ length: 3 }, (_, k) => rng(f * 20 + 15 + k)));
  const r = make(poses, trans);
  for (let f = 0; f < F; f++) {
    const g = r.temporalGradient(f);
    assert.deepEqual(Array.from(g.subarray(0, 3)), [0, 0, 0], 'the root is left out');
    for (let k = 3; k < 3 * J + 3; k++) {
      const h = 1e-3;
      const at = (d: number) => {
        const p = poses.map((x) => Float32Array.from(x)), t = trans.map((x) => Float32Array.from(x));
        if (k < 3 * J) p[f]![k] += d;
        else t[f]![k - 3 * J] += d;
        return make(p, t).temporalEnergy();
      };
      const numeric = (at(h) - at(-h)) / (2 * h);
      assert.ok(Math.abs(g[k]! - numeric) <= 1e-3 * Math.abs(numeric) + 1e-6, `frame ${f} number ${k}: ${g[k]} vs finite differences ${numeric}`);
    }
  }
  // θ(t) = θ₀ + v·t has no acceleration: no energy, no pull (but for float32 rounding, against
  // gradients of order 1…10 for the random poses above).
  const largest = Math.max(...Array.from({ length: F }, (_, f) => Math.max(...r.temporalGradient(f).map(Math.abs))));
  assert.ok(largest > 1, `random poses are pulled (largest gradient ${largest})`);
  const moving = make(times.map((t) => Float32Array.from({ length: 3 * J }, (_, k) => 0.1 * k + 2 * t)), times.map((t) => Float32Array.from([t, 0, -t])));
  assert.ok(moving.temporalEnergy() < 1e-9);
  for (let f = 0; f < F; f++) assert.ok(moving.temporalGradient(f).every((v) => Math.abs(v) < 1e-4 * largest));
});

test('with the temporal prior alone, a jittered joint is pulled onto the smooth motion and the root is left alone', () => {
  const F = 30, times = Array.from({ length: F }, (_, f) => f / 30);
  const truth = (t: number) => 0.4 * Math.sin(2 * Math.PI * t);
  const jitter = (f: number) => (f % 2 === 0 ? 0.05 : -0.05);
  const poses = times.map((t, f) => Float32Array.from([0.3 + jitter(f), 0, 0, truth(t) + jitter(f), 0, 0]));
  const r = new PoseRefiner({ poses, trans: times.map(() => new Float32Array(3)), poseLearningRate: 0.01, transLearningRate: 0.001, times, smoothness: 4e-5 });
  for (let visit = 0; visit < 60; visit++) for (let f = 0; f < F; f++) r.step(f, { pose: new Float32Array(6), trans: new Float32Array(3) });
  const error = (f: number) => Math.abs(r.poses[f]![3]! - truth(times[f]!));
  const inner = times.slice(2, -2).map((_, k) => error(k + 2));
  const mean = inner.reduce((a, b) => a + b, 0) / inner.length;
  assert.ok(mean < 0.2 * 0.05, `mean error of the joint ${mean.toFixed(4)} rad (jitter 0.05)`);
  for (let f = 0; f < F; f++) assert.equal(r.poses[f]![0], poses[f]![0], 'the root is not smoothed');
});

test('poseLearningRates: the given rates, or the reach (default 0.5 rad) spread over the steps a frame gets, within reach/250…reach/25; translation at 1/20', () => {
  assert.deepEqual(poseLearningRates({ pose: 3e-3, trans: 1e-4 }, 10), { pose: 3e-3, trans: 1e-4 });
  assert.deepEqual(poseLearningRates({}, 50), { pose: 1e-2, trans: 5e-4 });
  assert.deepEqual(poseLearningRates({ trans: 1e-3 }, 50), { pose: 1e-2, trans: 1e-3 });
  assert.equal(poseLearningRates({}, 10).pose, 2e-2, 'few steps per frame: capped');
  assert.equal(poseLearningRates({}, 0).pose, 2e-2, 'no steps');
  assert.equal(poseLearningRates({}, 1000).pose, 2e-3, 'many steps per frame: floored');
  // A smaller reach (fitFromVideo's 0.1 rad) scales the rate and both bounds.
  assert.deepEqual(poseLearningRates({}, 50, 0.1), { pose: 2e-3, trans: 1e-4 });
  assert.equal(poseLearningRates({}, 1, 0.1).pose, 4e-3, 'capped at reach / 25');
  assert.equal(poseLearningRates({}, 1000, 0.1).pose, 4e-4, 'floored at reach / 250');
  assert.equal(poseLearningRates({ pose: 3e-3 }, 50, 0.1).pose, 3e-3, 'a given rate wins');
});
