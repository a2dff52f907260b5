import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createBodyModel } from '../../src/body/body-model.js';
import { randomBodyData, randomPose, randomVector } from '../helpers/random-body.js';
import { twinForward } from './twin.js';
import { maxAbsDiff } from './compare.js';

const TOLERANCE_M = 1e-4; // brief: WASM (f32 storage) vs f64 twin

describe('body model forward (WASM) vs the f64 twin', () => {
  const cases = [
    { name: 'SMPL-sized J=24, B=10, with posedirs', numJoints: 24, numBetas: 10, posedirs: true },
    { name: 'SMPL-X-sized J=55, B=10, with posedirs', numJoints: 55, numBetas: 10, posedirs: true },
    { name: 'J=24, B=0, no posedirs', numJoints: 24, numBetas: 0, posedirs: false },
    { name: 'J=52, B=7 (not a multiple of 4), dense weights', numJoints: 52, numBetas: 7, posedirs: true, weightsPerVertex: 52 },
  ];
  for (const c of cases) {
    it(c.name, async () => {
      const data = randomBodyData({ numVertices: 500, ...c, seed: c.numJoints + c.numBetas });
      const model = await createBodyModel(data);
      assert.equal(model.numVertices, 500);
      assert.equal(model.numJoints, c.numJoints);
      assert.equal(model.numBetas, c.numBetas);
      for (let trial = 0; trial < 3; trial++) {
        const params = {
          pose: randomPose(c.numJoints, 100 + trial), // angles up to π
          betas: randomVector(c.numBetas, 200 + trial, 2),
          trans: randomVector(3, 300 + trial, 1),
        };
        const got = model.forward(params);
        const want = twinForward(data, params);
        assert.ok(got.vertices instanceof Float32Array && got.vertices.length === 500 * 3);
        assert.equal(got.joints.length, c.numJoints * 3);
        assert.equal(got.transforms.length, c.numJoints * 16);
        const errors = {
          vertices: maxAbsDiff(got.vertices, want.vertices),
          joints: maxAbsDiff(got.joints, want.joints),
          transforms: maxAbsDiff(got.transforms, want.transforms),
        };
        for (const [k, e] of Object.entries(errors)) assert.ok(e < TOLERANCE_M, `${k}: max error ${e} m`);
      }
      model.dispose();
    });
  }

  it('partly zero poses (the pose blend skips joints at rest) match the twin', async () => {
    const data = randomBodyData({ numVertices: 300, numJoints: 55, numBetas: 10, seed: 13 });
    const model = await createBodyModel(data);
    const full = randomPose(55, 14);
    for (const [from, to] of [[3, 8], [0, 1], [20, 55], [54, 55]]) {
      const pose = new Float64Array(55 * 3);
      pose.set(full.subarray(from! * 3, to! * 3), from! * 3); // only joints from…to−1 rotate
      const got = model.forward({ pose, betas: randomVector(10, 15) });
      const want = twinForward(data, { pose, betas: randomVector(10, 15) });
      assert.ok(maxAbsDiff(got.vertices, want.vertices) < TOLERANCE_M, `joints ${from}…${to! - 1}`);
    }
    model.dispose();
  });

  it('forwardTransforms gives forward()’s joints and transforms without the mesh', async () => {
    const data = randomBodyData({ numVertices: 200, seed: 19 });
    const model = await createBodyModel(data);
    const params = { pose: randomPose(24, 20), betas: randomVector(10, 21), trans: [1, 2, 3] };
    const full = model.forward(params);
    model.forward({ pose: randomPose(24, 22) }); // different state in between
    const only = model.forwardTransforms(params);
    assert.deepEqual(only.joints, full.joints);
    assert.deepEqual(only.transforms, full.transforms);
    assert.throws(() => model.forwardTransforms({ pose: [0] }), /^AvatarInputError: pose: expected 72/);
    model.dispose();
  });

  it('zero pose, no betas, no trans gives the template (T-pose rest)', async () => {
    const data = randomBodyData({ numVertices: 200, seed: 5 });
    const model = await createBodyModel(data);
    const out = model.forward({ pose: new Float32Array(72) });
    assert.ok(maxAbsDiff(out.vertices, data.vTemplate) < 1e-6);
    // transforms are identities; joints are J_regressor · v_template
    for (let j = 0; j < 24; j++) {
      assert.ok(maxAbsDiff(out.transforms.subarray(j * 16, j * 16 + 16), [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1]) < 1e-6);
      for (let c = 0; c < 3; c++) {
        let regressed = 0;
        for (let v = 0; v < 200; v++) regressed += data.jRegressor[j * 200 + v]! * data.vTemplate[v * 3 + c]!;
        assert.ok(Math.abs(out.joints[j * 3 + c]! - regressed) < 1e-6);
      }
    }
    model.dispose();
  });

  it('transforms skin the posed-rest mesh: x_v = Σ_j w_vj · T_j · [v_posed; 1] (column-major)', async () => {
    const data = randomBodyData({ numVertices: 100, seed: 9 });
    const model = await createBodyModel(data);
    const params = { pose: randomPose(24, 1), betas: randomVector(10, 2), trans: [0.3, -1, 2] };
    const out = model.forward(params);
    const { vPosed } = twinForward(data, params);
    const skinned = new Float64Array(100 * 3);
    for (let v = 0; v < 100; v++) {
      for (let j = 0; j < 24; j++) {
        const w = data.weights[v * 24 + j]!;
        const T = out.transforms.subarray(j * 16, j * 16 + 16);
        for (let r = 0; r < 3; r++) {
          skinned[v * 3 + r]! += w * (T[r]! * vPosed[v * 3]! + T[4 + r]! * vPosed[v * 3 + 1]! + T[8 + r]! * vPosed[v * 3 + 2]! + T[12 + r]!);
        }
      }
    }
    assert.ok(maxAbsDiff(out.vertices, skinned) < 1e-4);
    model.dispose();
  });

  it('accepts betas shorter than numBetas (missing ones are 0) and plain arrays', async () => {
    const data = randomBodyData({ numVertices: 100, seed: 11 });
    const model = await createBodyModel(data);
    const pose = Array.from(randomPose(24, 4));
    const short = model.forward({ pose, betas: [0.5, -1] });
    const full = model.forward({ pose, betas: [0.5, -1, 0, 0, 0, 0, 0, 0, 0, 0] });
    assert.deepEqual(short.vertices, full.vertices);
    assert.ok(maxAbsDiff(short.vertices, twinForward(data, { pose, betas: [0.5, -1] }).vertices) < TOLERANCE_M);
    model.dispose();
  });

  it('models coexist: creating more models (growing memory) leaves earlier ones correct', async () => {
    const dataA = randomBodyData({ numVertices: 300, seed: 21 });
    const a = await createBodyModel(dataA);
    const params = { pose: randomPose(24, 8), betas: randomVector(10, 9) };
    const before = a.forward(params);
    const others = [];
    for (let i = 0; i < 3; i++) others.push(await createBodyModel(randomBodyData({ numVertices: 3000, seed: 30 + i })));
    assert.deepEqual(a.forward(params).vertices, before.vertices);
    for (const m of others) m.dispose();
    a.dispose();
  });

  it('exposes the data it was built from', async () => {
    const data = randomBodyData({ numVertices: 50, seed: 3 });
    const model = await createBodyModel(data);
    assert.equal(model.data, data);
    assert.equal(model.parents, data.parents);
    assert.equal(model.faces, data.faces);
    assert.equal(model.weights, data.weights);
    assert.equal(model.uvs, undefined);
    model.dispose();
  });
});
