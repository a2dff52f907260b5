/**
 * Built-in BVH joint maps (SMPL joint → candidate BVH joint names, first present wins) for the CMU
 * motion-capture rig (as in the widely used BVH conversions of the CMU database) and the Mixamo
 * rig, and detection of which one a file uses. Names are compared without any `namespace:` prefix
 * (`mixamorig:Hips`, `mixamorig1:Hips` and `Hips` all match `Hips`) and case-insensitively.
 */
import { AvatarFormatError, AvatarInputError, describeValue } from '../errors.js';
import { SMPL_JOINT_NAMES, type BvhJointMap, type SmplJointName } from './types.js';

type RigMap = Partial<Record<SmplJointName, readonly string[]>>;

/** Arms and legs are named alike in both rigs. */
const LIMBS: RigMap = {
  left_hip: ['LeftUpLeg'],
  right_hip: ['RightUpLeg'],
  left_knee: ['LeftLeg'],
  right_knee: ['RightLeg'],
  left_ankle: ['LeftFoot'],
  right_ankle: ['RightFoot'],
  left_foot: ['LeftToeBase'],
  right_foot: ['RightToeBase'],
  left_collar: ['LeftShoulder'],
  right_collar: ['RightShoulder'],
  left_shoulder: ['LeftArm'],
  right_shoulder: ['RightArm'],
  left_elbow: ['LeftForeArm'],
  right_elbow: ['RightForeArm'],
  left_wrist: ['LeftHand'],
  right_wrist: ['RightHand'],
};

/** CMU: Hips → LowerBack → Spine → Spine1 → Neck → Neck1 → Head; hips via L/RHipJoint. */
export const CMU_RIG: RigMap = {
  pelvis: ['Hips'],
  spine1: ['LowerBack'],
  spine2: ['Spine'],
  spine3: ['Spine1'],
  neck: ['Neck'],
  head: ['Head'],
  ...LIMBS,
  left_hand: ['LeftFingerBase', 'LeftHandIndex1'],
  right_hand: ['RightFingerBase', 'RightHandIndex1'],
};

/** Mixamo: Hips → Spine → Spine1 → Spine2 → Neck → Head; fingers LeftHandMiddle1 … */
export const MIXAMO_RIG: RigMap = {
  pelvis: ['Hips'],
  spine1: ['Spine'],
  spine2: ['Spine1'],
  spine3: ['Spine2'],
  neck: ['Neck'],
  head: ['Head'],
  ...LIMBS,
  left_hand: ['LeftHandMiddle1'],
  right_hand: ['RightHandMiddle1'],
};

const RIGS = { cmu: CMU_RIG, mixamo: MIXAMO_RIG } as const;

/** A joint name without its `namespace:` prefix, lower case. */
function bareName(name: string): string {
  return name.slice(name.lastIndexOf(':') + 1).trim().toLowerCase();
}

/** SMPL joint index → BVH joint index, for the joints that map. */
export type ResolvedMap = Map<number, number>;

function resolveRig(rig: RigMap, names: readonly string[]): ResolvedMap {
  const index = new Map<string, number>();
  names.forEach((n, i) => {
    const key = bareName(n);
    if (!index.has(key)) index.set(key, i);
  });
  const out: ResolvedMap = new Map();
  SMPL_JOINT_NAMES.forEach((smpl, j) => {
    for (const candidate of rig[smpl] ?? []) {
      const b = index.get(candidate.toLowerCase());
      if (b !== undefined) {
        out.set(j, b);
        break;
      }
    }
  });
  return out;
}

function resolveUserMap(map: BvhJointMap, names: readonly string[]): ResolvedMap {
  const out: ResolvedMap = new Map();
  for (const [smpl, bvh] of Object.entries(map)) {
    const j = (SMPL_JOINT_NAMES as readonly string[]).indexOf(smpl);
    if (j < 0) {
      throw new AvatarInputError(`options.bvhMap: "${smpl}" is not an SMPL joint name (expected one of ${SMPL_JOINT_NAMES.join(', ')})`);
    }
    if (bvh === undefined) continue;
    if (typeof bvh !== 'string') {
      throw new AvatarInputError(`options.bvhMap.${smpl}: expected a BVH joint name, got ${describeValue(bvh)}`);
    }
    let b = names.indexOf(bvh);
    if (b < 0) b = names.findIndex((n) => bareName(n) === bareName(bvh));
    if (b < 0) throw new AvatarFormatError(`bvh: options.bvhMap.${smpl} names joint "${bvh}", which the file does not have`);
    out.set(j, b);
  }
  return out;
}

/**
 * SMPL joint → BVH joint for a file's joint names: from the user's map, a named built-in rig, or
 * the built-in rig that matches the most names. The pelvis must map; a detected rig must also
 * map both hips and both shoulders.
 */
export function resolveBvhMap(names: readonly string[], map: 'cmu' | 'mixamo' | BvhJointMap | undefined): ResolvedMap {
  let resolved: ResolvedMap;
  if (map === undefined) {
    const candidates = Object.values(RIGS).map((rig) => resolveRig(rig, names));
    resolved = candidates.reduce((best, c) => (c.size > best.size ? c : best));
    const required = [0, 1, 2, 16, 17];
    if (!required.every((j) => resolved.has(j))) {
      throw new AvatarFormatError(
        `bvh: the joint names (${names.slice(0, 8).join(', ')}${names.length > 8 ? ', …' : ''}) match neither the CMU nor the Mixamo rig; pass options.bvhMap`,
      );
    }
  } else if (map === 'cmu' || map === 'mixamo') {
    resolved = resolveRig(RIGS[map], names);
  } else if (typeof map === 'object' && map !== null && !Array.isArray(map)) {
    resolved = resolveUserMap(map, names);
  } else {
    throw new AvatarInputError(`options.bvhMap: expected 'cmu', 'mixamo' or an object of SMPL → BVH joint names, got ${describeValue(map)}`);
  }
  if (!resolved.has(0)) throw new AvatarFormatError('bvh: no joint maps to the SMPL pelvis (expected "Hips" or options.bvhMap.pelvis)');
  return resolved;
}
