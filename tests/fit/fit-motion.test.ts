// Video → motion (src/fit/fit-motion.ts): a fit's per-frame poses in the camera frame become a
// y-up Motion standing on the floor, resampled evenly from the frames' timestamps, that saves and
// parses back and drives the default body upright.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { createDefaultBody, type BodyModel } from '../../src/body/index.js';
import { AvatarInputError } from '../../src/errors.js';
import { FALLBACK_FPS, motionFromFit } from '../../src/fit/fit-motion.js';
import { parseMotion, sampleMotion, saveMotion, SMPL_JOINT_NAMES } from '../../src/motion/index.js';

const J = (name: string): number => (SMPL_JOINT_NAMES as readonly string[]).indexOf(name);

/** A fit-like pose in the camera frame: facing the camera (root π about x), knees and an arm bent by `a`. */
function cameraPose(a: number): Float32Array {
  const pose = new Float32Array(72);
  pose[0] = Math.PI;
  pose[J('left_knee') * 3] = a;
  pose[J('right_knee') * 3] = 0.5 * a;
  pose[J('left_shoulder') * 3 + 2] = -a;
  return pose;
}

describe('motionFromFit', () => {
  let body: BodyModel;
  before(async () => {
    body = await createDefaultBody();
  });

  it('is the camera-frame body turned y up (x, −y, −z), on the floor, the pelvis centred', () => {
    const poses = [0.2, 0.6, 1.0].map(cameraPose);
    const trans = [[0.1, 0.3, 3], [0.15, 0.3, 3.1], [0.2, 0.32, 3.2]].map((t) => Float32Array.from(t));
    const motion = motionFromFit(body, undefined, poses, trans, [0.5, 1, 1.5]);
    assert.equal(motion.frameCount, 3);
    assert.equal(motion.fps, 2);
    // Every frame's body equals the camera-frame body turned by (x, −y, −z), moved by one constant shift.
    let shift: number[] | undefined;
    let lowest = Infinity;
    for (let f = 0; f < 3; f++) {
      const cam = body.forward({ pose: poses[f], trans: trans[f] }).vertices;
      const out = body.forward({ pose: motion.poses.subarray(f * 72, f * 72 + 72), trans: motion.trans.subarray(f * 3, f * 3 + 3) }).vertices;
      const d = [out[0] - cam[0], out[1] + cam[1], out[2] + cam[2]];
      shift ??= d;
      for (let v = 0; v < out.length; v += 3) {
        const e = Math.hypot(out[v] - cam[v] - shift[0], out[v + 1] + cam[v + 1] - shift[1], out[v + 2] + cam[v + 2] - shift[2]);
        assert.ok(e < 1e-4, `frame ${f} vertex ${v / 3}: off by ${e} m`);
        lowest = Math.min(lowest, out[v + 1]);
      }
      const joints = body.forward({ pose: motion.poses.subarray(f * 72, f * 72 + 72), trans: motion.trans.subarray(f * 3, f * 3 + 3) }).joints;
      assert.ok(joints[J('head') * 3 + 1] - joints[J('pelvis') * 3 + 1] > 0.4, `frame ${f}: head above the pelvis`);
      assert.ok(joints[J('left_hip') * 3] > joints[J('right_hip') * 3], `frame ${f}: left at +x, facing +z`);
    }
    assert.ok(Math.abs(lowest) < 1e-5, `lowest point at y = ${lowest}`);
    const meanX = [0, 1, 2].reduce((s, f) => s + body.forward({ pose: motion.poses.subarray(f * 72, f * 72 + 72), trans: motion.trans.subarray(f * 3, f * 3 + 3) }).joints[0], 0) / 3;
    assert.ok(Math.abs(meanX) < 1e-5, `mean pelvis x ${meanX}`);
  });

  it('uneven timestamps are resampled evenly (same frame count and span); none give FALLBACK_FPS', () => {
    const poses = [0, 0.3, 0.9, 1.2].map(cameraPose);
    const trans = [0, 1, 2, 3].map((k) => Float32Array.from([0.4 * k, 0, 3]));
    const times = [2, 2.1, 2.3, 2.4]; // one frame dropped between 2.1 and 2.3
    const motion = motionFromFit(body, undefined, poses, trans, times);
    assert.equal(motion.frameCount, 4);
    assert.ok(Math.abs(motion.fps - 7.5) < 1e-9, `${motion.fps}`);
    // Frame 2 is at 2.2667 s: 5/6 of the way from the frame at 2.1 to the one at 2.3.
    const x = (k: number) => motion.trans[k * 3];
    // Even times 2, 2.133, 2.267, 2.4 s; x is 0.4 m per input frame, the frames at 2.1 and 2.3 s are 0.4 m apart.
    const expected = [0, 0.4 + 0.4 / 6, 0.4 + (0.4 * 5) / 6, 1.2];
    for (let k = 1; k < 4; k++) {
      assert.ok(Math.abs(x(k) - x(0) - (expected[k] - expected[0])) < 1e-4, `frame ${k}: Δx ${x(k) - x(0)} vs ${expected[k] - expected[0]}`);
    }
    const knee = (k: number) => motion.poses[k * 72 + J('left_knee') * 3];
    assert.ok(Math.abs(knee(2) - (0.3 + (0.9 - 0.3) * (5 / 6))) < 1e-5, `knee ${knee(2)}`);
    const untimed = motionFromFit(body, undefined, poses, trans, [undefined, undefined, undefined, undefined]);
    assert.equal(untimed.fps, FALLBACK_FPS);
    assert.ok(Math.abs(untimed.poses[2 * 72 + J('left_knee') * 3] - 0.9) < 1e-5);
  });

  it('saves and parses back, and plays: sampled poses drive the body upright', () => {
    const poses = [0.1, 0.5, 0.9, 0.5].map(cameraPose);
    const trans = [0, 1, 2, 3].map((k) => Float32Array.from([0.05 * k, 0.3, 3]));
    const motion = motionFromFit(body, undefined, poses, trans, [0, 0.1, 0.2, 0.3]);
    const again = parseMotion(saveMotion(motion));
    assert.equal(again.frameCount, motion.frameCount);
    assert.ok(Math.abs(again.fps - motion.fps) < 1e-9);
    for (let i = 0; i < motion.poses.length; i++) assert.ok(Math.abs(again.poses[i] - motion.poses[i]) < 1e-6);
    for (let i = 0; i < motion.trans.length; i++) assert.ok(Math.abs(again.trans[i] - motion.trans[i]) < 1e-6);
    const { pose, trans: t } = sampleMotion(again, 0.15, { loop: true });
    const joints = body.forward({ pose, trans: t }).joints;
    assert.ok(joints[J('head') * 3 + 1] > 1.2 && joints[J('head') * 3 + 1] < 1.8, `head at y = ${joints[J('head') * 3 + 1]}`);
  });

  it('refuses mismatched inputs with a typed error', () => {
    const p = [cameraPose(0)];
    const t = [new Float32Array(3)];
    assert.throws(() => motionFromFit(body, undefined, [], [], []), AvatarInputError);
    assert.throws(() => motionFromFit(body, undefined, p, [], [0]), /fit: expected as many poses/);
    assert.throws(() => motionFromFit(body, undefined, [new Float32Array(69)], t, [0]), /fit\.poses\[0\]: expected 72 numbers/);
    assert.throws(() => motionFromFit(body, undefined, p, [new Float32Array(2)], [0]), /fit\.trans\[0\]: expected 3 numbers/);
  });
});
