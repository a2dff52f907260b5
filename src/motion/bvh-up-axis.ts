/**
 * The up axis of a BVH world. Most BVH files are y up, but exporters from z-up tools (Blender,
 * 3ds Max, some mocap suites) write z-up rigs: their spine offsets run along +z. Such a rig is
 * detected from its rest skeleton (feet → head direction) and turned into the body's y-up world
 * by the rotation of −90° about x, R·(x, y, z) = (x, z, −y) — the same turn as AMASS's z-up → y-up.
 */
import { AvatarInputError, describeValue } from '../errors.js';
import type { ResolvedMap } from './bvh-rig-maps.js';
import { identityQuat, quatAboutAxis } from './rotations.js';
import type { ParseMotionOptions } from './types.js';

export type BvhUpAxis = 'y' | 'z';

/** SMPL joints tried, in order, for the top (head, neck, spine3…) and the bottom (ankles, knees, hips) of the rig. */
const TOP_JOINTS = [15, 12, 9, 6, 3];
const BOTTOM_PAIRS = [[7, 8], [4, 5], [1, 2]];

/**
 * The rig's up axis from its rest joint positions (`rest`: BVH joints × 3, file units): the axis along
 * which the feet → head direction mostly runs. `'z'` only when that is +z; anything else stays y up.
 */
export function detectBvhUpAxis(map: ResolvedMap, rest: ArrayLike<number>): BvhUpAxis {
  const at = (j: number, c: number): number => rest[map.get(j)! * 3 + c];
  const top = TOP_JOINTS.find((j) => map.has(j)) ?? 0;
  const pair = BOTTOM_PAIRS.find(([l, r]) => map.has(l) && map.has(r));
  const bottom = (c: number): number => (pair ? (at(pair[0], c) + at(pair[1], c)) / 2 : at(0, c));
  const up = [0, 1, 2].map((c) => at(top, c) - bottom(c));
  const [x, y, z] = up.map(Math.abs);
  return up[2] > 0 && z > y && z > x ? 'z' : 'y';
}

/** The up axis to use: `options.upAxis` ('y' | 'z'), or detected for 'auto' / left out. */
export function resolveBvhUpAxis(options: ParseMotionOptions, map: ResolvedMap, rest: ArrayLike<number>): BvhUpAxis {
  const u = options.upAxis;
  if (u === 'y' || u === 'z') return u;
  if (u === undefined || u === 'auto') return detectBvhUpAxis(map, rest);
  throw new AvatarInputError(`options.upAxis: expected 'y', 'z' or 'auto', got ${describeValue(u)}`);
}

/** The rotation (quaternion x, y, z, w) from a BVH world with this up axis into the y-up world. */
export function toYUpQuat(axis: BvhUpAxis): Float64Array {
  return axis === 'z' ? quatAboutAxis(new Float64Array(4), 0, -Math.PI / 2) : identityQuat();
}
