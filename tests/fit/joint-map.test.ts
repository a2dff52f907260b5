// Landmark map: the stored default-body vertex sets still match the geometric rules, the map
// picks the right vertex sets per body, and camera initialisation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultBodyData } from '../../src/body/default-body.js';
import { AvatarInputError } from '../../src/errors.js';
import {
  DEFAULT_BODY_LANDMARK_VERTICES, MEDIAPIPE_POSE_LANDMARKS, SMPL_LANDMARK_VERTICES, landmarkMapFor,
} from '../../src/fit/joint-map.js';
import { focalFromFov, initialTranslation, nearestTorsoFrames, observeTorso } from '../../src/fit/camera-init.js';
import { findLandmarkVertexSets } from './find-landmark-vertices.js';

test('default-body landmark vertices are what the geometric rules find on the mesh', () => {
  const data = defaultBodyData();
  const sets = findLandmarkVertexSets(data);
  const byLandmark: Record<number, number[]> = {
    0: sets.nose, 2: sets.leftEye, 5: sets.rightEye, 7: sets.leftEar, 8: sets.rightEar, 9: sets.mouthLeft, 10: sets.mouthRight,
    29: sets.leftHeel, 30: sets.rightHeel, 31: sets.leftFootIndex, 32: sets.rightFootIndex,
  };
  assert.deepEqual(DEFAULT_BODY_LANDMARK_VERTICES, byLandmark);
  // left landmarks on the body's left (+x), mirrored right ones
  const mean = (ids: readonly number[], c: number) => ids.reduce((s, v) => s + data.vTemplate[v * 3 + c]!, 0) / ids.length;
  for (const [l, r] of [[2, 5], [7, 8], [9, 10], [29, 30], [31, 32]] as const) {
    assert.ok(mean(byLandmark[l]!, 0) > 0.01 && mean(byLandmark[r]!, 0) < -0.01, MEDIAPIPE_POSE_LANDMARKS[l]);
    assert.ok(Math.abs(mean(byLandmark[l]!, 1) - mean(byLandmark[r]!, 1)) < 0.005);
  }
  assert.ok(mean(byLandmark[31]!, 2) - mean(byLandmark[29]!, 2) > 0.2, 'toe in front of heel');
});

test('landmarkMapFor: default body, SMPL and joints-only bodies', () => {
  assert.equal(MEDIAPIPE_POSE_LANDMARKS.length, 33);
  const def = landmarkMapFor({ numVertices: 13380, numJoints: 24 });
  assert.equal(def.length, 33);
  assert.deepEqual(def[11], [{ kind: 'joint', index: 16, weight: 1 }]);
  assert.deepEqual(def[28], [{ kind: 'joint', index: 8, weight: 1 }]);
  assert.deepEqual(def[23]!.map((t) => t.index), [1, 4]);
  assert.equal(def[0]!.length, 5);
  assert.ok(Math.abs(def[0]!.reduce((s, t) => s + t.weight, 0) - 1) < 1e-12);
  const smpl = landmarkMapFor({ numVertices: 6890, numJoints: 24 });
  assert.deepEqual(smpl[0], [{ kind: 'vertex', index: SMPL_LANDMARK_VERTICES[0]![0], weight: 1 }]);
  assert.equal(smpl[9]!.length, 0);
  const other = landmarkMapFor({ numVertices: 500, numJoints: 24 });
  assert.equal(other[0]!.length, 0);
  assert.equal(other[13]!.length, 1);
  assert.equal([1, 3, 4, 6, 17, 18, 19, 20, 21, 22].filter((k) => def[k]!.length > 0).length, 0);
});

test('camera init: focal from the field of view, translation from the torso', () => {
  assert.ok(Math.abs(focalFromFov(720, 90) - 360) < 1e-9);
  assert.ok(Math.abs(focalFromFov(480, 55) - 240 / Math.tan((27.5 * Math.PI) / 180)) < 1e-9);
  // a torso 0.5 m long, hips at (0.3, 0.2, 4) m, upright: observed through f = 800, centre (320, 240)
  const f = 800, cx = 320, cy = 240;
  const hips = [0.3, 0.2, 4], shoulders = [0.3, -0.3, 4];
  const px = (p: number[]) => [f * p[0]! / p[2]! + cx, f * p[1]! / p[2]! + cy];
  const kp = new Float64Array(33 * 3);
  const put = (k: number, p: number[], dx: number) => kp.set([px(p)[0]! + dx, px(p)[1]!, 1], k * 3);
  put(11, shoulders, 20); put(12, shoulders, -20); put(23, hips, 15); put(24, hips, -15);
  const torso = observeTorso(kp, 33, 0)!;
  assert.equal(torso.facing, true);
  const modelHips = [0.01, -0.05, 0.02]; // the model's hip midpoint at zero translation
  const t = initialTranslation(torso, 0.5, modelHips, f, cx, cy);
  for (let c = 0; c < 3; c++) assert.ok(Math.abs(t[c]! + modelHips[c]! - hips[c]!) < 1e-9);
  kp[11 * 3 + 2] = 0;
  assert.equal(observeTorso(kp, 33, 0), undefined);
  assert.deepEqual(nearestTorsoFrames([undefined, torso, undefined, undefined, torso]), [1, 1, 1, 4, 4]);
  assert.throws(() => nearestTorsoFrames([undefined, undefined]), AvatarInputError);
});
