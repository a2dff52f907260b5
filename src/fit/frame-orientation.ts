/**
 * The torso's 3D orientation per frame, and which frames disagree with their neighbours in time.
 * A pose detector run on frames seconds apart sometimes turns one frame's 3D landmarks far from
 * the truth (MediaPipe's tracking once gave 70° where the person stood at 26°), and the body fit
 * follows while its reprojection error stays small; these checks find such frames.
 *
 * Orientations are unit quaternions (x, y, z, w) of the rotation from the body's frame (x = the
 * person's left, y = up, z = the way they face; the SMPL rest frame) into camera axes (x right,
 * y down, z away from the camera; MediaPipe's world landmarks and the fit's world share them).
 * A person upright and facing the camera is a half turn about x, like the fit's root (types.ts).
 */
import { quat } from 'gl-matrix';
import { frameQuat, quatFromAxisAngle, slerpQuat } from '../motion/rotations.js';

/** MediaPipe Pose landmark indices of the torso. */
const LEFT_SHOULDER = 11, RIGHT_SHOULDER = 12, LEFT_HIP = 23, RIGHT_HIP = 24;

/**
 * Orientation of the torso from four 3D points (camera axes): the person's left runs from the
 * right shoulder and hip to the left ones, up from the hips' midpoint to the shoulders'. `points`
 * holds 33 landmarks of `stride` numbers (x, y, z first: MediaPipe's world landmarks, stride 4 with
 * visibility). Null when a point is missing (non-finite, or visibility ≤ 0 with stride 4) or the
 * torso is degenerate.
 */
export function torsoOrientation(points: ArrayLike<number>, stride = 4): Float64Array | null {
  const at = (k: number): number[] | null => {
    const p = [points[k * stride]!, points[k * stride + 1]!, points[k * stride + 2]!];
    if (!p.every(Number.isFinite)) return null;
    if (stride >= 4 && !(points[k * stride + 3]! > 0)) return null;
    return p;
  };
  const ls = at(LEFT_SHOULDER), rs = at(RIGHT_SHOULDER), lh = at(LEFT_HIP), rh = at(RIGHT_HIP);
  if (!ls || !rs || !lh || !rh) return null;
  const left = [0, 1, 2].map((c) => ls[c]! - rs[c]! + lh[c]! - rh[c]!);
  const up = [0, 1, 2].map((c) => (ls[c]! + rs[c]! - lh[c]! - rh[c]!) / 2);
  return frameQuat(left, up);
}

/** Orientation of the fitted root: the axis-angle `pose[offset…offset+2]` (the fit's root carries the turn into camera axes). */
export function rootOrientation(pose: ArrayLike<number>, offset = 0): Float64Array {
  return quatFromAxisAngle(new Float64Array(4), pose, offset);
}

/** Angle in degrees of the rotation between two orientations (0…180). */
export function angleBetweenDegrees(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const dot = Math.abs(a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]! + a[3]! * b[3]!);
  return (2 * Math.acos(Math.min(1, dot)) * 180) / Math.PI;
}

/**
 * Which way the person faces, as a yaw in degrees about the image's vertical: 0 facing the camera,
 * ±180 facing away, positive turned towards the image's left (their left shoulder comes closer to
 * the camera). For reports; the checks compare whole rotations.
 */
export function facingYawDegrees(orientation: ArrayLike<number>): number {
  const forward = new Float64Array(3);
  const q = orientation as unknown as quat;
  // The body's z axis in camera axes.
  const [x, y, z, w] = [q[0], q[1], q[2], q[3]];
  forward[0] = 2 * (x * z + w * y);
  forward[2] = 1 - 2 * (x * x + y * y);
  return (Math.atan2(-forward[0], -forward[2]) * 180) / Math.PI;
}

/** Thresholds of `orientationDeviations`. */
export interface OrientationCheckOptions {
  /** Deviation always allowed: the detector's and the fit's own noise, degrees. Default 25. */
  toleranceDegrees?: number;
  /**
   * How far a person may turn away and back within the time to the nearer neighbour, degrees per
   * second (fit mode asks them to turn slowly). Default 30.
   */
  excursionDegreesPerSecond?: number;
}

/** A frame's deviation from its neighbours and whether it is beyond what a genuine turn explains. */
export interface OrientationDeviation {
  /** Degrees between the frame and the nearest orientation its neighbours allow; NaN when it cannot be judged. */
  degrees: number;
  /** What is allowed there, degrees (grows with the time to the neighbours). */
  allowedDegrees: number;
  outlier: boolean;
}

const dot4 = (a: ArrayLike<number>, b: ArrayLike<number>) => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]! + a[3]! * b[3]!;

/**
 * Degrees from `q` to the nearest orientation on the shortest turn from `a` to `b` (the geodesic
 * segment): a frame between two neighbours may have turned any part of the way from one to the
 * other, quickly or slowly, but a turn that leaves that path (or overshoots it) is suspicious.
 */
export function distanceToTurnDegrees(q: ArrayLike<number>, a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ab = dot4(a, b), sign = ab < 0 ? -1 : 1;
  // The plane of the great circle through a and b (with b on a's side), as orthonormal e1 = a, e2.
  const e2 = [0, 1, 2, 3].map((c) => sign * b[c]! - Math.abs(ab) * a[c]!);
  const n = Math.hypot(...e2);
  if (n < 1e-9) return angleBetweenDegrees(q, a);
  for (let c = 0; c < 4; c++) e2[c]! /= n;
  const end = Math.atan2(n, Math.abs(ab));
  let best = Number.POSITIVE_INFINITY;
  for (const s of [1, -1]) {
    // q and −q are one rotation: the nearest point of the segment to either.
    const phi = Math.min(end, Math.max(0, Math.atan2(s * dot4(q, e2), s * dot4(q, a))));
    const p = [0, 1, 2, 3].map((c) => Math.cos(phi) * a[c]! + Math.sin(phi) * e2[c]!);
    best = Math.min(best, angleBetweenDegrees(q, p));
  }
  return best;
}

/**
 * Compares each frame's orientation with its neighbours in time (`times` in seconds, increasing;
 * null: no orientation, skipped). A frame between two neighbours is judged by its distance to the
 * turn between them (distanceToTurnDegrees): a steady or sudden genuine turn lies on it; a frame
 * at an end of the clip by its angle to the nearest frame. Allowed: the tolerance plus an
 * excursion that grows with the time to the nearer neighbour. Outliers are removed one at a time,
 * worst first, and the rest judged again without them, so a bad frame cannot make its neighbours
 * look bad; a removed frame the remaining ones accept comes back. Fewer than 3 orientations: nothing can be judged (NaN, no outliers). Limitation: two
 * neighbouring frames wrong the same way read as a genuine turn away and back (the facing check
 * against the 2D keypoints still sees them when those are right).
 */
export function orientationDeviations(
  orientations: ReadonlyArray<ArrayLike<number> | null>, times: readonly number[], options: OrientationCheckOptions = {},
): OrientationDeviation[] {
  const tolerance = options.toleranceDegrees ?? 25;
  const excursion = options.excursionDegreesPerSecond ?? 30;
  const F = orientations.length;
  const excluded = new Uint8Array(F);
  const neighbour = (i: number, step: -1 | 1) => {
    for (let j = i + step; j >= 0 && j < F; j += step) if (orientations[j] && !excluded[j]) return j;
    return -1;
  };
  const judge = (i: number): { degrees: number; allowedDegrees: number } => {
    const q = orientations[i]!, before = neighbour(i, -1), after = neighbour(i, 1), t = times[i]!;
    if (before >= 0 && after >= 0) {
      return {
        degrees: distanceToTurnDegrees(q, orientations[before]!, orientations[after]!),
        allowedDegrees: tolerance + excursion * Math.min(t - times[before]!, times[after]! - t),
      };
    }
    // An end of the clip: the nearest frame (a bad one there is removed first, then this one comes back).
    const n = Math.max(before, after);
    if (n < 0) return { degrees: Number.NaN, allowedDegrees: Number.NaN };
    return { degrees: angleBetweenDegrees(q, orientations[n]!), allowedDegrees: tolerance + excursion * Math.abs(t - times[n]!) };
  };
  const known = orientations.map((q, i) => (q ? i : -1)).filter((i) => i >= 0);
  if (known.length >= 3) {
    for (;;) {
      let worst = -1, worstExcess = 0;
      for (const i of known) {
        if (excluded[i]) continue;
        const { degrees, allowedDegrees } = judge(i);
        if (degrees - allowedDegrees > worstExcess) [worst, worstExcess] = [i, degrees - allowedDegrees];
      }
      // Keep at least 2 frames to judge against.
      if (worst < 0 || known.length - excluded.reduce((s, x) => s + x, 0) <= 2) break;
      excluded[worst] = 1;
    }
    // Frames removed early, while a worse one still stood beside them, come back if the rest accept them.
    for (let changed = true; changed;) {
      changed = false;
      for (const i of known) {
        if (!excluded[i]) continue;
        const { degrees, allowedDegrees } = judge(i);
        if (degrees <= allowedDegrees) [excluded[i], changed] = [0, true];
      }
    }
  }
  return orientations.map((q, i) => {
    if (!q || known.length < 3) return { degrees: Number.NaN, allowedDegrees: Number.NaN, outlier: false };
    return { ...judge(i), outlier: excluded[i] === 1 };
  });
}

/** What the torso shows of its facing, in 3D and in 2D (torsoFacing). */
export interface TorsoFacing {
  /**
   * cos(yaw) of the 3D landmarks: their torso's width across the image (perpendicular to its
   * up, signed: + when the person's left is on the image's right, i.e. facing the camera) over its
   * full 3D width.
   */
  cos3d: number;
  /**
   * The same width seen in the 2D keypoints relative to the torso's 2D height, over the 3D
   * landmarks' width-to-height ratio: cos(yaw) as the image shows it, up to a scale the detector's
   * 2D and 3D points disagree by (calibrated over the clip by facingDisagreementsDegrees).
   */
  ratio2d: number;
}

/**
 * The torso's facing from the 3D world landmarks (33 × x, y, z m, visibility) and the 2D
 * keypoints (33 × x px, y px, visibility) of one frame; null when a torso point is missing in either.
 */
export function torsoFacing(worldLandmarks: ArrayLike<number>, keypoints: ArrayLike<number>): TorsoFacing | null {
  const torso = [LEFT_SHOULDER, RIGHT_SHOULDER, LEFT_HIP, RIGHT_HIP];
  const p3 = (k: number, c: number) => worldLandmarks[k * 4 + c]!, p2 = (k: number, c: number) => keypoints[k * 3 + c]!;
  const ok3 = torso.every((k) => p3(k, 3) > 0 && [0, 1, 2].every((c) => Number.isFinite(p3(k, c))));
  const ok2 = torso.every((k) => p2(k, 2) > 0 && [0, 1].every((c) => Number.isFinite(p2(k, c))));
  if (!ok3 || !ok2) return null;
  const across = (p: (k: number, c: number) => number, c: number) => (p(LEFT_SHOULDER, c) - p(RIGHT_SHOULDER, c) + p(LEFT_HIP, c) - p(RIGHT_HIP, c)) / 2;
  const up = (p: (k: number, c: number) => number, c: number) => (p(LEFT_SHOULDER, c) + p(RIGHT_SHOULDER, c) - p(LEFT_HIP, c) - p(RIGHT_HIP, c)) / 2;
  /** Width across the image, perpendicular to the torso's image-plane up (x right, y down), signed; and that up's length. */
  const seen = (p: (k: number, c: number) => number) => {
    const ux = up(p, 0), uy = up(p, 1), n = Math.hypot(ux, uy);
    return { width: n > 0 ? (across(p, 0) * -uy + across(p, 1) * ux) / n : Number.NaN, height: n };
  };
  const width3 = Math.hypot(across(p3, 0), across(p3, 1), across(p3, 2)), height3 = Math.hypot(up(p3, 0), up(p3, 1), up(p3, 2));
  const seen3 = seen(p3), seen2 = seen(p2);
  if (!(width3 > 0 && height3 > 0 && seen2.height > 0)) return null;
  return { cos3d: seen3.width / width3, ratio2d: seen2.width / seen2.height / (width3 / height3) };
}

const clampUnit = (x: number) => Math.min(1, Math.max(-1, x));

/**
 * Degrees between the yaw the 3D landmarks give and the yaw the 2D keypoints show, per frame (NaN
 * where `facings[i]` is null): acos(cos3d) against acos(ratio2d / k). 0 when they agree; near
 * 180 − 2·yaw when one faces the camera and the other away. k, the detector's own scale between
 * its 2D and 3D torso proportions (~0.9 for MediaPipe), is the median of ratio2d / cos3d over the
 * frames not seen side-on (|cos3d| ≥ 0.5; 1 when fewer than 3): near facing, acos is so steep
 * that an uncalibrated 10 % would read as 25°.
 */
export function facingDisagreementsDegrees(facings: ReadonlyArray<TorsoFacing | null>): number[] {
  const scales = facings.filter((f): f is TorsoFacing => f !== null && Math.abs(f.cos3d) >= 0.5 && f.ratio2d / f.cos3d > 0).map((f) => f.ratio2d / f.cos3d);
  scales.sort((a, b) => a - b);
  const median = scales.length === 0 ? 1 : scales.length % 2 ? scales[(scales.length - 1) / 2]! : (scales[scales.length / 2 - 1]! + scales[scales.length / 2]!) / 2;
  const k = scales.length >= 3 ? Math.min(2, Math.max(0.5, median)) : 1;
  return facings.map((f) => (f ? (Math.abs(Math.acos(clampUnit(f.ratio2d / k)) - Math.acos(clampUnit(f.cos3d))) * 180) / Math.PI : Number.NaN));
}
