/**
 * Motion types. A `Motion` is always in the body's convention: 24 SMPL joints, local axis-angle
 * rotations (radians, root first, SMPL joint order), y up, metres, body facing +z at zero root
 * rotation, its left +x, zero pose = T-pose.
 */
import type { InputLimits } from '../io/input-limits.js';

/** Where a motion was read from. */
export type MotionSource = 'amass-npz' | 'bvh' | 'json';

/** A sequence of SMPL poses at a fixed frame rate. */
export interface Motion {
  /** Frames per second (> 0). */
  fps: number;
  /** Number of frames F (≥ 1). */
  frameCount: number;
  /**
   * Per-frame joint rotations, F×72 row-major: frame f, SMPL joint j, axis-angle component c at
   * index `f*72 + j*3 + c`. Each joint's rotation is relative to its parent (SMPL's local
   * convention); joint 0 is the global root orientation.
   */
  poses: Float32Array;
  /**
   * Per-frame global translation in metres, F×3 row-major (SMPL's `trans`: added after the body is
   * posed, so the pelvis joint lies at `restPelvis + trans`).
   */
  trans: Float32Array;
  /** Shape coefficients carried by the file (AMASS `betas`, any length), when present. */
  betas?: Float32Array;
  /** The format the motion was read from. */
  source: MotionSource;
}

/** One sampled pose of a motion. */
export interface MotionSample {
  /** 24×3 local axis-angle rotations, radians, root first (72 floats). */
  pose: Float32Array;
  /** Global translation, metres (3 floats). */
  trans: Float32Array;
}

/** SMPL joint names in SMPL order (index = joint number). */
export const SMPL_JOINT_NAMES = [
  'pelvis',
  'left_hip',
  'right_hip',
  'spine1',
  'left_knee',
  'right_knee',
  'spine2',
  'left_ankle',
  'right_ankle',
  'spine3',
  'left_foot',
  'right_foot',
  'neck',
  'left_collar',
  'right_collar',
  'head',
  'left_shoulder',
  'right_shoulder',
  'left_elbow',
  'right_elbow',
  'left_wrist',
  'right_wrist',
  'left_hand',
  'right_hand',
] as const;

export type SmplJointName = (typeof SMPL_JOINT_NAMES)[number];

/** SMPL's kinematic tree: parent of each joint, −1 for the root. */
export const SMPL_PARENTS: readonly number[] = [
  -1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19, 20, 21,
];

/**
 * Which BVH joint drives each SMPL joint: SMPL joint name → BVH joint name (exactly as in the
 * file's HIERARCHY, or without its `namespace:` prefix). SMPL joints left out follow their parent
 * (identity local rotation). `pelvis` is required.
 */
export type BvhJointMap = Partial<Record<SmplJointName, string>>;

/** Options of `parseMotion`. Every option is optional. */
export interface ParseMotionOptions {
  /** The file's format; detected from the content when left out (zip magic → npz, `HIERARCHY` → bvh, `{` → json). */
  format?: 'npz' | 'bvh' | 'json';
  /** Frame rate to use when the file carries none (an npz without `mocap_framerate`). Ignored otherwise. */
  fps?: number;
  /**
   * Rest (T-pose) position of the target body's pelvis joint, metres, 3 floats. Used to convert root
   * translations exactly (AMASS z-up → y-up; BVH hips position → SMPL `trans`). Default: taken from
   * `restJoints` when given, else (0, 0, 0) — the default body's pelvis sits at the origin.
   */
  pelvis?: ArrayLike<number>;
  /**
   * Rest (T-pose) joint positions of the target body, 24×3 floats, metres, SMPL order (e.g.
   * `body.forward({ pose: zeros }).joints`). BVH retargeting aligns bone directions to these.
   * Default: a nominal T-pose skeleton with the default body's proportions (`NOMINAL_SMPL_REST_JOINTS`).
   */
  restJoints?: ArrayLike<number>;
  /** BVH joint map: a built-in rig (`'cmu'`, `'mixamo'`) or your own. Default: detected from the joint names. */
  bvhMap?: 'cmu' | 'mixamo' | BvhJointMap;
  /** BVH length unit in metres (0.01 for cm, 0.0254 for inches, …). Default: detected from the skeleton's size. */
  unitScale?: number;
  /**
   * BVH only: the up axis of the file's world. `'z'` turns a z-up rig (spine offsets along +z, as
   * z-up tools export) into the body's y-up world (−90° about x: (x, y, z) → (x, z, −y)); `'y'`
   * takes the world as it is. Default `'auto'`: z when the rest skeleton's feet → head direction
   * runs mostly along +z, else y.
   */
  upAxis?: 'y' | 'z' | 'auto';
  /**
   * AMASS SMPL-H / SMPL-X only: what SMPL's hand joints 22/23 get. `'zero'` (default): no rotation
   * (flat hand). `'middle-finger'`: the rotation of the middle finger's base joint (left_middle1 /
   * right_middle1), whose parent is the wrist like SMPL's hand joint, so the hand curls with it.
   */
  hands?: 'zero' | 'middle-finger';
  /**
   * Input limits (src/io/input-limits.ts): `maxMotionBytes` (the file, default 64 MiB),
   * `maxMotionFrames` (default 100 000, checked on the declared count before frames are allocated)
   * and, for `.npz`, `maxEntryBytes` / `maxInflatedBytes`. Over a limit → InputTooLargeError.
   */
  limits?: InputLimits;
}
