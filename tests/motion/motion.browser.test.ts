// The motion module in a real browser (Chromium): no Node APIs on its way — BVH, AMASS npz and
// JSON parse, saveMotion round-trips, sampleMotion slerps, and a bundled motion loads by URL.
import { expect } from 'chai';
import { parseMotion, sampleMotion, saveMotion, SMPL_PARENTS, NOMINAL_SMPL_REST_JOINTS } from '../../src/motion/index.js';
import { frameRow, mixamoRig, writeBvh } from '../helpers/bvh-fixtures.js';
import { writeNpz } from '../helpers/npz-writer.js';
import { angleBetween, forwardKinematics, normalize, rodrigues, slerpMat } from './rotation-twin.js';

describe('motion in the browser', () => {
  it('retargets a BVH pose (arms-down rig, left arm raised forward) onto SMPL', () => {
    const rig = mixamoRig({ arms: 'down' });
    const text = writeBvh(rig, [frameRow(rig, { 'mixamorig:LeftArm': { Xrotation: -90 } })]);
    const motion = parseMotion(new TextEncoder().encode(text));
    const { positions } = forwardKinematics(motion.poses, NOMINAL_SMPL_REST_JOINTS, SMPL_PARENTS);
    const d = normalize(positions[18].map((v, c) => v - positions[16][c]));
    expect(d[2]).to.be.greaterThan(1 - 1e-6);
  });

  it('reads an AMASS SMPL-H npz and converts it to y-up', () => {
    const poses = new Float64Array(2 * 156);
    poses[0] = Math.PI / 2; // standing in z-up
    poses[156] = Math.PI / 2;
    const npz = writeNpz({
      poses: { dtype: '<f8', shape: [2, 156], values: poses },
      trans: { dtype: '<f8', shape: [2, 3], values: [0, 0, 1, 0, 0, 1] },
      mocap_framerate: { dtype: '<f8', shape: [], values: [60] },
      gender: { dtype: '<U6', shape: [], values: ['male'] },
    }, 6);
    const m = parseMotion(npz.buffer as ArrayBuffer);
    expect(m.fps).to.equal(60);
    expect(Math.hypot(...m.poses.subarray(0, 3))).to.be.lessThan(1e-6);
    expect(Array.from(m.trans.subarray(0, 3))).to.deep.equal([0, 1, 0]);
  });

  it('round-trips JSON and slerps between frames', async () => {
    const response = await fetch(new URL('../../assets/motions/walk.json', import.meta.url));
    const walk = parseMotion(await response.text());
    expect(walk.frameCount).to.equal(32);
    const again = parseMotion(saveMotion(walk));
    expect(Array.from(again.poses)).to.deep.equal(Array.from(walk.poses));
    const s = sampleMotion(walk, 2.5 / walk.fps);
    for (let j = 0; j < 24; j++) {
      const expected = slerpMat(rodrigues(walk.poses, 2 * 72 + j * 3), rodrigues(walk.poses, 3 * 72 + j * 3), 0.5);
      expect(angleBetween(rodrigues(s.pose, j * 3), expected)).to.be.lessThan(1e-5);
    }
  });
});
