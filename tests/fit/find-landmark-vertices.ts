/**
 * Finds, geometrically on the default body's rest mesh (T-pose, facing +z, its left is +x), the
 * vertex sets that stand for MediaPipe Pose's face and foot landmarks. The ids stored in
 * src/fit/joint-map.ts were printed by this script (`npx tsx tests/fit/find-landmark-vertices.ts`);
 * tests/fit/joint-map.test.ts re-runs it and checks they still agree with the mesh.
 *
 * Each landmark: an anchor vertex picked by a rule below, plus its nearest neighbours within
 * NEIGHBOUR_RADIUS (at most SET_SIZE vertices in all, anchor first); the landmark is their mean.
 */
import type { BodyModelData } from '../../src/body/types.js';

const NEIGHBOUR_RADIUS = 0.012; // m
const SET_SIZE = 5;

export type LandmarkVertexSets = Record<'nose' | 'leftEye' | 'rightEye' | 'leftEar' | 'rightEar' | 'mouthLeft' | 'mouthRight' | 'leftHeel' | 'rightHeel' | 'leftFootIndex' | 'rightFootIndex', number[]>;

/** Rest joints J_regressor·v_template (J×3). */
export function restJoints(data: BodyModelData): Float64Array {
  const V = data.vTemplate.length / 3, J = data.parents.length;
  const out = new Float64Array(J * 3);
  for (let j = 0; j < J; j++) {
    for (let v = 0; v < V; v++) {
      const w = data.jRegressor[j * V + v]!;
      if (w !== 0) for (let c = 0; c < 3; c++) out[j * 3 + c]! += w * data.vTemplate[v * 3 + c]!;
    }
  }
  return out;
}

export function findLandmarkVertexSets(data: BodyModelData): LandmarkVertexSets {
  const V = data.vTemplate.length / 3;
  const p = (v: number, c: number) => data.vTemplate[v * 3 + c]!;
  const joints = restJoints(data);
  const headY = joints[15 * 3 + 1]!, ankleY = joints[7 * 3 + 1]!;
  /** The vertex maximising `score` among those passing `keep`. */
  const argmax = (keep: (x: number, y: number, z: number) => boolean, score: (x: number, y: number, z: number) => number) => {
    let best = -1, bestScore = -Infinity;
    for (let v = 0; v < V; v++) {
      const x = p(v, 0), y = p(v, 1), z = p(v, 2);
      if (!keep(x, y, z)) continue;
      const s = score(x, y, z);
      if (s > bestScore) { bestScore = s; best = v; }
    }
    if (best < 0) throw new Error('no vertex passes the rule');
    return best;
  };
  const around = (anchor: number) => {
    const near: { v: number; d: number }[] = [];
    for (let v = 0; v < V; v++) {
      const d = Math.hypot(p(v, 0) - p(anchor, 0), p(v, 1) - p(anchor, 1), p(v, 2) - p(anchor, 2));
      if (d <= NEIGHBOUR_RADIUS) near.push({ v, d });
    }
    near.sort((a, b) => a.d - b.d || a.v - b.v);
    return near.slice(0, SET_SIZE).map((n) => n.v);
  };
  // Nose: the most forward point of the head near the midline.
  const nose = argmax((x, y) => y > headY - 0.12 && Math.abs(x) < 0.03, (_x, _y, z) => z);
  const noseY = p(nose, 1);
  // Eyes: the front surface 3.5 cm above the nose tip, 3.2 cm either side (half a typical pupil distance).
  const eye = (side: number) => argmax(
    (x, y) => Math.abs(x - side * 0.032) < 0.008 && Math.abs(y - (noseY + 0.035)) < 0.008, (_x, _y, z) => z);
  // Mouth corners: the front surface 4 cm below the nose tip, 2.4 cm either side.
  const mouth = (side: number) => argmax(
    (x, y) => Math.abs(x - side * 0.024) < 0.006 && Math.abs(y - (noseY - 0.04)) < 0.008, (_x, _y, z) => z);
  // Ears: the most lateral point of the head between the head joint and 8 cm above it.
  const ear = (side: number) => argmax((_x, y) => y > headY - 0.02 && y < headY + 0.08, (x) => side * x);
  // Heels / foot index (toe tip): the most backward / forward point below the ankle on that side.
  const heel = (side: number) => argmax((x, y) => y < ankleY && side * x > 0, (_x, _y, z) => -z);
  const toe = (side: number) => argmax((x, y) => y < ankleY && side * x > 0, (_x, _y, z) => z);
  return {
    nose: around(nose),
    leftEye: around(eye(1)), rightEye: around(eye(-1)),
    leftEar: around(ear(1)), rightEar: around(ear(-1)),
    mouthLeft: around(mouth(1)), mouthRight: around(mouth(-1)),
    leftHeel: around(heel(1)), rightHeel: around(heel(-1)),
    leftFootIndex: around(toe(1)), rightFootIndex: around(toe(-1)),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { defaultBodyData } = await import('../../src/body/default-body.js');
  const data = defaultBodyData();
  const sets = findLandmarkVertexSets(data);
  for (const [name, ids] of Object.entries(sets)) {
    const mean = [0, 1, 2].map((c) => ids.reduce((s, v) => s + data.vTemplate[v * 3 + c]!, 0) / ids.length);
    console.log(`${name}: [${ids.join(', ')}],  // mean ${mean.map((x) => x.toFixed(3)).join(' ')}`);
  }
}
