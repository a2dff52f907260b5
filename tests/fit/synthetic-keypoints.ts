/**
 * Synthetic keypoint clips for the fit's tests and benchmark: poses of the bundled motions on the
 * default body (optionally reshaped), turned into the OpenCV camera frame and projected through a
 * known pinhole camera with the f64 twin (not the WASM code under test), with Gaussian pixel
 * noise and randomly missing points. World landmarks are the true hip-centred landmarks plus noise.
 */
import { readFileSync } from 'node:fs';
import type { BodyModelData } from '../../src/body/types.js';
import { parseMotion } from '../../src/motion/parse-motion.js';
import { sampleMotion } from '../../src/motion/sample-motion.js';
import type { LandmarkMap } from '../../src/fit/joint-map.js';
import type { KeypointSequence } from '../../src/fit/types.js';
import { twinForward, twinRodrigues, twinMatrixToAxisAngle, type Mat3 } from '../body/twin.js';
import { seededRandom } from '../helpers/random-body.js';
import { twinLandmarks } from './fit-twin.js';

export interface SyntheticClipOptions {
  motion: 'walk' | 'dance' | 'idle';
  frames: number;
  /** Frames of the motion between clip frames (default 1). */
  step?: number;
  width: number;
  height: number;
  fovYDegrees: number;
  /** Turn of the body about its vertical axis (rad; 0 faces the camera, π shows its back). */
  yaw?: number;
  /** Body position in camera coordinates (m), default (0, 0.1, 3.2). */
  position?: [number, number, number];
  betas?: readonly number[];
  pixelNoise: number;
  missing: number;
  /** σ of the world landmarks' noise (m); undefined: no world landmarks. */
  worldNoise?: number;
  seed: number;
}

export interface SyntheticClip {
  keypoints: KeypointSequence;
  focal: number;
  betas: Float64Array;
  /** F×72 true poses (root in camera axes), F×3 true translations. */
  poses: Float64Array;
  trans: Float64Array;
  /** F×24×3 true joint positions (camera frame). */
  joints: Float64Array;
}

const mul3 = (a: Mat3, b: Mat3): Mat3 => Array.from({ length: 9 }, (_, i) => {
  const r = Math.floor(i / 3), c = i % 3;
  return a[r * 3]! * b[c]! + a[r * 3 + 1]! * b[3 + c]! + a[r * 3 + 2]! * b[6 + c]!;
});

export function syntheticClip(data: BodyModelData, map: LandmarkMap, o: SyntheticClipOptions): SyntheticClip {
  const motion = parseMotion(readFileSync(new URL(`../../assets/motions/${o.motion}.json`, import.meta.url), 'utf8'));
  const rand = seededRandom(o.seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const F = o.frames, K = map.length, step = o.step ?? 1;
  const focal = o.height / 2 / Math.tan((o.fovYDegrees * Math.PI) / 360);
  const cx = o.width / 2, cy = o.height / 2;
  const betas = Float64Array.from({ length: data.numBetas }, (_, b) => o.betas?.[b] ?? 0);
  const position = o.position ?? [0, 0.1, 3.2];
  // body y-up → camera y-down, facing the camera, then turned by yaw about the body's vertical
  const Rc = mul3(twinRodrigues(Math.PI, 0, 0), twinRodrigues(0, o.yaw ?? 0, 0));
  const rest = twinForward(data, { pose: new Float64Array(72), betas });
  const J0 = [rest.restJoints[0]!, rest.restJoints[1]!, rest.restJoints[2]!];
  const poses = new Float64Array(F * 72), trans = new Float64Array(F * 3), joints = new Float64Array(F * 72);
  const frames = [];
  for (let f = 0; f < F; f++) {
    const s = sampleMotion(motion, (f * step) / motion.fps, { loop: true });
    const pose = Float64Array.from(s.pose);
    // root' = Rc·R0; trans' = Rc·(J0 + trans) + position − J0 (the root turns about J0)
    const root = twinMatrixToAxisAngle(mul3(Rc, twinRodrigues(pose[0]!, pose[1]!, pose[2]!)));
    pose.set(root, 0);
    const tw = [0, 1, 2].map((r) => [0, 1, 2].reduce((acc, c) => acc + Rc[r * 3 + c]! * (J0[c]! + (s.trans[c]! - motion.trans[c]!)), 0) + position[r]! - J0[r]!);
    poses.set(pose, f * 72);
    trans.set(tw, f * 3);
    joints.set(twinForward(data, { pose, betas, trans: tw }).joints, f * 72);
    const pts = twinLandmarks(data, map, pose, betas, tw);
    const landmarks = new Float32Array(K * 3), world = new Float32Array(K * 3);
    const hips = [0, 1, 2].map((c) => (pts[23 * 3 + c]! + pts[24 * 3 + c]!) / 2);
    for (let k = 0; k < K; k++) {
      const mappedPoint = map[k]!.length > 0;
      const u = (focal * pts[k * 3]!) / pts[k * 3 + 2]! + cx + o.pixelNoise * gauss();
      const v = (focal * pts[k * 3 + 1]!) / pts[k * 3 + 2]! + cy + o.pixelNoise * gauss();
      const lost = rand() < o.missing;
      landmarks.set(mappedPoint ? [lost ? NaN : u, lost ? NaN : v, lost ? 0 : 0.6 + 0.4 * rand()] : [0, 0, 0], k * 3);
      for (let c = 0; c < 3; c++) world[k * 3 + c] = pts[k * 3 + c]! - hips[c]! + (o.worldNoise ?? 0) * gauss();
    }
    frames.push(o.worldNoise === undefined ? { landmarks } : { landmarks, worldLandmarks: world });
  }
  return { keypoints: { width: o.width, height: o.height, frames }, focal, betas, poses, trans, joints };
}

/** Geodesic angle (rad) between two axis-angle rotations. */
export function rotationDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const A = twinRodrigues(a[0]!, a[1]!, a[2]!), B = twinRodrigues(b[0]!, b[1]!, b[2]!);
  let trace = 0;
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) trace += A[r * 3 + c]! * B[r * 3 + c]!;
  return Math.acos(Math.min(1, Math.max(-1, (trace - 1) / 2)));
}
