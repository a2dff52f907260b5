import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadPoseMath } from '../../src/body/pose-math.js';
import { AvatarInputError } from '../../src/errors.js';
import { SMPL_PARENTS, randomPose, randomVector } from '../helpers/random-body.js';
import {
  twinForwardKinematics, twinMatrixToAxisAngle, twinQuatToMatrix, twinRodrigues, twinRot6dToMatrix, twinSlerp,
  type Mat3,
} from './twin.js';
import { maxAbsDiff } from './compare.js';

const TOL = 2e-6; // f32 outputs of f64 computations

/** Row-major 3×3 (twin) → column-major (API). */
const colMajor = (R: Mat3) => [R[0]!, R[3]!, R[6]!, R[1]!, R[4]!, R[7]!, R[2]!, R[5]!, R[8]!];
const item = (a: ArrayLike<number>, i: number, size: number) => Array.from(a).slice(i * size, (i + 1) * size);

/** Axis-angles: random (angles up to π) plus zero, tiny and exactly-π rotations. */
function testAxisAngles(): Float64Array {
  const random = randomPose(40, 7);
  return Float64Array.from([...random, 0, 0, 0, 1e-7, -2e-7, 5e-8, 0, Math.PI, 0, Math.PI / Math.SQRT2, 0, -Math.PI / Math.SQRT2]);
}

describe('pose math (WASM) vs the twin', async () => {
  const pm = await loadPoseMath();
  const aa = testAxisAngles();
  const n = aa.length / 3;

  it('axisAngleToMatrix is Rodrigues, column-major', () => {
    const R = pm.axisAngleToMatrix(aa);
    assert.equal(R.length, n * 9);
    for (let i = 0; i < n; i++) {
      const want = colMajor(twinRodrigues(aa[i * 3]!, aa[i * 3 + 1]!, aa[i * 3 + 2]!));
      assert.ok(maxAbsDiff(item(R, i, 9), want) < TOL, `item ${i}`);
    }
    // 90° about +y takes +x to −z: first column of R
    assert.ok(maxAbsDiff(pm.axisAngleToMatrix([0, Math.PI / 2, 0]).subarray(0, 3), [0, 0, -1]) < TOL);
  });

  it('matrixToAxisAngle inverts it (same rotation at π, same vector below π)', () => {
    const R = pm.axisAngleToMatrix(aa);
    const back = pm.matrixToAxisAngle(R);
    for (let i = 0; i < n; i++) {
      const r = item(aa, i, 3);
      const twin = twinMatrixToAxisAngle(twinRodrigues(r[0]!, r[1]!, r[2]!));
      if (Math.hypot(...r) < Math.PI - 1e-3) {
        assert.ok(maxAbsDiff(item(back, i, 3), r) < 1e-5, `item ${i}`);
        assert.ok(maxAbsDiff(item(back, i, 3), twin) < 1e-5, `item ${i} vs twin`);
      }
      const again = pm.axisAngleToMatrix(item(back, i, 3));
      assert.ok(maxAbsDiff(again, item(R, i, 9)) < 1e-5, `item ${i} rotation`);
    }
  });

  it('quaternions: axis-angle ↔ quat ↔ matrix agree', () => {
    const q = pm.axisAngleToQuat(aa);
    const Rq = pm.quatToMatrix(q);
    assert.ok(maxAbsDiff(Rq, pm.axisAngleToMatrix(aa)) < TOL);
    const q2 = pm.matrixToQuat(Rq);
    for (let i = 0; i < n; i++) {
      const a = item(q, i, 4), b = item(q2, i, 4);
      const sign = a[3]! * b[3]! + a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]! < 0 ? -1 : 1;
      assert.ok(maxAbsDiff(a.map((x) => x * sign), b) < 1e-5, `item ${i}`);
      assert.ok(b[3]! >= 0);
    }
    const back = pm.quatToAxisAngle(q);
    for (let i = 0; i < n; i++) {
      if (Math.hypot(...item(aa, i, 3)) < Math.PI - 1e-3) assert.ok(maxAbsDiff(item(back, i, 3), item(aa, i, 3)) < 1e-5);
    }
  });

  it('quatToMatrix normalises its input like the twin', () => {
    const q = randomVector(4 * 20, 8, 3);
    const R = pm.quatToMatrix(q);
    for (let i = 0; i < 20; i++) {
      const [x, y, z, w] = item(q, i, 4) as [number, number, number, number];
      assert.ok(maxAbsDiff(item(R, i, 9), colMajor(twinQuatToMatrix(x, y, z, w))) < TOL);
    }
  });

  it('6D: first two columns, and Gram–Schmidt back', () => {
    const R = pm.axisAngleToMatrix(aa);
    const d = pm.matrixToRotation6d(R);
    for (let i = 0; i < n; i++) assert.deepEqual(item(d, i, 6), item(R, i, 9).slice(0, 6));
    assert.ok(maxAbsDiff(pm.rotation6dToMatrix(d), R) < 1e-5);
    const raw = randomVector(6 * 20, 9, 2); // not orthonormal
    const M = pm.rotation6dToMatrix(raw);
    for (let i = 0; i < 20; i++) assert.ok(maxAbsDiff(item(M, i, 9), colMajor(twinRot6dToMatrix(item(raw, i, 6)))) < 1e-5);
  });

  it('slerp: endpoints, midpoint and random t match the twin', () => {
    const a = pm.axisAngleToQuat(randomPose(10, 11));
    const b = pm.axisAngleToQuat(randomPose(10, 12));
    const sameRotation = (p: ArrayLike<number>, q: ArrayLike<number>) =>
      maxAbsDiff(pm.quatToMatrix(p), pm.quatToMatrix(q)) < 1e-5;
    assert.ok(maxAbsDiff(pm.slerpQuat(a, b, 0), a) < TOL);
    assert.ok(sameRotation(pm.slerpQuat(a, b, 1), b));
    for (const t of [0.5, 0.13, 0.77]) {
      const s = pm.slerpQuat(a, b, t);
      for (let i = 0; i < 10; i++) {
        const want = twinSlerp(item(a, i, 4), item(b, i, 4), t);
        assert.ok(sameRotation(item(s, i, 4), want), `t=${t} item ${i}`);
      }
    }
    // midpoint of identity and 90° about z is 45° about z
    const mid = pm.slerpQuat([0, 0, 0, 1], [0, 0, Math.SQRT1_2, Math.SQRT1_2], 0.5);
    assert.ok(maxAbsDiff(mid, [0, 0, Math.sin(Math.PI / 8), Math.cos(Math.PI / 8)]) < TOL);
  });

  it('forwardKinematics matches the twin (column-major 4×4)', () => {
    const pose = randomPose(24, 13);
    const rotations = Array.from({ length: 24 }, (_, j) => twinRodrigues(pose[j * 3]!, pose[j * 3 + 1]!, pose[j * 3 + 2]!));
    const rest = randomVector(24 * 3, 14, 0.5);
    const G = pm.forwardKinematics(rotations.flatMap(colMajor), rest, SMPL_PARENTS);
    const want = twinForwardKinematics(rotations, rest, SMPL_PARENTS);
    for (let j = 0; j < 24; j++) {
      const colMajor4 = [0, 1, 2, 3].flatMap((c) => [0, 1, 2, 3].map((r) => want[j]![r * 4 + c]!));
      assert.ok(maxAbsDiff(item(G, j, 16), colMajor4) < 1e-5, `joint ${j}`);
    }
  });
});

describe('pose math rejects bad input with AvatarInputError naming the argument', async () => {
  const pm = await loadPoseMath();
  const bad: [string, () => unknown, RegExp][] = [
    ['length not a multiple of 3', () => pm.axisAngleToMatrix([1, 2]), /^axisAngles: expected N×3/],
    ['NaN', () => pm.axisAngleToQuat([0, NaN, 0]), /^axisAngles: .*NaN at index 1/],
    ['a string', () => pm.matrixToQuat('abcdefghi' as unknown as number[]), /^matrices: expected/],
    ['a plain object', () => pm.quatToMatrix({ x: 1 } as unknown as number[]), /^quats: expected/],
    ['zero quaternion', () => pm.quatToAxisAngle([0, 0, 0, 0]), /^quats: expected non-zero/],
    ['degenerate 6D', () => pm.rotation6dToMatrix([1, 0, 0, 2, 0, 0]), /^rotations6d: expected two non-parallel/],
    ['slerp length mismatch', () => pm.slerpQuat([0, 0, 0, 1], [0, 0, 0, 1, 0, 0, 0, 1], 0.5), /^to: expected 4/],
    ['slerp t NaN', () => pm.slerpQuat([0, 0, 0, 1], [0, 0, 0, 1], NaN), /^t: expected a finite number/],
    ['FK parents out of order', () => pm.forwardKinematics(new Float32Array(18), new Float32Array(6), [-1, 1]), /^parents: .*parents\[1\] = 1/],
    ['FK rotations too short', () => pm.forwardKinematics(new Float32Array(9), new Float32Array(6), [-1, 0]), /^localRotations: expected 18/],
  ];
  for (const [name, call, message] of bad) {
    it(name, () => assert.throws(call, (e: unknown) => e instanceof AvatarInputError && message.test(e.message)));
  }
});
