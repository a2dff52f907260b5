// PoseRefiner: per-frame Adam on pose and trans (PyTorch's Adam), and the prior towards the given pose.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PoseRefiner } from '../../src/train/pose-refinement.js';

function refiner(prior = 0): PoseRefiner {
  return new PoseRefiner({ poses: [new Float32Array(6), new Float32Array(6).fill(1)], trans: [new Float32Array(3), new Float32Array(3)], poseLearningRate: 0.1, transLearningRate: 0.01, prior });
}

test('one Adam step moves each parameter by its learning rate against the gradient sign; frames are independent', () => {
  const r = refiner();
  r.step(0, { pose: new Float32Array([2, -3, 0, 0, 0, 1e-3]), trans: new Float32Array([5, 0, -1]) });
  // Step 1 of Adam: m̂ = g, v̂ = g², update = g / (|g| + ε) ≈ sign(g).
  const expected = [-0.1, 0.1, 0, 0, 0, -0.1];
  r.poses[0]!.forEach((v, k) => assert.ok(Math.abs(v - expected[k]!) < 1e-5, `pose[${k}] = ${v}`));
  assert.deepEqual(Array.from(r.trans[0]!, (v) => Math.round(v * 1e6) / 1e6), [-0.01, 0, 0.01]);
  assert.deepEqual(Array.from(r.poses[1]!), new Array(6).fill(1), 'frame 1 untouched');
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
