/**
 * Pose of a motion at any time: per-joint quaternion slerp (shortest path) between the two
 * neighbouring frames, linear interpolation of the translation.
 */
import { AvatarInputError, describeValue } from '../errors.js';
import { axisAngleFromQuat, quatFromAxisAngle, slerpQuat } from './rotations.js';
import type { Motion, MotionSample } from './types.js';
import { checkMotionShape } from './validate-motion.js';

export interface SampleMotionOptions {
  /**
   * Treat the motion as a cycle: time wraps modulo `frameCount / fps` and the last frame blends
   * into the first. Default false: time is clamped to [0, duration].
   */
  loop?: boolean;
}

/** Duration in seconds: `(frameCount − 1) / fps`, the time of the last frame (0 for one frame). */
export function motionDuration(motion: Motion): number {
  checkMotionShape(motion);
  return (motion.frameCount - 1) / motion.fps;
}

const qa = new Float64Array(4);
const qb = new Float64Array(4);
const qt = new Float64Array(4);

/**
 * The pose at `timeSeconds` (frame f sits at time f / fps). Without `loop`, times before 0 give
 * frame 0 and times after the duration give the last frame. At a frame's exact time the result
 * is that frame's values, bit for bit. Returns fresh arrays: pose Float32Array(72) (24 joints ×
 * axis-angle, radians, root first) and trans Float32Array(3) (metres).
 */
export function sampleMotion(motion: Motion, timeSeconds: number, options: SampleMotionOptions = {}): MotionSample {
  checkMotionShape(motion);
  if (typeof timeSeconds !== 'number' || !Number.isFinite(timeSeconds)) {
    throw new AvatarInputError(`timeSeconds: expected a finite number, got ${describeValue(timeSeconds)}`);
  }
  const frames = motion.frameCount;
  let position = timeSeconds * motion.fps; // in frames
  // f / fps · fps can land a hair off f (7 / 30 · 30 = 7.000000000000001): snap so frames come back exactly.
  const nearest = Math.round(position);
  if (Math.abs(position - nearest) < 1e-6) position = nearest;
  let i0: number;
  let i1: number;
  let t: number;
  if (options.loop) {
    position = ((position % frames) + frames) % frames;
    i0 = Math.min(Math.floor(position), frames - 1);
    i1 = (i0 + 1) % frames;
    t = position - i0;
  } else {
    position = Math.min(Math.max(position, 0), frames - 1);
    i0 = Math.min(Math.floor(position), frames - 1);
    i1 = Math.min(i0 + 1, frames - 1);
    t = position - i0;
  }
  const pose = new Float32Array(72);
  const trans = new Float32Array(3);
  const { poses } = motion;
  if (t === 0 || i0 === i1) {
    pose.set(poses.subarray(i0 * 72, i0 * 72 + 72));
    trans.set(motion.trans.subarray(i0 * 3, i0 * 3 + 3));
    return { pose, trans };
  }
  for (let j = 0; j < 24; j++) {
    quatFromAxisAngle(qa, poses, i0 * 72 + j * 3);
    quatFromAxisAngle(qb, poses, i1 * 72 + j * 3);
    slerpQuat(qt, qa, qb, t);
    axisAngleFromQuat(pose, j * 3, qt);
  }
  for (let c = 0; c < 3; c++) {
    const a = motion.trans[i0 * 3 + c];
    trans[c] = a + (motion.trans[i1 * 3 + c] - a) * t;
  }
  return { pose, trans };
}
