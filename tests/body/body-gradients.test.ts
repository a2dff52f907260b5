/**
 * backward / backwardTransforms (WASM, exact reverse mode) against central finite differences of the
 * f64 twin, plus closed-form checks of a few components.
 * Tolerance: relative L2 error ≤ 1e-5 over all of (pose, betas, trans), and every component within
 * 1e-4·max|g| of the FD value. (Observed ≈ 3e-8: the WASM stores the mesh in f32; FD step h = 1e-6
 * in f64 contributes ~1e-9.)
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createBodyModel } from '../../src/body/body-model.js';
import type { BodyModelData } from '../../src/body/types.js';
import { randomBodyData, randomPose, randomVector } from '../helpers/random-body.js';
import { twinBackward, twinForward } from './twin.js';
import { dot, maxAbsDiff, relativeError } from './compare.js';

const H = 1e-6;

interface Case {
  pose: Float64Array;
  betas: Float64Array;
  trans: Float64Array;
}

/** Central FD of L(params) = <grad, output(params)> w.r.t. pose, betas and trans, on the twin. */
function finiteDifferences(data: BodyModelData, c: Case, output: 'vertices' | 'transforms', grad: ArrayLike<number>) {
  const loss = () => dot(twinForward(data, c)[output], grad);
  const fd = (values: Float64Array) =>
    Float64Array.from(values, (v, i) => {
      values[i] = v + H;
      const up = loss();
      values[i] = v - H;
      const down = loss();
      values[i] = v;
      return (up - down) / (2 * H);
    });
  return { pose: fd(c.pose), betas: fd(c.betas), trans: fd(c.trans) };
}

interface Gradients {
  pose: ArrayLike<number>;
  betas: ArrayLike<number>;
  trans: ArrayLike<number>;
}

/** `want` is the reference (FD or the twin's reverse mode). */
function assertClose(got: Gradients, want: Gradients, label: string) {
  const flat = (g: Gradients) => [
    ...Array.from(g.pose), ...Array.from(g.betas), ...Array.from(g.trans),
  ];
  const a = flat(got), b = flat(want);
  assert.equal(a.length, b.length, `${label}: gradient length`);
  const rel = relativeError(a, b);
  const scale = Math.max(...b.map(Math.abs));
  assert.ok(rel <= 1e-5, `${label}: relative error ${rel}`);
  assert.ok(maxAbsDiff(a, b) <= 1e-4 * scale, `${label}: max abs error ${maxAbsDiff(a, b)} (scale ${scale})`);
}

describe('body model gradients vs finite differences of the twin', () => {
  const models = [
    { name: 'J=24, B=10, posedirs, angles up to π', opts: { numVertices: 60, numJoints: 24, numBetas: 10 }, maxAngle: Math.PI },
    { name: 'J=55 (random tree), B=10, posedirs', opts: { numVertices: 40, numJoints: 55, numBetas: 10 }, maxAngle: Math.PI },
    { name: 'J=24, B=0, no posedirs', opts: { numVertices: 60, numJoints: 24, numBetas: 0, posedirs: false }, maxAngle: 2 },
    { name: 'J=24, B=5, small angles (series branch of Rodrigues)', opts: { numVertices: 60, numJoints: 24, numBetas: 5 }, maxAngle: 0.04 },
  ];
  for (const m of models) {
    it(m.name, async () => {
      const data = randomBodyData({ ...m.opts, seed: 17 });
      const model = await createBodyModel(data);
      const J = m.opts.numJoints, B = m.opts.numBetas;
      const c: Case = { pose: randomPose(J, 31, m.maxAngle), betas: randomVector(B, 32, 1.5), trans: randomVector(3, 33) };
      const gV = Float32Array.from(randomVector(m.opts.numVertices * 3, 34));
      assertClose(model.backward(c, gV), finiteDifferences(data, c, 'vertices', gV), 'backward');
      const gT = Float32Array.from(randomVector(J * 16, 35));
      assertClose(model.backwardTransforms(c, gT), finiteDifferences(data, c, 'transforms', gT), 'backwardTransforms');
      model.dispose();
    });
  }

  it('poses with exact zeros, tiny angles and angles at π', async () => {
    const data = randomBodyData({ numVertices: 50, numJoints: 24, numBetas: 10, seed: 41 });
    const model = await createBodyModel(data);
    const pose = randomPose(24, 42);
    for (let j = 0; j < 24; j += 3) pose.fill(0, j * 3, j * 3 + 3); // zero rotations
    pose.set([1e-5, -2e-5, 3e-6], 3); // tiny
    const n = Math.hypot(pose[6]!, pose[7]!, pose[8]!);
    pose.set([(pose[6]! / n) * Math.PI, (pose[7]! / n) * Math.PI, (pose[8]! / n) * Math.PI], 6); // exactly π
    const c: Case = { pose, betas: randomVector(10, 43), trans: randomVector(3, 44) };
    const gV = Float32Array.from(randomVector(50 * 3, 45));
    assertClose(model.backward(c, gV), finiteDifferences(data, c, 'vertices', gV), 'backward');
    const gT = Float32Array.from(randomVector(24 * 16, 46));
    assertClose(model.backwardTransforms(c, gT), finiteDifferences(data, c, 'transforms', gT), 'backwardTransforms');
    model.dispose();
  });
});

describe('body model gradients: closed-form components', () => {
  it('∂/∂trans is the sum of the vertex gradients (and of the transforms’ translation gradients)', async () => {
    const data = randomBodyData({ numVertices: 80, seed: 51 });
    const model = await createBodyModel(data);
    const params = { pose: randomPose(24, 52), betas: randomVector(10, 53), trans: randomVector(3, 54) };
    const gV = Float32Array.from(randomVector(80 * 3, 55));
    const g = model.backward(params, gV);
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let v = 0; v < 80; v++) s += gV[v * 3 + c]!;
      assert.ok(Math.abs(g.trans[c]! - s) < 1e-4);
    }
    const gT = Float32Array.from(randomVector(24 * 16, 56));
    const gt = model.backwardTransforms(params, gT);
    for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let j = 0; j < 24; j++) s += gT[j * 16 + 12 + c]!;
      assert.ok(Math.abs(gt.trans[c]! - s) < 1e-4);
    }
    model.dispose();
  });

  it('one rigid joint at zero pose: ∂L/∂r = Σ_v (v − J₀) × g_v and ∂L/∂β = Sᵀ g', async () => {
    const V = 70, B = 4;
    const data = randomBodyData({ numVertices: V, numJoints: 1, numBetas: B, seed: 61 });
    const model = await createBodyModel(data);
    const betas = randomVector(B, 62);
    const gV = Float32Array.from(randomVector(V * 3, 63));
    const g = model.backward({ pose: [0, 0, 0], betas }, gV);
    const { vShaped, restJoints } = twinForward(data, { pose: [0, 0, 0], betas });
    const want = [0, 0, 0];
    for (let v = 0; v < V; v++) {
      const d = [0, 1, 2].map((c) => vShaped[v * 3 + c]! - restJoints[c]!);
      const gv = [gV[v * 3]!, gV[v * 3 + 1]!, gV[v * 3 + 2]!];
      want[0]! += d[1]! * gv[2]! - d[2]! * gv[1]!;
      want[1]! += d[2]! * gv[0]! - d[0]! * gv[2]!;
      want[2]! += d[0]! * gv[1]! - d[1]! * gv[0]!;
    }
    assert.ok(maxAbsDiff(g.pose, want) < 1e-4, `pose gradient ${Array.from(g.pose)} vs ${want}`);
    // at zero pose the body is just the shaped template: x = v_template + S β
    const wantBetas = Array.from({ length: B }, (_, b) => {
      let s = 0;
      for (let i = 0; i < V * 3; i++) s += data.shapedirs[i * B + b]! * gV[i]!;
      return s;
    });
    assert.ok(maxAbsDiff(g.betas, wantBetas) < 1e-4);
    model.dispose();
  });

  it('gradients have the model’s sizes even when betas are omitted', async () => {
    const data = randomBodyData({ numVertices: 30, numBetas: 6, seed: 71 });
    const model = await createBodyModel(data);
    const g = model.backward({ pose: randomPose(24, 72) }, new Float32Array(90).fill(1));
    assert.equal(g.pose.length, 72);
    assert.equal(g.betas.length, 6);
    assert.equal(g.trans.length, 3);
    assert.ok(maxAbsDiff(g.trans, [30, 30, 30]) < 1e-4);
    model.dispose();
  });
});

describe('body model gradients vs the twin’s own reverse mode (larger models)', () => {
  for (const J of [24, 55]) {
    it(`V=500, J=${J}, B=10`, async () => {
      const data = randomBodyData({ numVertices: 500, numJoints: J, numBetas: 10, seed: 81 });
      const model = await createBodyModel(data);
      const params = { pose: randomPose(J, 82), betas: randomVector(10, 83, 2), trans: randomVector(3, 84) };
      const gV = Float32Array.from(randomVector(500 * 3, 85));
      const gT = Float32Array.from(randomVector(J * 16, 86));
      // the twin's reverse mode is itself checked against FD here, on its own
      const small = randomBodyData({ numVertices: 30, numJoints: J, numBetas: 10, seed: 87 });
      const c: Case = { pose: randomPose(J, 88), betas: randomVector(10, 89), trans: randomVector(3, 90) };
      const gS = randomVector(30 * 3, 91);
      assertClose(twinBackward(small, c, 'vertices', gS), finiteDifferences(small, c, 'vertices', gS), 'twin backward');
      assertClose(model.backward(params, gV), twinBackward(data, params, 'vertices', gV), 'backward');
      assertClose(model.backwardTransforms(params, gT), twinBackward(data, params, 'transforms', gT), 'backwardTransforms');
      model.dispose();
    });
  }
});
