/**
 * AMASS motions as distributed (`.npz`): SMPL-H (`poses` F×156), SMPL-X (F×165) or SMPL (F×72)
 * axis-angles, `trans` F×3, `mocap_framerate` / `mocap_frame_rate`, `betas`; z up. Converted to the
 * body's convention: 24 SMPL joints, y up. See docs/motion-format.md for the conversion.
 */
import { AvatarFormatError } from '../errors.js';
import { describeNpy, isNumericNpy, npyToFloat64 } from '../io/npy-arrays.js';
import { checkInputSize, DEFAULT_INPUT_LIMITS, type InputLimits } from '../io/input-limits.js';
import { readNpz, type NpyArray } from '../io/npz.js';
import { axisAngleFromQuat, multiplyQuat, quatFromAxisAngle } from './rotations.js';
import type { Motion, ParseMotionOptions } from './types.js';
import { readPelvis } from './rest-skeleton.js';

/** The npz fields this reader looks at; every other entry is left unread (strings, pickles, …). */
const FIELDS = ['poses', 'trans', 'betas', 'mocap_framerate', 'mocap_frame_rate', 'root_orient', 'pose_body', 'pose_hand'];

/** Joints per pose row → which joint holds the left / right middle-finger base (SMPL-H, SMPL-X). */
const LAYOUTS: Record<number, { name: string; leftMiddle1?: number; rightMiddle1?: number }> = {
  22: { name: 'SMPL body (22 joints)' },
  24: { name: 'SMPL' },
  52: { name: 'SMPL-H', leftMiddle1: 25, rightMiddle1: 40 },
  55: { name: 'SMPL-X', leftMiddle1: 28, rightMiddle1: 43 },
};

/** z up → y up: a rotation of −90° about x, as a quaternion (x, y, z, w). Maps (x, y, z) to (x, z, −y). */
const Z_UP_TO_Y_UP = new Float64Array([-Math.SQRT1_2, 0, 0, Math.SQRT1_2]);

function finiteValues(array: NpyArray, field: string): Float64Array {
  if (!isNumericNpy(array)) {
    throw new AvatarFormatError(`${field}: expected a float array, got ${describeNpy(array)} (strings)`);
  }
  const values = npyToFloat64(array, field);
  for (let i = 0; i < values.length; i++) {
    // Finite as float32 too: the Motion holds float32.
    if (!Number.isFinite(Math.fround(values[i]))) {
      throw new AvatarFormatError(`${field}: expected finite float32 numbers, element ${i} is ${values[i]}`);
    }
  }
  return values;
}

/** Reads the pose table as F rows of 3·J numbers with J one of LAYOUTS' joint counts. */
function readPoses(arrays: Map<string, NpyArray>, limits: Required<InputLimits>): { values: Float64Array; frames: number; joints: number } {
  const poses = arrays.get('poses');
  if (poses) {
    const s = poses.shape;
    let frames: number;
    let width: number;
    if (s.length === 2) [frames, width] = s;
    else if (s.length === 3 && s[2] === 3) [frames, width] = [s[0], s[1] * 3];
    else frames = width = -1;
    if (frames < 1 || !(width / 3 in LAYOUTS)) {
      throw new AvatarFormatError(
        `motion.poses: expected F×72 (SMPL), F×156 (SMPL-H) or F×165 (SMPL-X) floats with F ≥ 1, got ${describeNpy(poses)}`,
      );
    }
    checkInputSize('motion.poses', frames, limits, 'maxMotionFrames', 'frames');
    return { values: finiteValues(poses, 'motion.poses'), frames, joints: width / 3 };
  }
  // AMASS "SMPL-X N"-style split fields: root_orient F×3, pose_body F×63, optional pose_hand F×90.
  const root = arrays.get('root_orient');
  const body = arrays.get('pose_body');
  if (!root || !body) {
    throw new AvatarFormatError('motion.poses: expected a `poses` array (or `root_orient` + `pose_body`), found neither');
  }
  const frames = root.shape[0];
  if (root.shape.length !== 2 || root.shape[1] !== 3 || !(frames >= 1)) {
    throw new AvatarFormatError(`motion.root_orient: expected F×3 floats with F ≥ 1, got ${describeNpy(root)}`);
  }
  checkInputSize('motion.root_orient', frames, limits, 'maxMotionFrames', 'frames');
  if (body.shape.length !== 2 || body.shape[0] !== frames || body.shape[1] !== 63) {
    throw new AvatarFormatError(`motion.pose_body: expected ${frames}×63 floats, got ${describeNpy(body)}`);
  }
  const hand = arrays.get('pose_hand');
  if (hand && (hand.shape.length !== 2 || hand.shape[0] !== frames || hand.shape[1] !== 90)) {
    throw new AvatarFormatError(`motion.pose_hand: expected ${frames}×90 floats, got ${describeNpy(hand)}`);
  }
  const r = finiteValues(root, 'motion.root_orient');
  const b = finiteValues(body, 'motion.pose_body');
  const h = hand ? finiteValues(hand, 'motion.pose_hand') : undefined;
  const joints = h ? 52 : 22;
  const values = new Float64Array(frames * joints * 3);
  for (let f = 0; f < frames; f++) {
    const row = f * joints * 3;
    values.set(r.subarray(f * 3, f * 3 + 3), row);
    values.set(b.subarray(f * 63, f * 63 + 63), row + 3);
    if (h) values.set(h.subarray(f * 90, f * 90 + 90), row + 66);
  }
  return { values, frames, joints };
}

function readFps(arrays: Map<string, NpyArray>, fallback: number | undefined): number {
  for (const field of ['mocap_framerate', 'mocap_frame_rate']) {
    const a = arrays.get(field);
    if (!a) continue;
    const v = finiteValues(a, `motion.${field}`);
    if (v.length !== 1 || !(v[0] > 0)) {
      throw new AvatarFormatError(`motion.${field}: expected one number > 0, got ${describeNpy(a)}${v.length === 1 ? ` = ${v[0]}` : ''}`);
    }
    return v[0];
  }
  if (fallback !== undefined) return fallback;
  throw new AvatarFormatError('motion.mocap_framerate: the npz has no frame rate (mocap_framerate or mocap_frame_rate); pass options.fps');
}

/**
 * Converts the arrays of an AMASS npz (as `readNpz` returns them) into a Motion. Exported for
 * callers that already hold the arrays.
 */
export function motionFromAmassArrays(
  arrays: Map<string, NpyArray>,
  options: ParseMotionOptions = {},
  limits: Required<InputLimits> = DEFAULT_INPUT_LIMITS,
): Motion {
  const { values, frames, joints } = readPoses(arrays, limits);
  const fps = readFps(arrays, options.fps);
  const width = joints * 3;

  let trans: Float64Array;
  const transArray = arrays.get('trans');
  if (transArray) {
    const s = transArray.shape;
    if (s.length !== 2 || s[0] !== frames || s[1] !== 3) {
      throw new AvatarFormatError(`motion.trans: expected ${frames}×3 floats (one row per pose), got ${describeNpy(transArray)}`);
    }
    trans = finiteValues(transArray, 'motion.trans');
  } else {
    trans = new Float64Array(frames * 3);
  }

  let betas: Float32Array | undefined;
  const betasArray = arrays.get('betas');
  if (betasArray) betas = Float32Array.from(finiteValues(betasArray, 'motion.betas'));

  const pelvis = readPelvis(options);
  const layout = LAYOUTS[joints];
  const useFingers = options.hands === 'middle-finger' && layout.leftMiddle1 !== undefined;

  const poses = new Float32Array(frames * 72);
  const trans32 = new Float32Array(frames * 3);
  const root = new Float64Array(4);
  const rotated = new Float64Array(4);
  for (let f = 0; f < frames; f++) {
    const src = f * width;
    const dst = f * 72;
    // Body joints 0…21 are the same joints in SMPL, SMPL-H and SMPL-X; 22/23 differ (see LAYOUTS).
    for (let i = 3; i < Math.min(width, 72); i++) poses[dst + i] = values[src + i];
    if (joints !== 24) {
      for (let i = 66; i < 72; i++) poses[dst + i] = 0;
      if (useFingers) {
        for (let c = 0; c < 3; c++) {
          poses[dst + 66 + c] = values[src + layout.leftMiddle1! * 3 + c];
          poses[dst + 69 + c] = values[src + layout.rightMiddle1! * 3 + c];
        }
      }
    }
    // Root orientation: R · R_root.
    quatFromAxisAngle(root, values, src);
    multiplyQuat(rotated, Z_UP_TO_Y_UP, root);
    axisAngleFromQuat(poses, dst, rotated);
    // The root rotates about the pelvis p, and trans is added after: world = R_root(x − p) + p + t.
    // Rotating everything by R keeps the body exactly when t' = R(t + p) − p; R(x, y, z) = (x, z, −y).
    const x = trans[f * 3] + pelvis[0];
    const y = trans[f * 3 + 1] + pelvis[1];
    const z = trans[f * 3 + 2] + pelvis[2];
    trans32[f * 3] = x - pelvis[0];
    trans32[f * 3 + 1] = z - pelvis[1];
    trans32[f * 3 + 2] = 0 - y - pelvis[2]; // 0 − y, not −y: no negative zeros
  }
  const motion: Motion = { fps, frameCount: frames, poses, trans: trans32, source: 'amass-npz' };
  if (betas) motion.betas = betas;
  return motion;
}

/**
 * Reads an AMASS `.npz` (zip of .npy) into a Motion. Only the fields above are inflated, within
 * `limits` (entry sizes; the frame count before the poses are converted).
 */
export function parseAmassNpz(bytes: Uint8Array, options: ParseMotionOptions = {}, limits: Required<InputLimits> = DEFAULT_INPUT_LIMITS): Motion {
  return motionFromAmassArrays(readNpz(bytes, { only: FIELDS, limits }), options, limits);
}
