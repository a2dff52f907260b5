/**
 * BVH fixtures for the motion tests: skeleton descriptions of a CMU-style rig (CMU-database BVH
 * units, zero-length LHipJoint / LowerBack / LeftShoulder bones, legs splayed, Neck1 in between)
 * and a Mixamo-style rig (`mixamorig:` names, centimetres, T-pose or arms-down rest, optionally
 * facing −z, optionally 6 channels on every joint), either turned into a z-up world, and a writer
 * for real BVH text.
 */
export type Vec3 = [number, number, number];

export interface FixtureJoint {
  name: string;
  /** Parent joint name, null for the root. Parents are listed before children. */
  parent: string | null;
  offset: Vec3;
  /** Channel names in file order, e.g. ['Zrotation', 'Xrotation', 'Yrotation']. */
  channels: string[];
  endSite?: Vec3;
}

export type FixtureRig = FixtureJoint[];

const ROT_ZYX = ['Zrotation', 'Yrotation', 'Xrotation'];
const POS = ['Xposition', 'Yposition', 'Zposition'];

function mirror(joints: FixtureRig, from: string, to: string): FixtureRig {
  return joints.map((j) => ({
    ...j,
    name: j.name.replace(from, to),
    parent: j.parent && j.parent.replace(from, to),
    offset: [-j.offset[0], j.offset[1], j.offset[2]],
    endSite: j.endSite && [-j.endSite[0], j.endSite[1], j.endSite[2]],
  }));
}

/** A rig shaped like the CMU-database BVH conversions (units: inch/0.45, T-pose, ZYX channels). */
export function cmuRig(): FixtureRig {
  const j = (name: string, parent: string | null, offset: Vec3, endSite?: Vec3): FixtureJoint => ({
    name, parent, offset, channels: parent ? ROT_ZYX : [...POS, ...ROT_ZYX], ...(endSite ? { endSite } : {}),
  });
  const leftLeg = [
    j('LHipJoint', 'Hips', [0, 0, 0]),
    j('LeftUpLeg', 'LHipJoint', [1.36, -1.79, 0.84]),
    j('LeftLeg', 'LeftUpLeg', [2.45, -6.73, 0]),
    j('LeftFoot', 'LeftLeg', [2.56, -7.04, 0]),
    j('LeftToeBase', 'LeftFoot', [0.16, -0.43, 2.33], [0, 0, 1.18]),
  ];
  const leftArm = [
    j('LeftShoulder', 'Spine1', [0, 0, 0]),
    j('LeftArm', 'LeftShoulder', [3.36, 1.2, -0.31]),
    j('LeftForeArm', 'LeftArm', [4.98, 0, 0]),
    j('LeftHand', 'LeftForeArm', [3.48, 0, 0]),
    j('LeftFingerBase', 'LeftHand', [0.72, 0, 0]),
    j('LeftHandIndex1', 'LeftFingerBase', [0.61, 0, 0], [0.5, 0, 0]),
    j('LThumb', 'LeftHand', [0, 0, 0], [0.51, 0, 0.51]),
  ];
  return [
    j('Hips', null, [0, 0, 0]),
    ...leftLeg,
    ...mirror(leftLeg, 'Left', 'Right').map((x) => ({ ...x, name: x.name.replace('LHip', 'RHip'), parent: x.parent!.replace('LHip', 'RHip') })),
    j('LowerBack', 'Hips', [0, 0, 0]),
    j('Spine', 'LowerBack', [0.03, 2.04, -0.19]),
    j('Spine1', 'Spine', [0.06, 2.05, -0.04]),
    j('Neck', 'Spine1', [0, 0, 0]),
    j('Neck1', 'Neck', [-0.05, 1.75, 0.17]),
    j('Head', 'Neck1', [0.1, 1.76, -0.12], [0.02, 1.69, 0.0]),
    ...leftArm,
    ...mirror(leftArm, 'Left', 'Right').map((x) => ({ ...x, name: x.name.replace('LThumb', 'RThumb') })),
  ];
}

export interface MixamoOptions {
  /** Name prefix, default 'mixamorig:'. */
  prefix?: string;
  /** Rest pose of the arms: 'T' (along ±x, default) or 'down' (hanging along −y). */
  arms?: 'T' | 'down';
  /** Which way the rest pose faces, default '+z'. '-z' turns the whole rig 180° about y. */
  facing?: '+z' | '-z';
  /** Put 6 channels (positions + rotations) on every joint, as some exporters do. */
  sixChannels?: boolean;
  /** Rotation channel order for every joint, default Z X Y. */
  rotationOrder?: string[];
}

/** A rig named like Mixamo's (centimetres). */
export function mixamoRig(options: MixamoOptions = {}): FixtureRig {
  const prefix = options.prefix ?? 'mixamorig:';
  const rot = options.rotationOrder ?? ['Zrotation', 'Xrotation', 'Yrotation'];
  const down = options.arms === 'down';
  const j = (name: string, parent: string | null, offset: Vec3, endSite?: Vec3): FixtureJoint => ({
    name: prefix + name,
    parent: parent && prefix + parent,
    offset,
    channels: !parent || options.sixChannels ? [...POS, ...rot] : [...rot],
    ...(endSite ? { endSite } : {}),
  });
  const leftLeg = [
    j('LeftUpLeg', 'Hips', [9, -7, 0]),
    j('LeftLeg', 'LeftUpLeg', [0, -42, 0]),
    j('LeftFoot', 'LeftLeg', [0, -41, 0]),
    j('LeftToeBase', 'LeftFoot', [0, -6, 13], [0, 0, 7]),
  ];
  const leftArm = [
    j('LeftShoulder', 'Spine2', [6, 12, -1]),
    j('LeftArm', 'LeftShoulder', [12, 0, 0]),
    j('LeftForeArm', 'LeftArm', down ? [0, -28, 0] : [28, 0, 0]),
    j('LeftHand', 'LeftForeArm', down ? [0, -26, 0] : [26, 0, 0]),
    j('LeftHandMiddle1', 'LeftHand', down ? [0, -9, 0] : [9, 0, 0], down ? [0, -4, 0] : [4, 0, 0]),
  ];
  let rig: FixtureRig = [
    j('Hips', null, [0, 99, 0]),
    j('Spine', 'Hips', [0, 10, -1]),
    j('Spine1', 'Spine', [0, 12, 0]),
    j('Spine2', 'Spine1', [0, 14, 0]),
    j('Neck', 'Spine2', [0, 16, 1]),
    j('Head', 'Neck', [0, 10, 2], [0, 18, 0]),
    ...leftArm,
    ...mirror(leftArm, 'Left', 'Right'),
    ...leftLeg,
    ...mirror(leftLeg, 'Left', 'Right'),
  ];
  if (options.facing === '-z') {
    const turn = (v: Vec3): Vec3 => [-v[0], v[1], -v[2]];
    rig = rig.map((x) => ({ ...x, offset: turn(x.offset), endSite: x.endSite && turn(x.endSite) }));
  }
  return rig;
}

/**
 * The same rig in a z-up world, as z-up tools export it: every OFFSET and End Site turned by
 * (x, y, z) → (x, −z, y), so the spine runs along +z and a rig facing +z faces −y.
 */
export function zUpRig(rig: FixtureRig): FixtureRig {
  const turn = (v: Vec3): Vec3 => [v[0], -v[2], v[1]];
  return rig.map((x) => ({ ...x, offset: turn(x.offset), endSite: x.endSite && turn(x.endSite) }));
}

/** The joints in the order a BVH file lists them (depth first, children in rig order). */
export function fileOrder(rig: FixtureRig): FixtureRig {
  const out: FixtureRig = [];
  const visit = (parent: string | null): void => {
    for (const j of rig.filter((x) => x.parent === parent)) {
      out.push(j);
      visit(j.name);
    }
  };
  visit(null);
  return out;
}

/** Channel values for one joint, keyed by channel name (missing ones: 0, or the OFFSET for positions). */
export type JointValues = Partial<Record<string, number>>;

/**
 * One frame row for `rig`: `values[jointName][channelName]` (degrees for rotations, file units for
 * positions). Position channels not given default to the joint's OFFSET, so the geometry matches
 * the rest skeleton.
 */
export function frameRow(rig: FixtureRig, values: Record<string, JointValues> = {}): number[] {
  const row: number[] = [];
  for (const joint of fileOrder(rig)) {
    for (const ch of joint.channels) {
      const given = values[joint.name]?.[ch];
      const axis = 'XYZ'.indexOf(ch[0]);
      row.push(given ?? (ch.endsWith('position') ? joint.offset[axis] : 0));
    }
  }
  return row;
}

/** BVH text for `rig` with the given frame rows. Numbers are written exactly (String(number)). */
export function writeBvh(rig: FixtureRig, frames: number[][], frameTime = 1 / 30): string {
  const lines: string[] = ['HIERARCHY'];
  const children = (name: string | null): FixtureJoint[] => rig.filter((j) => j.parent === name);
  const emit = (joint: FixtureJoint, depth: number): void => {
    const pad = '  '.repeat(depth);
    lines.push(`${pad}${joint.parent ? 'JOINT' : 'ROOT'} ${joint.name}`, `${pad}{`);
    lines.push(`${pad}  OFFSET ${joint.offset.join(' ')}`);
    lines.push(`${pad}  CHANNELS ${joint.channels.length} ${joint.channels.join(' ')}`);
    for (const child of children(joint.name)) emit(child, depth + 1);
    if (joint.endSite) lines.push(`${pad}  End Site`, `${pad}  {`, `${pad}    OFFSET ${joint.endSite.join(' ')}`, `${pad}  }`);
    lines.push(`${pad}}`);
  };
  for (const root of children(null)) emit(root, 0);
  lines.push('MOTION', `Frames: ${frames.length}`, `Frame Time: ${frameTime}`);
  for (const row of frames) lines.push(row.join(' '));
  return lines.join('\n') + '\n';
}
