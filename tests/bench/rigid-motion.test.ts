// The fit benchmark's rigid-motion helpers: a body moved by moveBody has its joints at R·x + t of
// the original's (onto a body of another shape: its pelvis there, every bone turned by R), and
// splitView takes a 4×4 view apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mat3, quat, vec3 } from 'gl-matrix';
import { createBodyModel } from '../../src/body/body-model.js';
import { defaultBodyData } from '../../src/body/default-body.js';
import { makeRng } from '../render/splat-fixtures.js';
import { moveBody, splitView } from './rigid-motion.js';

const rng = makeRng(11);
const rotation = (axis: [number, number, number], angle: number) => mat3.fromQuat(mat3.create(), quat.setAxisAngle(quat.create(), vec3.normalize(vec3.create(), axis), angle));
const apply = (R: mat3, t: ArrayLike<number>, points: ArrayLike<number>) => Float64Array.from({ length: points.length }, (_, e) => {
  const j = Math.floor(e / 3), r = e % 3;
  return R[r]! * points[3 * j]! + R[3 + r]! * points[3 * j + 1]! + R[6 + r]! * points[3 * j + 2]! + t[r]!;
});
const maxDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Math.max(...Array.from(a, (v, e) => Math.abs(v - b[e]!)));

test('moveBody: the moved pose puts every joint at R·x + t (same shape), and the pelvis there on another shape', async () => {
  const body = await createBodyModel(defaultBodyData());
  try {
    const pose = Float32Array.from({ length: 72 }, () => 0.4 * (rng() - 0.5));
    pose.set([2.5, 0.4, -0.3], 0); // a large root rotation
    const trans = Float32Array.from([0.2, -0.1, 0.5]);
    const R = rotation([0.3, -1, 0.5], 2.3), t = [1, -2, 0.5];
    const joints = body.forward({ pose, trans }).joints;
    const rest = body.forward({ pose: new Float32Array(72) }).joints.slice(0, 3);
    const moved = moveBody(pose, trans, R, t, rest, rest);
    assert.ok(maxDiff(body.forward(moved).joints, apply(R, t, joints)) < 1e-5, 'joints moved rigidly');
    assert.deepEqual(Array.from(moved.pose.subarray(3)), Array.from(pose.subarray(3)), 'body joints untouched');
    // Onto a body with other betas: its pelvis lands on the moved pelvis, bones point the same way.
    const betas = Float32Array.from({ length: body.numBetas }, (_, k) => (k < 2 ? 1.5 : 0));
    const otherRest = body.forward({ pose: new Float32Array(72), betas }).joints.slice(0, 3);
    assert.ok(maxDiff(otherRest, rest) > 1e-3, 'the shapes differ at the pelvis');
    const onOther = body.forward({ ...moveBody(pose, trans, R, t, rest, otherRest), betas });
    assert.ok(maxDiff(onOther.joints.subarray(0, 3), apply(R, t, joints).subarray(0, 3)) < 1e-5, 'pelvis placed');
    // Every bone's global rotation (the skinning matrices' 3×3 part) is the original's turned by R.
    const original = body.forward({ pose, trans }).transforms;
    for (let j = 0; j < 24; j++) {
      const rotationOf = (m: Float32Array) => mat3.fromMat4(mat3.create(), m.subarray(16 * j, 16 * j + 16) as unknown as Parameters<typeof mat3.fromMat4>[1]);
      const turned = mat3.multiply(mat3.create(), R, rotationOf(original));
      assert.ok(maxDiff(rotationOf(onOther.transforms), turned) < 1e-5, `bone ${j} turned by R`);
    }
  } finally {
    body.dispose();
  }
});

test('splitView: the rotation and translation of a column-major 4×4', () => {
  const R = rotation([1, 2, 3], 0.7);
  const view = new Float32Array(16);
  for (let c = 0; c < 3; c++) for (let r = 0; r < 3; r++) view[4 * c + r] = R[3 * c + r]!;
  view.set([0.1, 0.2, 3, 1], 12);
  const split = splitView(view);
  assert.ok(maxDiff(split.R, R) < 1e-7);
  assert.deepEqual(Array.from(split.t), Array.from(Float32Array.from([0.1, 0.2, 3])));
});
