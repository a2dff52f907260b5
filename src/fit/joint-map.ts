/**
 * Body points for MediaPipe Pose's 33 landmarks. A landmark is a weighted sum of posed joints
 * and posed vertices (`LandmarkTerm`s); a landmark without terms is ignored by the fit.
 *
 * - Shoulders, elbows, wrists, knees, ankles: the SMPL joints (11/12 ↔ 16/17, 13/14 ↔ 18/19,
 *   15/16 ↔ 20/21, 25/26 ↔ 4/5, 27/28 ↔ 7/8; MediaPipe's "left" is the person's left, like SMPL's).
 * - Hips 23/24: MediaPipe's hip points sit lower than SMPL's hip joints, so 0.85·hip + 0.15·knee
 *   (≈ 6 cm down the thigh on the default body).
 * - Nose 0, eyes 2/5, ears 7/8, mouth corners 9/10, heels 29/30, foot index 31/32: the mean of a
 *   small vertex set. On the default body the sets were found geometrically on its rest mesh by
 *   tests/fit/find-landmark-vertices.ts (rules documented there; a test re-checks them). On SMPL
 *   (6890 vertices) single vertices from the smplx/OpenPose convention (nose 332, eyes 2800/6260,
 *   ears 583/4071, heels 3387/6787, big toes 3216/6617); SMPL's mouth corners are left unmapped.
 * - Eye inner/outer 1/3/4/6 and the hand points 17–22 are unmapped (the hands' twist is not
 *   constrained by them reliably enough to be worth it here).
 */
import type { BodyModel } from '../body/types.js';

export interface LandmarkTerm {
  kind: 'joint' | 'vertex';
  index: number;
  weight: number;
}

/** 33 lists of terms in MediaPipe Pose order (an empty list: landmark unmapped). */
export type LandmarkMap = ReadonlyArray<ReadonlyArray<LandmarkTerm>>;

export const MEDIAPIPE_POSE_LANDMARK_COUNT = 33;

/** MediaPipe Pose landmark names, in order. */
export const MEDIAPIPE_POSE_LANDMARKS = [
  'nose', 'left_eye_inner', 'left_eye', 'left_eye_outer', 'right_eye_inner', 'right_eye', 'right_eye_outer',
  'left_ear', 'right_ear', 'mouth_left', 'mouth_right', 'left_shoulder', 'right_shoulder', 'left_elbow',
  'right_elbow', 'left_wrist', 'right_wrist', 'left_pinky', 'right_pinky', 'left_index', 'right_index',
  'left_thumb', 'right_thumb', 'left_hip', 'right_hip', 'left_knee', 'right_knee', 'left_ankle', 'right_ankle',
  'left_heel', 'right_heel', 'left_foot_index', 'right_foot_index',
] as const;

/** Landmark indices of the torso (shoulders, hips): the first fitting stage uses only these. */
export const TORSO_LANDMARKS = [11, 12, 23, 24] as const;
export const LEFT_HIP_LANDMARK = 23;
export const RIGHT_HIP_LANDMARK = 24;

/** Vertex count of the default body (MakeHuman base mesh) and of SMPL. */
export const DEFAULT_BODY_VERTEX_COUNT = 13380;
export const SMPL_VERTEX_COUNT = 6890;

const JOINT_LANDMARKS: ReadonlyArray<readonly [number, number]> = [
  [11, 16], [12, 17], [13, 18], [14, 19], [15, 20], [16, 21], [25, 4], [26, 5], [27, 7], [28, 8],
];
/** MediaPipe hip ← 0.85·SMPL hip joint + 0.15·SMPL knee joint. */
const HIP_LANDMARKS: ReadonlyArray<readonly [number, number, number]> = [[23, 1, 4], [24, 2, 5]];
const HIP_TOWARDS_KNEE = 0.15;

/** Vertex sets on the default body (printed by tests/fit/find-landmark-vertices.ts). */
export const DEFAULT_BODY_LANDMARK_VERTICES: Readonly<Record<number, readonly number[]>> = {
  0: [5054, 294, 297, 11670, 5052], // nose tip
  2: [6787, 11465, 6789, 6785, 11515], // left eye
  5: [3, 4847, 5, 1, 4897], // right eye
  7: [12038, 12060, 12044, 12043, 12016], // left ear
  8: [5439, 5461, 5445, 5444, 5417], // right ear
  9: [7199, 7251, 7200, 7198, 7202], // mouth left
  10: [439, 502, 440, 438, 442], // mouth right
  29: [12453, 12925, 12442, 12464], // left heel
  30: [5856, 6328, 5845, 5867], // right heel
  31: [11551, 11569, 11591, 11605, 12756], // left foot index (toe tip)
  32: [4933, 4951, 4973, 4987, 6159], // right foot index
};

/** Single vertices on SMPL (smplx's vertex_ids for OpenPose's face and foot points). */
export const SMPL_LANDMARK_VERTICES: Readonly<Record<number, readonly number[]>> = {
  0: [332], 2: [2800], 5: [6260], 7: [583], 8: [4071], 29: [3387], 30: [6787], 31: [3216], 32: [6617],
};

/** The joint-only part shared by every SMPL-skeleton body (24 joints). */
function jointTerms(): LandmarkTerm[][] {
  const map: LandmarkTerm[][] = Array.from({ length: MEDIAPIPE_POSE_LANDMARK_COUNT }, () => []);
  for (const [k, j] of JOINT_LANDMARKS) map[k]!.push({ kind: 'joint', index: j, weight: 1 });
  for (const [k, hip, knee] of HIP_LANDMARKS) {
    map[k]!.push({ kind: 'joint', index: hip, weight: 1 - HIP_TOWARDS_KNEE }, { kind: 'joint', index: knee, weight: HIP_TOWARDS_KNEE });
  }
  return map;
}

/** Joints plus the mean of each vertex set in `vertexSets`. */
export function landmarkMapWithVertices(vertexSets: Readonly<Record<number, readonly number[]>>): LandmarkMap {
  const map = jointTerms();
  for (const [k, ids] of Object.entries(vertexSets)) {
    map[Number(k)] = ids.map((v) => ({ kind: 'vertex' as const, index: v, weight: 1 / ids.length }));
  }
  return map;
}

/**
 * The landmark map for `body`: the default body's vertex sets when it has the default body's
 * vertex count, SMPL's vertices at 6890 vertices, otherwise joints only (face and feet unmapped).
 * Needs SMPL's 24 joints.
 */
export function landmarkMapFor(body: Pick<BodyModel, 'numVertices' | 'numJoints'>): LandmarkMap {
  if (body.numVertices === DEFAULT_BODY_VERTEX_COUNT) return landmarkMapWithVertices(DEFAULT_BODY_LANDMARK_VERTICES);
  if (body.numVertices === SMPL_VERTEX_COUNT) return landmarkMapWithVertices(SMPL_LANDMARK_VERTICES);
  return jointTerms();
}
