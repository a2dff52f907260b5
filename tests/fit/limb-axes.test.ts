import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createDefaultBody } from '../../src/body/default-body.js';
import type { BodyModel } from '../../src/body/types.js';
import { bigPose, buildUvPositionalMap } from '../../src/avatar/uv-positional-map.js';
import { AvatarInputError } from '../../src/errors.js';
import { boneAxes, limbAxes } from '../../src/fit/limb-axes.js';

describe('limbAxes', () => {
  let body: BodyModel;
  let joints: Float32Array;
  before(async () => {
    body = await createDefaultBody();
    joints = body.forward({ pose: bigPose(body.numJoints), betas: new Float32Array(body.numBetas) }).joints;
  });
  after(() => body.dispose());

  const axisOf = (axes: Float32Array, j: number) => Array.from(axes.subarray(3 * j, 3 * j + 3));
  const dot = (a: number[], b: number[]) => a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
  const direction = (from: number, to: number) => {
    const d = [0, 1, 2].map((c) => joints[3 * to + c]! - joints[3 * from + c]!);
    const n = Math.hypot(d[0]!, d[1]!, d[2]!);
    return d.map((v) => v / n);
  };

  it('gives limbs their bones, the trunk one upright axis and the ends none (SMPL joints)', () => {
    const axes = boneAxes(joints, body.parents);
    // Limbs: left hip → knee, knee → ankle, shoulder → elbow, elbow → wrist (SMPL 1→4, 4→7, 16→18, 18→20).
    for (const [j, child] of [[1, 4], [4, 7], [16, 18], [18, 20], [2, 5], [17, 19]] as const) {
      assert.ok(dot(axisOf(axes, j), direction(j, child)) > 0.999, `joint ${j}: ${axisOf(axes, j)}`);
    }
    // Trunk (pelvis, spine 1–3, neck): one axis, within 10° of upright, although the pelvis→spine bone leans ~25°.
    const trunk = axisOf(axes, 0);
    for (const j of [3, 6, 9, 12]) assert.deepEqual(axisOf(axes, j), trunk);
    assert.ok(trunk[1]! > Math.cos((10 * Math.PI) / 180), `trunk axis ${trunk}`);
    assert.ok(dot(direction(0, 3), [0, 1, 0]) < Math.cos((20 * Math.PI) / 180));
    // Ends: head, feet, hands.
    for (const j of [15, 10, 11, 22, 23]) assert.deepEqual(axisOf(axes, j), [0, 0, 0]);
    for (let j = 0; j < 24; j++) {
      const n = Math.hypot(...axisOf(axes, j));
      assert.ok(n === 0 || Math.abs(n - 1) < 1e-6, `joint ${j}: |axis| ${n}`);
    }
  });

  it('gives each Gaussian the axis of its most-weighted joint', () => {
    const map = buildUvPositionalMap(body, { resolution: 32, betas: new Float32Array(body.numBetas) });
    const bones = boneAxes(joints, body.parents);
    const axes = limbAxes(map.weights, joints, body.parents);
    const J = body.numJoints;
    assert.equal(axes.length, 3 * map.count);
    for (let i = 0; i < map.count; i++) {
      let best = 0;
      for (let j = 1; j < J; j++) if (map.weights[i * J + j]! > map.weights[i * J + best]!) best = j;
      assert.deepEqual(axisOf(axes, i), axisOf(bones, best));
    }
  });

  it('rejects joints and weights that do not fit the skeleton', () => {
    assert.throws(() => boneAxes(new Float32Array(5), body.parents), (e: unknown) => e instanceof AvatarInputError && /joints/.test(e.message));
    assert.throws(() => limbAxes(new Float32Array(25), joints, body.parents), (e: unknown) => e instanceof AvatarInputError && /weights/.test(e.message));
  });
});
