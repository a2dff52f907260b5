/**
 * Video → motion: the poses a fit refined are a motion capture of the clip. This turns them into a
 * `Motion` any avatar can play (and `saveMotion` can write):
 *
 * - World: the fit's is the OpenCV camera frame (x right, y down, z forward, the body facing the
 *   camera); a Motion's is y up, facing +z. The half turn about x, C·(x, y, z) = (x, −y, −z), maps
 *   one onto the other (a body facing the camera then faces +z): root `R' = C·R`, and since the
 *   root turns about the rest pelvis p, `t' = C·(t + p) − p` (as the AMASS conversion).
 * - Ground and origin: the clip's lowest body point (over all frames) is put on y = 0 and the
 *   pelvis's mean ground position on x = z = 0, so the motion stands on the floor where any other
 *   motion stands, whatever the camera's distance.
 * - Time: frames come at their timestamps (seconds in the video), which need not be even (frames
 *   without a person are dropped); the motion is resampled at an even rate, the same number of
 *   frames over the same span, each pose slerped per joint between the two frames around it.
 *   Without timestamps the frames are taken as FALLBACK_FPS apart.
 */
import type { BodyModel } from '../body/types.js';
import { AvatarInputError, describeValue } from '../errors.js';
import { axisAngleFromQuat, multiplyQuat, quatAboutAxis, quatFromAxisAngle, rotateVec, slerpQuat } from '../motion/rotations.js';
import type { Motion } from '../motion/types.js';

/** Frame rate assumed when the frames carry no timestamps. */
export const FALLBACK_FPS = 10;

/** Frame times in seconds: the timestamps when every frame has one and they increase, else i / FALLBACK_FPS. */
function frameTimes(times: readonly (number | undefined)[]): number[] {
  const given = times.every((t, i) => typeof t === 'number' && Number.isFinite(t) && (i === 0 || t > times[i - 1]!));
  return times.map((t, i) => (given ? t! : i / FALLBACK_FPS));
}

/**
 * The fit's per-frame `poses` (72 numbers each, camera frame) and `trans` (3, metres) at `times`
 * (seconds, per frame) as a Motion (see the file comment). `body` and `betas` are the avatar's: they
 * give the rest pelvis and the lowest point for the ground.
 */
export function motionFromFit(
  body: BodyModel, betas: ArrayLike<number> | undefined, poses: readonly ArrayLike<number>[], trans: readonly ArrayLike<number>[],
  times: readonly (number | undefined)[],
): Motion {
  const n = poses.length;
  if (n < 1 || trans.length !== n || times.length !== n) {
    throw new AvatarInputError(`fit: expected as many poses, translations and times (≥ 1), got ${n}, ${trans.length} and ${times.length}`);
  }
  poses.forEach((p, f) => {
    if (p.length !== 72) throw new AvatarInputError(`fit.poses[${f}]: expected 72 numbers, got ${describeValue(p)}`);
    if (trans[f].length !== 3) throw new AvatarInputError(`fit.trans[${f}]: expected 3 numbers, got ${describeValue(trans[f])}`);
  });
  const t = frameTimes(times);
  const span = t[n - 1] - t[0];
  const fps = n > 1 && span > 0 ? (n - 1) / span : FALLBACK_FPS;
  const pelvis = body.forward({ pose: new Float32Array(72), betas }).joints.subarray(0, 3);
  const half = quatAboutAxis(new Float64Array(4), 0, Math.PI); // camera frame → y up
  const out: Motion = { fps, frameCount: n, poses: new Float32Array(n * 72), trans: new Float32Array(n * 3), source: 'json' };
  const qa = new Float64Array(4);
  const qb = new Float64Array(4);
  const q = new Float64Array(4);
  const moved = new Float64Array(3);
  let i = 0;
  for (let k = 0; k < n; k++) {
    // Even time k / fps after the first frame; the frames i, i + 1 around it and the blend w between them.
    const time = t[0] + (n > 1 ? (k * span) / (n - 1) : 0);
    while (i < n - 2 && t[i + 1] <= time) i++;
    const j = Math.min(i + 1, n - 1);
    const w = j === i ? 0 : Math.min(1, Math.max(0, (time - t[i]) / (t[j] - t[i])));
    for (let joint = 0; joint < 24; joint++) {
      slerpQuat(q, quatFromAxisAngle(qa, poses[i], joint * 3), quatFromAxisAngle(qb, poses[j], joint * 3), w);
      if (joint === 0) multiplyQuat(q, half, q);
      axisAngleFromQuat(out.poses, k * 72 + joint * 3, q);
    }
    const tr = [0, 1, 2].map((c) => trans[i][c] * (1 - w) + trans[j][c] * w + pelvis[c]);
    rotateVec(moved, tr, half);
    for (let c = 0; c < 3; c++) out.trans[k * 3 + c] = moved[c] - pelvis[c];
  }
  // Ground at y = 0 (the lowest point over the clip), the pelvis's mean ground position at the origin.
  let lowest = Infinity;
  const mean = [0, 0];
  for (let k = 0; k < n; k++) {
    const { vertices, joints } = body.forward({ pose: out.poses.subarray(k * 72, k * 72 + 72), trans: out.trans.subarray(k * 3, k * 3 + 3), betas });
    for (let v = 1; v < vertices.length; v += 3) lowest = Math.min(lowest, vertices[v]);
    mean[0] += joints[0] / n;
    mean[1] += joints[2] / n;
  }
  for (let k = 0; k < n; k++) {
    out.trans[k * 3] -= mean[0];
    out.trans[k * 3 + 1] -= lowest;
    out.trans[k * 3 + 2] -= mean[1];
  }
  return out;
}
