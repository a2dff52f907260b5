// The stage-2 pose code: 6D rotations (first two columns of R − I) of joints 1…J−1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mat3, quat } from 'gl-matrix';
import { AvatarInputError } from '../../src/errors.js';
import { poseCode, poseCodeLength } from '../../src/train/pose-code.js';
import { makeRng } from '../render/splat-fixtures.js';

test('the rest pose codes to zeros; the root is left out', () => {
  const pose = new Float32Array(72);
  pose.set([0.4, -1, 2], 0); // root rotation only
  assert.equal(poseCodeLength(24), 138);
  const code = poseCode(pose, 24);
  assert.equal(code.length, 138);
  assert.ok(code.every((v) => v === 0), 'all zero');
});

test('matches rotation matrices from gl-matrix quaternions (R − I, columns 0 and 1)', () => {
  const rng = makeRng(9);
  const pose = Float32Array.from({ length: 72 }, () => 3 * (rng() - 0.5));
  pose.set([1e-9, 0, 0], 3 * 5); // tiny angle: the small-angle branch
  const code = poseCode(pose, 24);
  for (let j = 1; j < 24; j++) {
    const axis = [pose[3 * j]!, pose[3 * j + 1]!, pose[3 * j + 2]!];
    const angle = Math.hypot(...axis);
    const q = quat.setAxisAngle(quat.create(), angle > 0 ? axis.map((a) => a / angle) as [number, number, number] : [1, 0, 0], angle);
    const R = mat3.fromQuat(mat3.create(), q); // column-major: R[3c + r]
    for (let c = 0; c < 2; c++) {
      for (let r = 0; r < 3; r++) {
        const want = R[3 * c + r]! - (r === c ? 1 : 0);
        assert.ok(Math.abs(code[6 * (j - 1) + 3 * c + r]! - want) < 1e-6, `joint ${j} R[${r}][${c}]: ${code[6 * (j - 1) + 3 * c + r]} vs ${want}`);
      }
    }
  }
});

test('a pose of the wrong length is a typed error', () => {
  assert.throws(() => poseCode(new Float32Array(69), 24), (e: unknown) => e instanceof AvatarInputError && /pose: expected 72 numbers/.test((e as Error).message));
});
