// The WASM keypoint-fit objective against its f64 twin: value, and gradient vs central finite
// differences of the twin, on the default body (joints + vertex landmarks) and on a random body
// with pose correctives.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createBodyModel } from '../../src/body/body-model.js';
import { defaultBodyData } from '../../src/body/default-body.js';
import type { BodyModelData } from '../../src/body/types.js';
import { FitObjective, type FitObjectiveInput } from '../../src/fit/fit-objective.js';
import { landmarkMapFor, landmarkMapWithVertices, type LandmarkMap } from '../../src/fit/joint-map.js';
import { randomBodyData, seededRandom } from '../helpers/random-body.js';
import { twinLandmarks, twinObjective } from './fit-twin.js';

/** A problem whose keypoints come from a nearby pose, so every term is active and non-trivial. */
function problem(data: BodyModelData, map: LandmarkMap, F: number, seed: number) {
  const rand = seededRandom(seed);
  const sym = (s: number) => (rand() * 2 - 1) * s;
  const B = data.numBetas, J = data.parents.length, K = map.length;
  const stride = 3 * J + 3;
  const params = new Float64Array(B + 1 + F * stride);
  for (let b = 0; b < B; b++) params[b] = sym(0.5);
  params[B] = Math.log(900) + sym(0.05);
  const keypoints2d = new Float64Array(F * K * 3), keypoints3d = new Float64Array(F * K * 4);
  for (let f = 0; f < F; f++) {
    const o = B + 1 + f * stride;
    for (let i = 0; i < 3 * J; i++) params[o + i] = sym(0.4);
    params[o] = Math.PI + sym(0.2); // turned into camera axes
    params[o + 3 * J] = sym(0.2); params[o + 3 * J + 1] = sym(0.2); params[o + 3 * J + 2] = 3 + sym(0.3);
    // observations: landmarks of a perturbed pose, projected; some points missing
    const pose = Array.from({ length: 3 * J }, (_, i) => params[o + i]! + sym(0.15));
    const pts = twinLandmarks(data, map, pose, Array.from(params.subarray(0, B)), Array.from(params.subarray(o + 3 * J, o + stride)));
    for (let k = 0; k < K; k++) {
      const c = rand() < 0.15 ? 0 : 0.3 + 0.7 * rand();
      keypoints2d.set([(900 * pts[k * 3]!) / pts[k * 3 + 2]! + 320 + sym(30), (900 * pts[k * 3 + 1]!) / pts[k * 3 + 2]! + 240 + sym(30), c], (f * K + k) * 3);
      keypoints3d.set([pts[k * 3]! + sym(0.05), pts[k * 3 + 1]! + sym(0.05), pts[k * 3 + 2]! + sym(0.05), rand() < 0.1 ? 0 : c], (f * K + k) * 4);
    }
    keypoints3d[(f * K + 23) * 4 + 3] = 1;
    keypoints3d[(f * K + 24) * 4 + 3] = 1;
  }
  const poseWeights = Float64Array.from({ length: 3 * J }, (_, i) => (i < 3 ? 0 : 0.01 + rand() * 0.01));
  const limitSigns = Float64Array.from({ length: 3 * J }, () => [0, 1, -1][Math.floor(rand() * 3)]!);
  const input: FitObjectiveInput = {
    numFrames: F, keypoints2d, keypoints3d, map, poseWeights, limitSigns,
    weights: {
      w2d: 1e-3, sigma2d: 40, w3d: 2, sigma3d: 0.1, limit: 0.5, shape: 0.02, smoothPose: 0.05, smoothTrans: 0.3,
      focal: 0.1, logFocalPrior: Math.log(1000), cx: 320, cy: 240, hipLeft: 23, hipRight: 24, w3dImagePlane: 0.3,
    },
  };
  return { input, params };
}

async function checkAgainstTwin(data: BodyModelData, map: LandmarkMap, F: number, seed: number, probes: number[]) {
  const body = await createBodyModel(data);
  const { input, params } = problem(data, map, F, seed);
  const objective = await FitObjective.create(body, input);
  try {
    const lw = objective.landmarkWeights;
    for (let k = 0; k < lw.length; k++) lw[k] = k % 5 === 0 ? 0.5 : 1;
    const weights = Array.from(objective.landmarkWeights);
    objective.params.set(params);
    const loss = objective.evaluate();
    const grad = Float64Array.from(objective.gradient);
    const twin = twinObjective(data, input, weights, params);
    assert.ok(objective.terms().reprojection > 0 && objective.terms().landmarks3d > 0 && objective.terms().jointLimits > 0);
    // f32 skinning data and β rounded to f32 in the body's joint regression: ~1e-6 relative
    assert.ok(Math.abs(loss - twin) <= 1e-5 * Math.abs(twin), `loss ${loss} vs twin ${twin}`);
    const h = 1e-5;
    let worst = 0;
    for (const i of probes) {
      const plus = Float64Array.from(params), minus = Float64Array.from(params);
      plus[i]! += h; minus[i]! -= h;
      const fd = (twinObjective(data, input, weights, plus) - twinObjective(data, input, weights, minus)) / (2 * h);
      const err = Math.abs(grad[i]! - fd) / Math.max(1, Math.abs(fd));
      worst = Math.max(worst, err);
      assert.ok(err < 1e-5, `param ${i}: wasm ${grad[i]} vs fd ${fd}`);
    }
    return { worst, numParams: objective.numParams };
  } finally {
    objective.dispose();
    body.dispose();
  }
}

test('objective on the default body: value and gradient match the f64 twin', async () => {
  const data = defaultBodyData();
  const map = landmarkMapFor({ numVertices: data.vTemplate.length / 3, numJoints: 24 });
  const B = data.numBetas, stride = 75;
  // all betas, the focal, and in both frames: root, hips, knees, shoulders, elbows, neck, trans
  const frameProbes = [0, 1, 2, 3, 5, 13, 15, 16, 36, 38, 48, 49, 50, 55, 57, 58, 72, 73, 74];
  const probes = [...Array.from({ length: B + 1 }, (_, i) => i), ...[0, 1].flatMap((f) => frameProbes.map((i) => B + 1 + f * stride + i))];
  const { worst } = await checkAgainstTwin(data, map, 2, 7, probes);
  console.log(`default body: worst relative gradient error ${worst.toExponential(2)} over ${probes.length} parameters`);
});

test('objective on a random body with pose correctives: value and gradient match the f64 twin', async () => {
  const data = randomBodyData({ numVertices: 300, seed: 3 });
  const sets: Record<number, number[]> = { 0: [5, 17, 40], 7: [100], 8: [101, 102], 29: [250, 251], 31: [7] };
  const map = landmarkMapWithVertices(sets);
  const B = data.numBetas;
  const probes = Array.from({ length: B + 1 + 3 * 75 }, (_, i) => i).filter((i) => i <= B || i % 3 === 0);
  const { worst } = await checkAgainstTwin(data, map, 3, 11, probes);
  console.log(`random body: worst relative gradient error ${worst.toExponential(2)} over ${probes.length} parameters`);
});
