// BVH up axis: a rig exported from a z-up tool (spine along +z) is detected and turned into the
// body's y-up world, so it plays upright; `options.upAxis` overrides the detection.
import { describe, it, before } from 'node:test';
import assert from 'node:assert/strict';
import { createDefaultBody, type BodyModel } from '../../src/body/index.js';
import { AvatarInputError } from '../../src/errors.js';
import { parseMotion, SMPL_JOINT_NAMES, type Motion } from '../../src/motion/index.js';
import { parseBvh } from '../../src/motion/bvh-parser.js';
import { detectBvhUpAxis } from '../../src/motion/bvh-up-axis.js';
import { resolveBvhMap } from '../../src/motion/bvh-rig-maps.js';
import { cmuRig, frameRow, mixamoRig, writeBvh, zUpRig, type FixtureRig, type JointValues } from '../helpers/bvh-fixtures.js';

const J = (name: string): number => (SMPL_JOINT_NAMES as readonly string[]).indexOf(name);

/** Rest positions (file units) of a fixture rig in the parser's joint order, for the detector. */
function detect(rig: FixtureRig): 'y' | 'z' {
  const bvh = parseBvh(writeBvh(rig, [frameRow(rig)]));
  const rest = new Float64Array(bvh.joints.length * 3);
  bvh.joints.forEach((joint, b) => {
    for (let c = 0; c < 3; c++) rest[b * 3 + c] = (joint.parent < 0 ? 0 : rest[joint.parent * 3 + c]) + joint.offset[c];
  });
  return detectBvhUpAxis(resolveBvhMap(bvh.joints.map((j) => j.name), undefined), rest);
}

/**
 * Two frames of a walk-like pose (only rotations about x, which the z-up turn leaves as they are)
 * for a y-up rig and the same frames for its z-up copy: the root's position (px, py, pz) there is
 * (px, −pz, py).
 */
function framesFor(rig: FixtureRig, hips: string, zUp: boolean): number[][] {
  const offset = rig.find((j) => j.name === hips)!.offset;
  const root = zUp ? [offset[0], offset[2], -offset[1]] : offset; // the y-up twin's hips
  const pose = (step: number, forward: number): Record<string, JointValues> => {
    const p = [root[0] + 3, root[1] - 2, root[2] + forward];
    const at = zUp ? [p[0], -p[2], p[1]] : p;
    const names = rig.map((j) => j.name);
    const find = (suffix: string) => names.find((n) => n.endsWith(suffix))!;
    return {
      [hips]: { Xposition: at[0], Yposition: at[1], Zposition: at[2], Xrotation: 5 * step },
      [find('LeftUpLeg')]: { Xrotation: -25 * step },
      [find('RightUpLeg')]: { Xrotation: 25 * step },
      [find('LeftLeg')]: { Xrotation: 30 },
      [find('LeftArm')]: { Xrotation: -60 * step },
      [find('Spine1')]: { Xrotation: 10 },
    };
  };
  return [frameRow(rig, pose(1, 0)), frameRow(rig, pose(-1, 40))];
}

function maxDifference(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
}

describe('BVH up axis', () => {
  let body: BodyModel;
  let rest: Float32Array;
  before(async () => {
    body = await createDefaultBody();
    rest = body.forward({ pose: new Float32Array(72) }).joints;
  });

  it('detects y-up and z-up rigs from their rest skeletons', () => {
    assert.equal(detect(mixamoRig()), 'y');
    assert.equal(detect(mixamoRig({ arms: 'down', facing: '-z' })), 'y');
    assert.equal(detect(cmuRig()), 'y');
    assert.equal(detect(zUpRig(mixamoRig())), 'z');
    assert.equal(detect(zUpRig(mixamoRig({ arms: 'down' }))), 'z');
    assert.equal(detect(zUpRig(cmuRig())), 'z');
  });

  for (const [name, rig, hips] of [
    ['Mixamo-style (cm)', mixamoRig(), 'mixamorig:Hips'],
    ['Mixamo-style, arms down (cm)', mixamoRig({ arms: 'down' }), 'mixamorig:Hips'],
    ['CMU-style', cmuRig(), 'Hips'],
  ] as [string, FixtureRig, string][]) {
    it(`a z-up ${name} rig gives the motion of its y-up twin (poses and translation)`, () => {
      const yUp = parseMotion(writeBvh(rig, framesFor(rig, hips, false)), { restJoints: rest });
      const zRig = zUpRig(rig);
      const zUp = parseMotion(writeBvh(zRig, framesFor(zRig, hips, true)), { restJoints: rest });
      assert.ok(maxDifference(zUp.poses, yUp.poses) < 1e-5, `poses differ by ${maxDifference(zUp.poses, yUp.poses)}`);
      assert.ok(maxDifference(zUp.trans, yUp.trans) < 1e-5, `trans differs by ${maxDifference(zUp.trans, yUp.trans)}`);
      const forced = parseMotion(writeBvh(zRig, framesFor(zRig, hips, true)), { restJoints: rest, upAxis: 'z' });
      assert.equal(maxDifference(forced.poses, zUp.poses), 0);
    });
  }

  it('a z-up rig plays upright on the default body: head above the pelvis, feet near the floor, facing +z', () => {
    const rig = zUpRig(mixamoRig());
    const motion = parseMotion(writeBvh(rig, [frameRow(rig)]), { restJoints: rest });
    const joints = body.forward({ pose: motion.poses, trans: motion.trans }).joints;
    const y = (name: string): number => joints[J(name) * 3 + 1];
    assert.ok(y('head') - y('pelvis') > 0.4, `head ${y('head')} vs pelvis ${y('pelvis')}`);
    assert.ok(Math.abs(y('pelvis') - 0.99) < 1e-4, `pelvis at the BVH hips' height: ${y('pelvis')}`);
    const vertices = body.forward({ pose: motion.poses, trans: motion.trans }).vertices;
    let floor = Infinity;
    for (let v = 1; v < vertices.length; v += 3) floor = Math.min(floor, vertices[v]);
    assert.ok(Math.abs(floor) < 0.15, `soles at y = ${floor}`);
    assert.ok(joints[J('left_hip') * 3] - joints[J('right_hip') * 3] > 0.1, 'left at +x: facing +z');
  });

  it("upAxis: 'y' overrides the detection (the z-up rig then lies along z)", () => {
    const rig = zUpRig(mixamoRig());
    const motion: Motion = parseMotion(writeBvh(rig, [frameRow(rig)]), { restJoints: rest, upAxis: 'y' });
    const joints = body.forward({ pose: motion.poses, trans: motion.trans }).joints;
    const d = [0, 1, 2].map((c) => joints[J('head') * 3 + c] - joints[J('pelvis') * 3 + c]);
    assert.ok(Math.abs(d[2]) > 0.4 && Math.abs(d[1]) < 0.1, `pelvis → head ${d.map((v) => v.toFixed(3))}`);
    // and 'z' forces a y-up rig to be turned (its spine, along y, then points along −z)
    const yRig = mixamoRig();
    const turned = parseMotion(writeBvh(yRig, [frameRow(yRig)]), { restJoints: rest, upAxis: 'z' });
    const tj = body.forward({ pose: turned.poses, trans: turned.trans }).joints;
    assert.ok(tj[J('head') * 3 + 2] - tj[J('pelvis') * 3 + 2] < -0.4, 'head towards −z');
  });

  it('a bad upAxis is refused with a typed error naming the option', () => {
    const rig = mixamoRig();
    for (const bad of ['x', 'Z', 1, null]) {
      assert.throws(
        () => parseMotion(writeBvh(rig, [frameRow(rig)]), { upAxis: bad as never }),
        (e: unknown) => e instanceof AvatarInputError && /options\.upAxis: expected 'y', 'z' or 'auto'/.test(e.message),
      );
    }
  });
});
