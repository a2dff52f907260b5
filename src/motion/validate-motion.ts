/**
 * Checks that a value handed to the motion API is a well-formed `Motion` (AvatarInputError naming
 * the field otherwise). `sampleMotion` runs the cheap shape checks on every call; `saveMotion`
 * also scans every value for NaN/Infinity.
 */
import { AvatarInputError, describeValue } from '../errors.js';
import type { Motion } from './types.js';

/** Shape and type checks: O(1), no scan of the values. */
export function checkMotionShape(motion: unknown, label = 'motion'): asserts motion is Motion {
  if (typeof motion !== 'object' || motion === null) {
    throw new AvatarInputError(`${label}: expected a Motion object, got ${describeValue(motion)}`);
  }
  const m = motion as Partial<Motion>;
  if (typeof m.fps !== 'number' || !Number.isFinite(m.fps) || m.fps <= 0) {
    throw new AvatarInputError(`${label}.fps: expected a finite number > 0, got ${describeValue(m.fps)}`);
  }
  const f = m.frameCount;
  if (typeof f !== 'number' || !Number.isInteger(f) || f < 1) {
    throw new AvatarInputError(`${label}.frameCount: expected an integer ≥ 1, got ${describeValue(f)}`);
  }
  if (!(m.poses instanceof Float32Array) || m.poses.length !== f * 72) {
    throw new AvatarInputError(
      `${label}.poses: expected Float32Array(frameCount×72 = ${f * 72}), got ${describeValue(m.poses)}`,
    );
  }
  if (!(m.trans instanceof Float32Array) || m.trans.length !== f * 3) {
    throw new AvatarInputError(
      `${label}.trans: expected Float32Array(frameCount×3 = ${f * 3}), got ${describeValue(m.trans)}`,
    );
  }
  if (m.betas !== undefined && !(m.betas instanceof Float32Array)) {
    throw new AvatarInputError(`${label}.betas: expected a Float32Array or undefined, got ${describeValue(m.betas)}`);
  }
}

/** Shape checks plus a scan of every value for NaN/±Infinity. */
export function checkMotion(motion: unknown, label = 'motion'): asserts motion is Motion {
  checkMotionShape(motion, label);
  for (const field of ['poses', 'trans', 'betas'] as const) {
    const values = motion[field];
    if (!values) continue;
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i])) {
        throw new AvatarInputError(`${label}.${field}: expected finite numbers, element ${i} is ${values[i]}`);
      }
    }
  }
}
