import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AvatarFormatError, AvatarInputError } from '../../src/errors.js';
import { parseMotion } from '../../src/motion/index.js';
import { parseBvh } from '../../src/motion/bvh-parser.js';
import { detectUnitScale } from '../../src/motion/bvh-retarget.js';
import { SMPL_JOINT_NAMES, SMPL_PARENTS } from '../../src/motion/types.js';
import { cmuRig, frameRow, mixamoRig, writeBvh, type FixtureRig } from '../helpers/bvh-fixtures.js';
import { bvhForwardKinematics } from './bvh-twin.js';
import { apply, forwardKinematics, normalize, prng, type Vec3 } from './rotation-twin.js';

/** The test's own SMPL-like T-pose skeleton (24×3, metres), deliberately not the SDK's nominal one. */
const TEST_REST = (() => {
  const offsets: Vec3[] = [
    [0.002, -0.23, 0.03], [0.07, -0.08, -0.01], [-0.07, -0.08, -0.01], [-0.004, 0.12, -0.02], [0.04, -0.37, 0.0],
    [-0.04, -0.37, 0.0], [0.005, 0.14, 0.0], [-0.014, -0.43, -0.03], [0.014, -0.43, -0.03], [0.0, 0.06, 0.03],
    [0.04, -0.06, 0.12], [-0.04, -0.06, 0.12], [-0.01, 0.22, -0.03], [0.08, 0.12, -0.02], [-0.08, 0.12, -0.02],
    [0.01, 0.09, 0.05], [0.12, 0.05, -0.01], [-0.12, 0.05, -0.01], [0.25, -0.02, -0.03], [-0.25, -0.02, -0.03],
    [0.26, 0.01, -0.01], [-0.26, 0.01, -0.01], [0.09, -0.01, -0.02], [-0.09, -0.01, -0.02],
  ];
  const out: number[] = [];
  offsets.forEach((o, j) => {
    const p = SMPL_PARENTS[j];
    for (let c = 0; c < 3; c++) out.push((p < 0 ? 0 : out[p * 3 + c]) + o[c]);
  });
  return out;
})();

const J = (name: string): number => (SMPL_JOINT_NAMES as readonly string[]).indexOf(name);

function smplDirection(pose: Float32Array, frame: number, from: string, to: string): Vec3 {
  const { positions } = forwardKinematics(pose.subarray(frame * 72, frame * 72 + 72), TEST_REST, SMPL_PARENTS);
  const a = positions[J(from)];
  const b = positions[J(to)];
  return normalize([b[0] - a[0], b[1] - a[1], b[2] - a[2]]);
}

function assertDirection(actual: Vec3, expected: Vec3, tolerance: number, what: string): void {
  const e = normalize(expected);
  const err = Math.hypot(actual[0] - e[0], actual[1] - e[1], actual[2] - e[2]);
  assert.ok(err < tolerance, `${what}: got (${actual.map((v) => v.toFixed(4))}), expected (${e.map((v) => v.toFixed(4))}), |Δ| = ${err}`);
}

describe('BVH retargeting onto SMPL', () => {
  it('a known pose in an arms-down rig lands on the expected SMPL bone directions', () => {
    const rig = mixamoRig({ arms: 'down' });
    const rest = frameRow(rig);
    const posed = frameRow(rig, {
      'mixamorig:LeftArm': { Xrotation: -90 }, // left arm raised forward, 90°
      'mixamorig:LeftLeg': { Xrotation: 90 }, // left knee bent 90°, shin pointing back
    });
    const motion = parseMotion(writeBvh(rig, [rest, posed]), { restJoints: TEST_REST });
    assert.equal(motion.source, 'bvh');
    assert.equal(motion.frameCount, 2);
    const pose = motion.poses;
    // Frame 0: the rig's rest, arms hanging down.
    assertDirection(smplDirection(pose, 0, 'left_shoulder', 'left_elbow'), [0, -1, 0], 1e-5, 'rest: left upper arm');
    assertDirection(smplDirection(pose, 0, 'right_elbow', 'right_wrist'), [0, -1, 0], 1e-5, 'rest: right forearm');
    assertDirection(smplDirection(pose, 0, 'left_hip', 'left_knee'), [0, -1, 0], 1e-5, 'rest: left thigh');
    // Frame 1: left arm forward, left shin back, the rest unchanged.
    assertDirection(smplDirection(pose, 1, 'left_shoulder', 'left_elbow'), [0, 0, 1], 1e-5, 'left upper arm');
    assertDirection(smplDirection(pose, 1, 'left_elbow', 'left_wrist'), [0, 0, 1], 1e-5, 'left forearm');
    assertDirection(smplDirection(pose, 1, 'left_hip', 'left_knee'), [0, -1, 0], 1e-5, 'left thigh');
    assertDirection(smplDirection(pose, 1, 'left_knee', 'left_ankle'), [0, 0, -1], 1e-5, 'left shin');
    assertDirection(smplDirection(pose, 1, 'right_shoulder', 'right_elbow'), [0, -1, 0], 1e-5, 'right upper arm');
    assertDirection(smplDirection(pose, 1, 'right_knee', 'right_ankle'), [0, -1, 0], 1e-5, 'right shin');
  });

  /** Bones whose SMPL direction must equal the BVH bone's: [SMPL from, SMPL to, BVH from, BVH to]. */
  const limbBones = (names: Record<string, string>): [string, string, string, string][] =>
    [
      ['left_hip', 'left_knee'], ['left_knee', 'left_ankle'], ['left_ankle', 'left_foot'],
      ['right_hip', 'right_knee'], ['right_knee', 'right_ankle'], ['right_ankle', 'right_foot'],
      ['left_collar', 'left_shoulder'], ['left_shoulder', 'left_elbow'], ['left_elbow', 'left_wrist'], ['left_wrist', 'left_hand'],
      ['right_collar', 'right_shoulder'], ['right_shoulder', 'right_elbow'], ['right_elbow', 'right_wrist'], ['right_wrist', 'right_hand'],
      ['spine1', 'spine2'], ['spine2', 'spine3'], ['neck', 'head'],
      ['right_hip', 'left_hip'], // the pelvis frame puts the hip axis exactly
    ].map(([a, b]) => [a, b, names[a], names[b]] as [string, string, string, string]);

  const mixamoNames = (prefix: string): Record<string, string> =>
    Object.fromEntries(
      Object.entries({
        left_hip: 'LeftUpLeg', left_knee: 'LeftLeg', left_ankle: 'LeftFoot', left_foot: 'LeftToeBase',
        right_hip: 'RightUpLeg', right_knee: 'RightLeg', right_ankle: 'RightFoot', right_foot: 'RightToeBase',
        left_collar: 'LeftShoulder', left_shoulder: 'LeftArm', left_elbow: 'LeftForeArm', left_wrist: 'LeftHand', left_hand: 'LeftHandMiddle1',
        right_collar: 'RightShoulder', right_shoulder: 'RightArm', right_elbow: 'RightForeArm', right_wrist: 'RightHand', right_hand: 'RightHandMiddle1',
        spine1: 'Spine', spine2: 'Spine1', spine3: 'Spine2', neck: 'Neck', head: 'Head', pelvis: 'Hips',
      }).map(([k, v]) => [k, prefix + v]),
    );
  const cmuNames: Record<string, string> = {
    ...mixamoNames(''),
    left_hand: 'LeftFingerBase', right_hand: 'RightFingerBase', spine1: 'LowerBack', spine2: 'Spine', spine3: 'Spine1',
  };

  const cases: { label: string; rig: FixtureRig; names: Record<string, string>; unit: number }[] = [
    { label: 'Mixamo T-pose', rig: mixamoRig(), names: mixamoNames('mixamorig:'), unit: 0.01 },
    { label: 'Mixamo arms down, XYZ order', rig: mixamoRig({ arms: 'down', rotationOrder: ['Xrotation', 'Yrotation', 'Zrotation'] }), names: mixamoNames('mixamorig:'), unit: 0.01 },
    { label: 'Mixamo facing −z, 6 channels per joint, YZX', rig: mixamoRig({ facing: '-z', sixChannels: true, rotationOrder: ['Yrotation', 'Zrotation', 'Xrotation'], prefix: 'mixamorig1:' }), names: mixamoNames('mixamorig1:'), unit: 0.01 },
    { label: 'Mixamo without prefix', rig: mixamoRig({ prefix: '' }), names: mixamoNames(''), unit: 0.01 },
    { label: 'CMU', rig: cmuRig(), names: cmuNames, unit: 0.0254 / 0.45 },
  ];

  for (const { label, rig, names, unit } of cases) {
    it(`random poses: every mapped SMPL bone points where the BVH bone points (${label})`, () => {
      const rand = prng(label.length * 7919);
      const rows: number[][] = [];
      // Joints no SMPL joint maps to (CMU's LHipJoint, Neck1, fingers) stay unrotated: an SMPL bone
      // is rigid, so it cannot follow a bend at a BVH joint that lies inside it.
      const mapped = new Set(Object.values(names));
      for (let f = 0; f < 4; f++) {
        const values: Record<string, Record<string, number>> = {};
        for (const joint of rig.filter((j) => mapped.has(j.name))) {
          values[joint.name] = {};
          for (const ch of joint.channels) {
            if (ch.endsWith('rotation')) values[joint.name][ch] = (rand() * 2 - 1) * 70;
            else if (!joint.parent) values[joint.name][ch] = joint.offset['XYZ'.indexOf(ch[0])] + (rand() * 2 - 1) * 50;
          }
        }
        rows.push(frameRow(rig, values));
      }
      const motion = parseMotion(writeBvh(rig, rows), { restJoints: TEST_REST });
      let worst = 0;
      rows.forEach((row, f) => {
        const bvh = bvhForwardKinematics(rig, row);
        for (const [sa, sb, ba, bb] of limbBones(names)) {
          const p = bvh.get(ba)!.position;
          const q = bvh.get(bb)!.position;
          const expected = normalize([q[0] - p[0], q[1] - p[1], q[2] - p[2]]);
          const actual = smplDirection(motion.poses, f, sa, sb);
          worst = Math.max(worst, Math.hypot(actual[0] - expected[0], actual[1] - expected[1], actual[2] - expected[2]));
          assertDirection(actual, expected, 1e-4, `frame ${f} ${sa}→${sb}`);
        }
        // The SMPL pelvis (rest pelvis + trans) sits on the BVH hips, in metres.
        const hips = bvh.get(names.pelvis)!.position;
        for (let c = 0; c < 3; c++) {
          assert.ok(Math.abs(TEST_REST[c] + motion.trans[f * 3 + c] - hips[c] * unit) < 1e-5, `frame ${f} trans[${c}]`);
        }
      });
      assert.ok(worst < 1e-4, `worst direction error ${worst}`);
    });
  }

  it('a rig facing −z at rest turns the SMPL body around (root ≈ 180° about y)', () => {
    const rig = mixamoRig({ facing: '-z' });
    const motion = parseMotion(writeBvh(rig, [frameRow(rig)]), { restJoints: TEST_REST });
    const { world } = forwardKinematics(motion.poses, TEST_REST, SMPL_PARENTS);
    const facing = apply(world[0], [0, 0, 1]);
    const up = apply(world[0], [0, 1, 0]);
    assert.ok(facing[2] < -0.98, `facing ${facing}`);
    assert.ok(up[1] > 0.98, `up ${up}`);
  });

  it('detects the length unit from the skeleton size, and options.unitScale overrides it', () => {
    assert.equal(detectUnitScale(parseBvh(writeBvh(cmuRig(), [frameRow(cmuRig())]))), 0.0254 / 0.45);
    assert.equal(detectUnitScale(parseBvh(writeBvh(mixamoRig(), [frameRow(mixamoRig())]))), 0.01);
    const scaled = (k: number): FixtureRig =>
      mixamoRig().map((j) => ({ ...j, offset: j.offset.map((v) => v * k) as Vec3, endSite: j.endSite?.map((v) => v * k) as Vec3 | undefined }));
    assert.equal(detectUnitScale(parseBvh(writeBvh(scaled(0.01), [frameRow(scaled(0.01))]))), 1);
    assert.equal(detectUnitScale(parseBvh(writeBvh(scaled(1 / 2.54), [frameRow(scaled(1 / 2.54))]))), 0.0254);
    assert.equal(detectUnitScale(parseBvh(writeBvh(scaled(10), [frameRow(scaled(10))]))), 0.001);
    const rig = mixamoRig();
    const text = writeBvh(rig, [frameRow(rig)]);
    assert.ok(Math.abs(parseMotion(text).trans[1] - 0.99) < 1e-6);
    assert.ok(Math.abs(parseMotion(text, { unitScale: 0.02 }).trans[1] - 1.98) < 1e-6);
    assert.ok(Math.abs(parseMotion(text, { pelvis: [0, 0.5, 0] }).trans[1] - 0.49) < 1e-6);
    assert.throws(() => parseMotion(text, { unitScale: -1 }), (e: Error) => e instanceof AvatarInputError && /unitScale/.test(e.message));
  });

  it('takes the frame rate from Frame Time, snapping near-whole rates', () => {
    const rig = mixamoRig();
    const rows = [frameRow(rig), frameRow(rig)];
    assert.equal(parseMotion(writeBvh(rig, rows, 0.0333333)).fps, 30);
    assert.equal(parseMotion(writeBvh(rig, rows, 0.008333)).fps, 120);
    assert.equal(parseMotion(writeBvh(rig, rows, 0.04)).fps, 25);
    assert.ok(Math.abs(parseMotion(writeBvh(rig, rows, 0.07)).fps - 1 / 0.07) < 1e-9);
  });

  it('uses a user map for other rigs, and names what is wrong with a bad one', () => {
    // Rename every joint: only an explicit map can drive it.
    const base = mixamoRig({ arms: 'down' });
    const rename = (n: string): string => n.replace('mixamorig:', 'bone_');
    const rig = base.map((j) => ({ ...j, name: rename(j.name), parent: j.parent && rename(j.parent) }));
    const posed = frameRow(rig, { bone_LeftArm: { Xrotation: -90 } });
    const text = writeBvh(rig, [posed]);
    assert.throws(() => parseMotion(text), (e: Error) => e instanceof AvatarFormatError && /bvhMap/.test(e.message));
    const map = Object.fromEntries(Object.entries(mixamoNames('bone_')));
    const motion = parseMotion(text, { bvhMap: map, restJoints: TEST_REST });
    assertDirection(smplDirection(motion.poses, 0, 'left_shoulder', 'left_elbow'), [0, 0, 1], 1e-5, 'mapped left upper arm');
    // A partial map: unmapped joints follow their parent.
    const partial = parseMotion(text, { bvhMap: { pelvis: 'bone_Hips', left_shoulder: 'bone_LeftArm' }, restJoints: TEST_REST });
    assertDirection(smplDirection(partial.poses, 0, 'left_shoulder', 'left_elbow'), [0, 0, 1], 1e-5, 'partial map left upper arm');
    assert.throws(
      () => parseMotion(text, { bvhMap: { pelvis: 'bone_Hips', left_knee: 'NoSuchJoint' } }),
      (e: Error) => e instanceof AvatarFormatError && /left_knee/.test(e.message) && /NoSuchJoint/.test(e.message),
    );
    assert.throws(
      () => parseMotion(text, { bvhMap: { left_knee: 'bone_LeftLeg' } }),
      (e: Error) => e instanceof AvatarFormatError && /pelvis/.test(e.message),
    );
    assert.throws(
      () => parseMotion(text, { bvhMap: { elbow: 'bone_LeftLeg' } as never }),
      (e: Error) => e instanceof AvatarInputError && /elbow/.test(e.message),
    );
    assert.throws(() => parseMotion(text, { bvhMap: 42 as never }), (e: Error) => e instanceof AvatarInputError && /bvhMap/.test(e.message));
  });

  it('forces a built-in map by name', () => {
    const rig = cmuRig();
    const text = writeBvh(rig, [frameRow(rig, { LeftArm: { Zrotation: -90 } })]);
    const auto = parseMotion(text, { restJoints: TEST_REST });
    const forced = parseMotion(text, { bvhMap: 'cmu', restJoints: TEST_REST });
    assert.deepEqual(forced.poses, auto.poses);
    // Zrotation −90 lowers the CMU left arm; its SMPL upper arm points down with it.
    const bvh = bvhForwardKinematics(rig, frameRow(rig, { LeftArm: { Zrotation: -90 } }));
    const e = bvh.get('LeftForeArm')!.position.map((v, c) => v - bvh.get('LeftArm')!.position[c]);
    assertDirection(smplDirection(auto.poses, 0, 'left_shoulder', 'left_elbow'), e as Vec3, 1e-5, 'CMU left upper arm');
    assert.ok(e[1] < -0.9 * Math.hypot(...e), 'the arm really points down');
  });
});
