/**
 * Starting values of the fit: the focal length from a field-of-view prior, and per frame the
 * root orientation (facing the camera or away from it) and the translation from the torso's size
 * and position in the image (a torso of known length seen at that many pixels is that far away).
 */
import { AvatarInputError } from '../errors.js';
import { LEFT_HIP_LANDMARK, RIGHT_HIP_LANDMARK } from './joint-map.js';

const LEFT_SHOULDER = 11, RIGHT_SHOULDER = 12;

/** Focal length in pixels that gives a vertical field of view of `fovYDegrees` over `height` pixels. */
export function focalFromFov(height: number, fovYDegrees: number): number {
  return height / 2 / Math.tan((fovYDegrees * Math.PI) / 360);
}

/** Root axis-angle of an upright body facing the camera: a half turn about x (y up → y down, +z → −z). */
export const ROOT_FACING_CAMERA: readonly [number, number, number] = [Math.PI, 0, 0];
/** … and facing away from it: a half turn about z (y up → y down, +z stays +z). */
export const ROOT_FACING_AWAY: readonly [number, number, number] = [0, 0, Math.PI];

export interface TorsoObservation {
  /** Shoulder midpoint and hip midpoint in pixels. */
  shoulders: [number, number];
  hips: [number, number];
  /** The person's left is on the image's right (they face the camera). */
  facing: boolean;
}

/** Torso of frame f in F×K×3 keypoints (u, v, confidence), or undefined if a shoulder or hip is missing. */
export function observeTorso(keypoints2d: Float64Array, K: number, f: number): TorsoObservation | undefined {
  const at = (k: number) => keypoints2d.subarray((f * K + k) * 3, (f * K + k) * 3 + 3);
  const ls = at(LEFT_SHOULDER), rs = at(RIGHT_SHOULDER), lh = at(LEFT_HIP_LANDMARK), rh = at(RIGHT_HIP_LANDMARK);
  if (![ls, rs, lh, rh].every((p) => p[2]! > 0)) return undefined;
  return {
    shoulders: [(ls[0]! + rs[0]!) / 2, (ls[1]! + rs[1]!) / 2],
    hips: [(lh[0]! + rh[0]!) / 2, (lh[1]! + rh[1]!) / 2],
    facing: ls[0]! - rs[0]! + (lh[0]! - rh[0]!) >= 0,
  };
}

/** For each frame, the index of the nearest frame (itself first) with a visible torso. */
export function nearestTorsoFrames(torsos: (TorsoObservation | undefined)[]): number[] {
  const seen = torsos.map((t, f) => (t ? f : -1)).filter((f) => f >= 0);
  if (seen.length === 0) {
    throw new AvatarInputError(
      'keypoints.frames: expected at least one frame with the torso visible (landmarks 11, 12, 23, 24 with confidence > 0), got none',
    );
  }
  return torsos.map((_, f) => seen.reduce((best, s) => (Math.abs(s - f) < Math.abs(best - f) ? s : best), seen[0]!));
}

/**
 * Translation that puts the posed body's hip midpoint (`hipMid`, camera frame, computed at zero
 * translation) on the observed hip midpoint, at the depth where the model's torso length
 * `torsoLength` (m) spans the observed one.
 */
export function initialTranslation(
  torso: TorsoObservation, torsoLength: number, hipMid: ArrayLike<number>, focal: number, cx: number, cy: number,
): [number, number, number] {
  const pixels = Math.max(Math.hypot(torso.shoulders[0] - torso.hips[0], torso.shoulders[1] - torso.hips[1]), 1);
  const z = (focal * torsoLength) / pixels;
  const x = ((torso.hips[0] - cx) * z) / focal, y = ((torso.hips[1] - cy) * z) / focal;
  return [x - hipMid[0]!, y - hipMid[1]!, z - hipMid[2]!];
}
