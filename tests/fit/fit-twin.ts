/**
 * Plain f64 twin of the keypoint-fit objective (asm/keypoint_fit.ts, fit_landmarks.ts,
 * fit_priors.ts): the oracle for the WASM value and, through central finite differences, for its
 * gradient. Built on the body twin (tests/body/twin.ts: full mesh, dense loops), written for
 * obviousness, not speed.
 */
import type { BodyModelData } from '../../src/body/types.js';
import type { LandmarkMap } from '../../src/fit/joint-map.js';
import type { FitObjectiveInput } from '../../src/fit/fit-objective.js';
import { twinForward } from '../body/twin.js';

/** Landmark positions (K×3) of one posed body: Σ weight · (joint or vertex). */
export function twinLandmarks(data: BodyModelData, map: LandmarkMap, pose: ArrayLike<number>, betas: ArrayLike<number>, trans: ArrayLike<number>): Float64Array {
  const body = twinForward(data, { pose, betas, trans });
  const out = new Float64Array(map.length * 3);
  map.forEach((terms, k) => {
    for (const t of terms) {
      const src = t.kind === 'joint' ? body.joints : body.vertices;
      for (let c = 0; c < 3; c++) out[k * 3 + c]! += t.weight * src[t.index * 3 + c]!;
    }
  });
  return out;
}

/** Geman–McClure ρ(e) = σ²e / (σ² + e) of a squared residual e. */
const gmof = (e: number, sigma: number) => (sigma * sigma * e) / (sigma * sigma + e);

/** The objective at `params` (layout of FitObjective.params). */
export function twinObjective(data: BodyModelData, input: FitObjectiveInput, landmarkWeights: ArrayLike<number>, params: ArrayLike<number>): number {
  const B = data.numBetas, J = data.parents.length, F = input.numFrames, K = input.map.length, w = input.weights;
  const betas = Array.from({ length: B }, (_, b) => params[b]!);
  const focal = Math.exp(params[B]!);
  const stride = 3 * J + 3;
  const frame = (f: number) => Array.from({ length: stride }, (_, i) => params[B + 1 + f * stride + i]!);
  let loss = 0;
  for (let f = 0; f < F; f++) {
    const x = frame(f);
    const pts = twinLandmarks(data, input.map, x.slice(0, 3 * J), betas, x.slice(3 * J));
    for (let k = 0; k < K; k++) {
      const c = input.keypoints2d[(f * K + k) * 3 + 2]!;
      if (!(c > 0) || input.map[k]!.length === 0 || !(pts[k * 3 + 2]! > 1e-3)) continue;
      const u = (focal * pts[k * 3]!) / pts[k * 3 + 2]! + w.cx, v = (focal * pts[k * 3 + 1]!) / pts[k * 3 + 2]! + w.cy;
      const e = (u - input.keypoints2d[(f * K + k) * 3]!) ** 2 + (v - input.keypoints2d[(f * K + k) * 3 + 1]!) ** 2;
      loss += w.w2d * landmarkWeights[k]! * c * gmof(e, w.sigma2d);
    }
    const kp = input.keypoints3d;
    if (kp && w.w3d !== 0) {
      const obs = (k: number, c: number) => kp[(f * K + k) * 4 + c]!;
      const hl = w.hipLeft, hr = w.hipRight;
      if (obs(hl, 3) > 0 && obs(hr, 3) > 0 && input.map[hl]!.length > 0 && input.map[hr]!.length > 0) {
        for (let k = 0; k < K; k++) {
          if (!(obs(k, 3) > 0) || input.map[k]!.length === 0) continue;
          let e = 0;
          for (let c = 0; c < 3; c++) {
            const model = pts[k * 3 + c]! - (pts[hl * 3 + c]! + pts[hr * 3 + c]!) / 2;
            const seen = obs(k, c) - (obs(hl, c) + obs(hr, c)) / 2;
            e += (c < 2 ? w.w3dImagePlane : 1) * (model - seen) ** 2;
          }
          loss += w.w3d * landmarkWeights[k]! * obs(k, 3) * gmof(e, w.sigma3d);
        }
      }
    }
    for (let i = 0; i < 3 * J; i++) {
      loss += input.poseWeights[i]! * x[i]! ** 2;
      const over = input.limitSigns[i]! * x[i]!;
      if (input.limitSigns[i] !== 0 && over > 0) loss += w.limit * over ** 2;
    }
    if (f > 0) {
      const prev = frame(f - 1);
      for (let i = 0; i < stride; i++) loss += (i < 3 * J ? w.smoothPose : w.smoothTrans) * (x[i]! - prev[i]!) ** 2;
    }
  }
  for (let b = 0; b < B; b++) loss += w.shape * betas[b]! ** 2;
  loss += w.focal * (params[B]! - w.logFocalPrior) ** 2;
  return loss;
}
