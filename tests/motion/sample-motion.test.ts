import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AvatarInputError } from '../../src/errors.js';
import { motionDuration, sampleMotion, type Motion } from '../../src/motion/index.js';
import { angleBetween, maxAbsDiff, prng, randomAxisAngle, rodrigues, slerpMat } from './rotation-twin.js';

function randomMotion(seed: number, frames: number, fps = 30): Motion {
  const rand = prng(seed);
  const poses = new Float32Array(frames * 72);
  for (let i = 0; i < frames * 24; i++) poses.set(randomAxisAngle(rand, 2.5), i * 3);
  const trans = Float32Array.from({ length: frames * 3 }, () => rand() * 2 - 1);
  return { fps, frameCount: frames, poses, trans, source: 'json' };
}

/** Largest rotation angle between the sampled pose and the twin's expectation, over the 24 joints. */
function poseError(pose: Float32Array, expected: (j: number) => number[]): number {
  let worst = 0;
  for (let j = 0; j < 24; j++) worst = Math.max(worst, angleBetween(rodrigues(pose, j * 3), expected(j)));
  return worst;
}

describe('sampleMotion', () => {
  const motion = randomMotion(1, 6, 25);

  it('returns each frame exactly at its time', () => {
    // fps 30 and 29.97: f / fps · fps is not always exactly f in floating point.
    for (const other of [randomMotion(3, 40, 30), randomMotion(4, 40, 29.97)]) {
      for (let f = 0; f < other.frameCount; f++) {
        assert.deepEqual(sampleMotion(other, f / other.fps).pose, other.poses.slice(f * 72, f * 72 + 72), `fps ${other.fps} frame ${f}`);
      }
    }
    for (let f = 0; f < motion.frameCount; f++) {
      const s = sampleMotion(motion, f / motion.fps);
      assert.deepEqual(s.pose, motion.poses.slice(f * 72, f * 72 + 72), `frame ${f}`);
      assert.deepEqual(s.trans, motion.trans.slice(f * 3, f * 3 + 3), `frame ${f}`);
    }
  });

  it('slerps each joint and lerps the translation between neighbouring frames', () => {
    for (const [f, t] of [[0, 0.5], [2, 0.25], [4, 0.9]] as const) {
      const s = sampleMotion(motion, (f + t) / motion.fps);
      const err = poseError(s.pose, (j) =>
        slerpMat(rodrigues(motion.poses, f * 72 + j * 3), rodrigues(motion.poses, (f + 1) * 72 + j * 3), t),
      );
      assert.ok(err < 2e-6, `frame ${f}+${t}: rotation error ${err} rad`);
      const lerp = [0, 1, 2].map((c) => motion.trans[f * 3 + c] * (1 - t) + motion.trans[(f + 1) * 3 + c] * t);
      assert.ok(maxAbsDiff(s.trans, lerp) < 1e-6);
    }
  });

  it('takes the shortest path between rotations', () => {
    // 3.0 rad about x, then 3.0 rad about −x: the short way round passes through π about x, not 0.
    const poses = new Float32Array(144);
    poses[0] = 3.0;
    poses[72] = -3.0;
    const m: Motion = { fps: 10, frameCount: 2, poses, trans: new Float32Array(6), source: 'json' };
    const mid = sampleMotion(m, 0.05);
    assert.ok(angleBetween(rodrigues(mid.pose), rodrigues([Math.PI, 0, 0])) < 1e-5, `got ${Array.from(mid.pose.slice(0, 3))}`);
  });

  it('clamps outside [0, duration], or wraps with loop', () => {
    const last = motion.frameCount - 1;
    assert.equal(motionDuration(motion), last / motion.fps);
    assert.deepEqual(sampleMotion(motion, -3).pose, motion.poses.slice(0, 72));
    assert.deepEqual(sampleMotion(motion, 1e9).pose, motion.poses.slice(last * 72));
    assert.deepEqual(sampleMotion(motion, motionDuration(motion) + 0.01).trans, motion.trans.slice(last * 3));
    // Loop: period frameCount / fps; the last frame blends into the first.
    const period = motion.frameCount / motion.fps;
    assert.deepEqual(sampleMotion(motion, period * 3 + 2 / motion.fps, { loop: true }).pose, motion.poses.slice(144, 216));
    assert.deepEqual(sampleMotion(motion, -period + 1 / motion.fps, { loop: true }).pose, motion.poses.slice(72, 144));
    const wrap = sampleMotion(motion, (last + 0.5) / motion.fps, { loop: true });
    const err = poseError(wrap.pose, (j) => slerpMat(rodrigues(motion.poses, last * 72 + j * 3), rodrigues(motion.poses, j * 3), 0.5));
    assert.ok(err < 2e-6, `wrap error ${err}`);
  });

  it('handles a one-frame motion', () => {
    const one = randomMotion(2, 1);
    assert.equal(motionDuration(one), 0);
    assert.deepEqual(sampleMotion(one, 0.7).pose, one.poses);
    assert.deepEqual(sampleMotion(one, 0.7, { loop: true }).pose, one.poses);
  });

  it('rejects bad arguments with AvatarInputError naming the field', () => {
    const bad = (fn: () => unknown, field: RegExp): void =>
      assert.throws(fn, (e: Error) => e instanceof AvatarInputError && field.test(e.message), String(field));
    bad(() => sampleMotion(motion, NaN), /timeSeconds/);
    bad(() => sampleMotion(motion, '1' as never), /timeSeconds/);
    bad(() => sampleMotion(null as never, 0), /motion/);
    bad(() => sampleMotion({ ...motion, poses: new Float32Array(69) }, 0), /motion\.poses/);
    bad(() => sampleMotion({ ...motion, trans: [0, 0, 0] as never }, 0), /motion\.trans/);
    bad(() => sampleMotion({ ...motion, fps: 0 }, 0), /motion\.fps/);
    bad(() => sampleMotion({ ...motion, frameCount: 0 }, 0), /motion\.frameCount/);
  });
});
