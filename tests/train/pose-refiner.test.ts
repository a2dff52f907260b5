// PoseRefiner: per-frame Adam on pose and trans (one shared second moment each), and the prior towards the given pose.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PoseRefiner } from '../../src/train/pose-refinement.js';

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
