// The motion module driving the real body model (WASM) with the package's default body: the
// retargeted and converted poses mean on the body what they mean in the tests' twin.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createDefaultBody, type BodyModel } from '../../src/body/index.js';
import { NOMINAL_SMPL_REST_JOINTS, parseMotion, sampleMotion, SMPL_JOINT_NAMES, SMPL_PARENTS } from '../../src/motion/index.js';
import { frameRow, mixamoRig, writeBvh } from '../helpers/bvh-fixtures.js';
import { writeNpz } from '../helpers/npz-writer.js';
import { normalize, type Vec3 } from './rotation-twin.js';

const J = (name: string): number => (SMPL_JOINT_NAMES as readonly string[]).indexOf(name);
const direction = (joints: Float32Array, from: string, to: string): Vec3 =>
  normalize([0, 1, 2].map((c) => joints[J(to) * 3 + c] - joints[J(from) * 3 + c]));
const angle = (a: Vec3, b: Vec3): number => Math.acos(Math.min(1, a[0] * b[0] + a[1] * b[1] + a[2] * b[2]));

describe('motions on the default body', () => {
  let body: BodyModel;
  let rest: Float32Array;
  before(async () => {
    body = await createDefaultBody();
    rest = body.forward({ pose: new Float32Array(72) }).joints;
  });

  it("the nominal retargeting skeleton's limbs and frames point like the default body's", () => {
    // What retargeting aims along: the limb bones, the hip and collar left−right axes, the spine.
    const limbs = [4, 5, 7, 8, 10, 11, 15, 16, 17, 18, 19, 20, 21, 22, 23];
    const pairs: [string, string][] = [
      ...limbs.map((j) => [SMPL_JOINT_NAMES[SMPL_PARENTS[j]], SMPL_JOINT_NAMES[j]] as [string, string]),
      ['right_hip', 'left_hip'], ['right_collar', 'left_collar'], ['pelvis', 'neck'],
    ];
    for (const [from, to] of pairs) {
      const a = angle(direction(rest, from, to), direction(NOMINAL_SMPL_REST_JOINTS, from, to));
      assert.ok(a < 0.1, `${from}→${to}: ${a.toFixed(3)} rad`);
    }
  });

  it('a retargeted BVH pose (left arm forward, knee bent) poses the body that way', () => {
    const rig = mixamoRig({ arms: 'down' });
    const row = frameRow(rig, { 'mixamorig:LeftArm': { Xrotation: -90 }, 'mixamorig:LeftLeg': { Xrotation: 90 } });
    const motion = parseMotion(writeBvh(rig, [row]), { restJoints: rest });
    const { pose, trans } = sampleMotion(motion, 0);
    const joints = body.forward({ pose, trans }).joints;
    const err = (a: Vec3, b: Vec3): number => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
    assert.ok(err(direction(joints, 'left_shoulder', 'left_elbow'), [0, 0, 1]) < 1e-4, 'left upper arm forward');
    assert.ok(err(direction(joints, 'left_elbow', 'left_wrist'), [0, 0, 1]) < 1e-4, 'left forearm forward');
    assert.ok(err(direction(joints, 'left_knee', 'left_ankle'), [0, 0, -1]) < 1e-4, 'left shin back');
    assert.ok(err(direction(joints, 'right_shoulder', 'right_elbow'), [0, -1, 0]) < 1e-4, 'right arm down');
    // The pelvis lands on the BVH hips (99 cm up).
    assert.ok(Math.abs(joints[1] - 0.99) < 1e-4, `pelvis height ${joints[1]}`);
  });

  it('an AMASS body standing in z-up stands upright in y-up', () => {
    const poses = new Float64Array(156);
    poses[0] = Math.PI / 2; // SMPL y-up body stood up in AMASS's z-up world
    const npz = writeNpz({
      poses: { dtype: '<f8', shape: [1, 156], values: poses },
      trans: { dtype: '<f8', shape: [1, 3], values: [0.5, -0.25, 1.0] },
      mocap_framerate: { dtype: '<f8', shape: [], values: [120] },
    });
    const m = parseMotion(npz, { restJoints: rest });
    const joints = body.forward({ pose: m.poses, trans: m.trans }).joints;
    assert.ok(joints[J('head') * 3 + 1] - joints[J('left_ankle') * 3 + 1] > 1.2, 'head far above the ankles');
    assert.ok(direction(joints, 'left_hip', 'right_hip')[0] < -0.99, 'facing +z (left at +x)');
    // Same body, posed in z-up and viewed through (x, y, z) → (x, z, −y): the pelvis at R(p + t).
    const p = [rest[0], rest[1], rest[2]];
    const expected = [p[0] + 0.5, p[2] + 1.0, -(p[1] - 0.25)];
    for (let c = 0; c < 3; c++) assert.ok(Math.abs(joints[c] - expected[c]) < 1e-5, `pelvis[${c}]`);
  });

  it('the bundled walk alternates the feet on the default body', () => {
    const walk = parseMotion(readFileSync(new URL('../../assets/motions/walk.json', import.meta.url)));
    const lead: number[] = [];
    for (let f = 0; f < walk.frameCount; f++) {
      const { pose, trans } = sampleMotion(walk, f / walk.fps);
      const joints = body.forward({ pose, trans }).joints;
      lead.push(joints[J('left_ankle') * 3 + 2] - joints[J('right_ankle') * 3 + 2]);
    }
    assert.ok(Math.max(...lead) > 0.2 && Math.min(...lead) < -0.2, `stride ${Math.min(...lead)}…${Math.max(...lead)}`);
  });
});
