// Torso orientation from landmarks, the neighbours check and the 3D-vs-2D facing check, on
// synthetic torsos turned by known angles (rotations built here from plain trigonometry).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  angleBetweenDegrees, distanceToTurnDegrees, facingDisagreementsDegrees, facingYawDegrees, orientationDeviations,
  rootOrientation, torsoFacing, torsoOrientation,
} from '../../src/fit/frame-orientation.js';
import { quatFromAxisAngle } from '../../src/motion/rotations.js';

type Vec3 = [number, number, number];
const LEFT_SHOULDER = 11, RIGHT_SHOULDER = 12, LEFT_HIP = 23, RIGHT_HIP = 24;
/** A torso in the body's frame (x its left, y up, z facing; metres, hip-centred). */
const TORSO: Record<number, Vec3> = {
  [LEFT_SHOULDER]: [0.18, 0.5, 0.02], [RIGHT_SHOULDER]: [-0.18, 0.5, 0.02], [LEFT_HIP]: [0.1, 0, 0], [RIGHT_HIP]: [-0.1, 0, 0],
};

/** Row-major 3×3 products and the rotations used: about the body's vertical (yaw) and the half turn about x into camera axes. */
type Mat = number[];
const mul = (a: Mat, b: Mat): Mat => Array.from({ length: 9 }, (_, i) => [0, 1, 2].reduce((s, k) => s + a[Math.floor(i / 3) * 3 + k]! * b[k * 3 + (i % 3)]!, 0));
const apply = (m: Mat, v: Vec3): Vec3 => [0, 1, 2].map((r) => m[r * 3]! * v[0] + m[r * 3 + 1]! * v[1] + m[r * 3 + 2]! * v[2]) as Vec3;
const aboutY = (deg: number): Mat => {
  const c = Math.cos((deg * Math.PI) / 180), s = Math.sin((deg * Math.PI) / 180);
  return [c, 0, s, 0, 1, 0, -s, 0, c];
};
const aboutX = (deg: number): Mat => {
  const c = Math.cos((deg * Math.PI) / 180), s = Math.sin((deg * Math.PI) / 180);
  return [1, 0, 0, 0, c, -s, 0, s, c];
};
/** Body → camera for a person turned by `yawDeg` (about their vertical) and leaning by `leanDeg` (forward, about their x). */
const bodyToCamera = (yawDeg: number, leanDeg = 0): Mat => mul(aboutX(180), mul(aboutY(yawDeg), aboutX(leanDeg)));

/** World landmarks (33×4) and pinhole keypoints (33×3; hips 3 m in front of a 500 px camera) of the torso turned by R. */
function landmarks(R: Mat, scale2d = 1): { world: Float32Array; keypoints: Float32Array } {
  const world = new Float32Array(33 * 4).fill(Number.NaN), keypoints = new Float32Array(33 * 3);
  for (const [k, p] of Object.entries(TORSO)) {
    const c = apply(R, p);
    world.set([...c, 0.9], Number(k) * 4);
    // The 2D torso a little narrower than the 3D one (scale2d), as MediaPipe's 2D and 3D points are.
    const x = c[0] * scale2d;
    keypoints.set([320 + (500 * x) / (3 + c[2]), 240 + (500 * c[1]) / (3 + c[2]), 0.9], Number(k) * 3);
  }
  return { world, keypoints };
}

/** Quaternion (x, y, z, w) of a row-major rotation matrix (Shepperd: from the largest of w, x, y, z). */
function quatOf(m: Mat): number[] {
  const [a, b, c, d, e, f, g, h, i] = m as [number, number, number, number, number, number, number, number, number];
  const options = [1 + a + e + i, 1 + a - e - i, 1 - a + e - i, 1 - a - e + i];
  const k = options.indexOf(Math.max(...options)), r = Math.sqrt(options[k]!) * 2;
  if (k === 0) return [(h - f) / r, (c - g) / r, (d - b) / r, r / 4];
  if (k === 1) return [r / 4, (b + d) / r, (c + g) / r, (h - f) / r];
  if (k === 2) return [(b + d) / r, r / 4, (f + h) / r, (c - g) / r];
  return [(c + g) / r, (f + h) / r, r / 4, (d - b) / r];
}

test('torsoOrientation recovers the rotation the torso was turned by; the fitted root facing the camera is the same rotation', () => {
  for (const [yaw, lean] of [[0, 0], [26, 0], [70, 10], [-120, -15], [180, 5]] as const) {
    const R = bodyToCamera(yaw, lean);
    // The torso's own frame: up is shoulders-minus-hips, which the 2 cm shoulder offset tilts by atan(0.02 / 0.5).
    const tilt = (Math.atan2(0.02, 0.5) * 180) / Math.PI;
    // (the torso leans forward by that much: its y axis is the body's turned about x towards z)
    const expected = quatOf(mul(R, aboutX(tilt)));
    const got = torsoOrientation(landmarks(R).world)!;
    assert.ok(angleBetweenDegrees(got, expected) < 1e-3, `yaw ${yaw}, lean ${lean}: ${angleBetweenDegrees(got, expected)}°`);
    if (lean === 0) assert.ok(Math.abs(facingYawDegrees(got) + yaw) < 1e-3 || Math.abs(Math.abs(yaw) - 180) < 1e-9, `yaw ${yaw}: reported ${facingYawDegrees(got)}`);
  }
  assert.ok(angleBetweenDegrees(rootOrientation([Math.PI, 0, 0]), quatOf(bodyToCamera(0))) < 1e-4);
  assert.ok(angleBetweenDegrees(rootOrientation([0, 0, Math.PI]), quatOf(bodyToCamera(180))) < 1e-6, 'facing away: ROOT_FACING_AWAY');
  // A missing point (non-finite or not visible): no orientation.
  const { world } = landmarks(bodyToCamera(0));
  world[LEFT_HIP * 4 + 3] = 0;
  assert.equal(torsoOrientation(world), null);
});

test('distanceToTurnDegrees: 0 anywhere on the turn between two orientations, the overshoot beyond it, the offset beside it', () => {
  const a = quatOf(bodyToCamera(0)), b = quatOf(bodyToCamera(60));
  for (const yaw of [0, 15, 42, 60]) assert.ok(distanceToTurnDegrees(quatOf(bodyToCamera(yaw)), a, b) < 1e-4, `yaw ${yaw}`);
  assert.ok(Math.abs(distanceToTurnDegrees(quatOf(bodyToCamera(100)), a, b) - 40) < 1e-6);
  assert.ok(Math.abs(distanceToTurnDegrees(quatOf(bodyToCamera(-30)), a, b) - 30) < 1e-6);
  assert.ok(Math.abs(distanceToTurnDegrees(quatOf(bodyToCamera(30, 25)), a, b) - 25) < 1e-6, 'leaning 25° off the turn');
  // The sign of a quaternion does not matter.
  assert.ok(distanceToTurnDegrees(quatOf(bodyToCamera(30)).map((x) => -x), a, b.map((x) => -x)) < 1e-6);
});

/** Torso orientations of a person turning `degPerSecond` for `frames` frames `gap` seconds apart, with small deterministic jitter. */
function turning(frames: number, gap: number, degPerSecond: number, jitterDeg = 6): { orientations: Float64Array[]; times: number[]; yaws: number[] } {
  const times = Array.from({ length: frames }, (_, i) => 0.2 + i * gap);
  const yaws = times.map((t, i) => degPerSecond * t + jitterDeg * Math.sin(i * 2.3));
  const orientations = yaws.map((y, i) => torsoOrientation(landmarks(bodyToCamera(y, 4 * Math.cos(i * 1.7))).world)!);
  return { orientations, times, yaws };
}

test('orientationDeviations: a genuine steady turn has no outlier; a frame turned 70° off among it is the only one flagged', () => {
  const steady = turning(24, 0.43, 30);
  const clean = orientationDeviations(steady.orientations, steady.times);
  assert.deepEqual(clean.map((d) => d.outlier), new Array(24).fill(false), `deviations ${clean.map((d) => d.degrees.toFixed(0))}`);
  for (const d of clean) assert.ok(d.degrees < 20 && d.allowedDegrees > 30 && d.allowedDegrees < 45, `${d.degrees}, ${d.allowedDegrees}`);

  for (const bad of [0, 10, 23]) {
    const orientations = steady.orientations.slice();
    orientations[bad] = torsoOrientation(landmarks(bodyToCamera(steady.yaws[bad]! + 70)).world)!;
    const result = orientationDeviations(orientations, steady.times);
    assert.deepEqual(result.map((d, i) => (d.outlier ? i : -1)).filter((i) => i >= 0), [bad], `frame ${bad}: ${result.map((d) => d.degrees.toFixed(0))}`);
    assert.ok(result[bad]!.degrees > 45, `the outlier's deviation ${result[bad]!.degrees}`);
  }
  // Two bad frames two apart (one good frame between them): both flagged, nothing else.
  const orientations = steady.orientations.slice();
  orientations[11] = torsoOrientation(landmarks(bodyToCamera(steady.yaws[11]! - 70)).world)!;
  orientations[13] = torsoOrientation(landmarks(bodyToCamera(steady.yaws[13]! + 80)).world)!;
  assert.deepEqual(orientationDeviations(orientations, steady.times).map((d, i) => (d.outlier ? i : -1)).filter((i) => i >= 0), [11, 13]);
});

test('orientationDeviations: a sudden quarter turn between two frames is genuine; the allowance grows with the time gap', () => {
  const times = Array.from({ length: 12 }, (_, i) => i * 0.4);
  const yaws = times.map((_, i) => (i < 6 ? 0 : 90));
  const sudden = orientationDeviations(yaws.map((y) => torsoOrientation(landmarks(bodyToCamera(y)).world)!), times);
  assert.deepEqual(sudden.map((d) => d.outlier), new Array(12).fill(false));
  // A 45° excursion and back: flagged with frames 0.1 s apart, allowed with frames 2 s apart (the person may have turned and come back).
  const excursion = (gap: number) => orientationDeviations(
    [0, 0, 0, 45, 0, 0].map((y) => torsoOrientation(landmarks(bodyToCamera(y)).world)!), [0, 1, 2, 3, 4, 5].map((i) => i * gap),
  );
  assert.deepEqual(excursion(0.1).map((d) => d.outlier), [false, false, false, true, false, false]);
  assert.deepEqual(excursion(2).map((d) => d.outlier), new Array(6).fill(false));
  // Frames without an orientation are skipped; with fewer than 3 nothing is judged.
  const some = orientationDeviations([null, quatOf(bodyToCamera(0)), null, quatOf(bodyToCamera(90))], [0, 1, 2, 3]);
  assert.ok(some.every((d) => Number.isNaN(d.degrees) && !d.outlier));
});

test('facingDisagreementsDegrees: 2D and 3D agree over a whole turn (after the 2D/3D scale is calibrated); a 3D torso turned 70° where the image shows 26°, or facing the other way, disagrees', () => {
  const yaws = [-10, 0, 10, 26, 40, 60, 90, 120, 150, 170];
  const facings = yaws.map((y) => {
    const { world, keypoints } = landmarks(bodyToCamera(y), 0.9);
    return torsoFacing(world, keypoints);
  });
  const agree = facingDisagreementsDegrees(facings);
  for (const [i, d] of agree.entries()) assert.ok(d < 4, `yaw ${yaws[i]}: ${d.toFixed(1)}°`);
  // Without calibration (a lone frame), the 10 % scale reads as ~25° near facing: what the median removes.
  assert.ok(facingDisagreementsDegrees([facings[1]!])[0]! > 20);

  const twisted = (yaw3d: number, yaw2d: number) => {
    const world = landmarks(bodyToCamera(yaw3d)).world, keypoints = landmarks(bodyToCamera(yaw2d), 0.9).keypoints;
    return torsoFacing(world, keypoints);
  };
  const withBad = facingDisagreementsDegrees([...facings, twisted(70, 26), twisted(180, 0), twisted(20, 160)]);
  assert.ok(withBad[yaws.length]! > 35, `70° vs 26°: ${withBad[yaws.length]}`);
  assert.ok(withBad[yaws.length + 1]! > 150, `facing away vs facing: ${withBad[yaws.length + 1]}`);
  assert.ok(withBad[yaws.length + 2]! > 100, `20° vs 160°: ${withBad[yaws.length + 2]}`);
  for (let i = 0; i < yaws.length; i++) assert.ok(withBad[i]! < 4, 'the good frames stay good');
  assert.ok(Number.isNaN(facingDisagreementsDegrees([null])[0]!));
});

test('rootOrientation reads the axis-angle at an offset', () => {
  const pose = new Float32Array(144);
  pose.set([0, 0, Math.PI], 72);
  const q = rootOrientation(pose, 72);
  assert.ok(angleBetweenDegrees(q, quatFromAxisAngle(new Float64Array(4), [0, 0, Math.PI])) < 1e-4);
});
