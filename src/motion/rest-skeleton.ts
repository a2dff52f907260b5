/**
 * The target body's rest skeleton as the motion converters need it: the pelvis position (for exact
 * root-translation conversion) and the 24 T-pose joint positions (for BVH bone directions).
 */
import { AvatarInputError, describeValue } from '../errors.js';
import { SMPL_PARENTS, type ParseMotionOptions } from './types.js';

/**
 * Each joint's rest offset from its parent (metres): the package's default body's T-pose skeleton,
 * rounded to the centimetre and made symmetric.
 */
const NOMINAL_OFFSETS: readonly (readonly [number, number, number])[] = [
  [0, 0, 0], // pelvis (at the origin, like the default body)
  [0.1, -0.01, -0.01], // left_hip
  [-0.1, -0.01, -0.01], // right_hip
  [0, 0.08, -0.04], // spine1
  [0, -0.39, 0.02], // left_knee
  [0, -0.39, 0.02], // right_knee
  [0, 0.07, 0.02], // spine2
  [0, -0.41, -0.02], // left_ankle
  [0, -0.41, -0.02], // right_ankle
  [0, 0.08, 0], // spine3
  [0.01, -0.06, 0.12], // left_foot (toes)
  [-0.01, -0.06, 0.12], // right_foot
  [0, 0.32, 0.01], // neck
  [0.02, 0.25, 0.03], // left_collar
  [-0.02, 0.25, 0.03], // right_collar
  [0, 0.1, 0.04], // head
  [0.15, -0.02, 0], // left_shoulder
  [-0.15, -0.02, 0], // right_shoulder
  [0.24, 0, 0], // left_elbow
  [-0.24, 0, 0], // right_elbow
  [0.24, 0, 0], // left_wrist
  [-0.24, 0, 0], // right_wrist
  [0.1, 0, 0], // left_hand
  [-0.1, 0, 0], // right_hand
];

/**
 * A nominal T-pose skeleton: 24×3 joint positions in metres (SMPL order, pelvis at the origin,
 * y up, facing +z, arms along ±x, legs down, feet forward), the default body's proportions. Used
 * for BVH retargeting when the caller gives no `restJoints` (pass them for other bodies, e.g.
 * SMPL's, whose pelvis sits higher between the hips).
 */
export const NOMINAL_SMPL_REST_JOINTS: Float32Array = (() => {
  const out = new Float32Array(72);
  for (let j = 0; j < 24; j++) {
    const p = SMPL_PARENTS[j];
    for (let c = 0; c < 3; c++) out[j * 3 + c] = (p < 0 ? 0 : out[p * 3 + c]) + NOMINAL_OFFSETS[j][c];
  }
  return out;
})();

function finiteList(value: unknown, length: number, field: string): Float64Array {
  const ok =
    (Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView))) &&
    (value as ArrayLike<unknown>).length === length;
  if (!ok) throw new AvatarInputError(`${field}: expected ${length} finite numbers, got ${describeValue(value)}`);
  const out = new Float64Array(length);
  for (let i = 0; i < length; i++) {
    const v = (value as ArrayLike<unknown>)[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new AvatarInputError(`${field}: expected ${length} finite numbers, element ${i} is ${describeValue(v)}`);
    }
    out[i] = v;
  }
  return out;
}

/** The 24×3 rest joints from `options.restJoints`, or the nominal skeleton (f64 copy). */
export function readRestJoints(options: ParseMotionOptions): Float64Array {
  if (options.restJoints === undefined) return Float64Array.from(NOMINAL_SMPL_REST_JOINTS);
  return finiteList(options.restJoints, 72, 'options.restJoints');
}

/** The rest pelvis position: `options.pelvis`, else `restJoints`' joint 0, else (0, 0, 0). */
export function readPelvis(options: ParseMotionOptions): Float64Array {
  if (options.pelvis !== undefined) return finiteList(options.pelvis, 3, 'options.pelvis');
  if (options.restJoints !== undefined) return readRestJoints(options).slice(0, 3);
  return new Float64Array(3);
}
