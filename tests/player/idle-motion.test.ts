// The player's default idle: a valid motion (shape, finite values), arms down at the sides,
// breathing (frames differ), seamlessly periodic (the frame after the last would be frame 0).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { idleMotion } from '../../src/player/idle-motion.js';
import { checkMotion } from '../../src/motion/validate-motion.js';
import { sampleMotion } from '../../src/motion/sample-motion.js';

test('idle motion is a valid 4 s motion at 30 fps with zero translation', () => {
  const m = idleMotion();
  checkMotion(m);
  assert.equal(m.fps, 30);
  assert.equal(m.frameCount / m.fps, 4);
  assert.ok(m.trans.every((v) => v === 0));
  assert.notEqual(idleMotion().poses, m.poses, 'each call returns its own arrays');
});

test('arms hang at the sides (shoulders turned ~1.25 rad about z, mirrored) in every frame', () => {
  const m = idleMotion();
  for (let f = 0; f < m.frameCount; f++) {
    const left = m.poses[f * 72 + 16 * 3 + 2];
    const right = m.poses[f * 72 + 17 * 3 + 2];
    assert.ok(left < -1.2 && left > -1.3, `left shoulder ${left}`);
    assert.ok(Math.abs(left + right) < 1e-6, 'mirrored');
  }
});

test('it breathes (frames differ) and loops seamlessly (the step across the loop is like any other step)', () => {
  const m = idleMotion();
  const F = m.frameCount;
  const step = (a: Float32Array, b: Float32Array) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));
  const frame = (f: number) => m.poses.subarray(f * 72, f * 72 + 72);
  assert.ok(step(frame(0), frame(F / 4)) > 0.01, 'the pose changes over the cycle');
  let largest = 0;
  for (let f = 1; f < F; f++) largest = Math.max(largest, step(frame(f - 1), frame(f)));
  const across = step(frame(F - 1), frame(0));
  assert.ok(across <= largest * 1.0001, `step across the loop ${across} vs largest step ${largest}`);
  // Sampled with loop at the cycle's end it is frame 0 again.
  const end = sampleMotion(m, F / m.fps, { loop: true }).pose;
  assert.ok(step(end, frame(0)) < 1e-6);
});
