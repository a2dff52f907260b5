/**
 * The body fit's silhouette stage: after the keypoint stages, a few rounds of "project the body,
 * match its outline to each frame's person mask (silhouette-targets.ts), re-fit with those matches
 * as extra 2D landmarks on body vertices" (an ICP). Everything but the focal length is refined:
 * shape, poses, translations; the keypoints stay in the objective, so the skeleton holds.
 */
import type { BodyModel } from '../body/types.js';
import { FitObjective, type FitObjectiveInput } from './fit-objective.js';
import type { LandmarkMap } from './joint-map.js';
import { minimizeLbfgs, type Objective } from './lbfgs.js';
import { rasterizeSilhouette } from './mask-checks.js';
import { DEFAULT_SILHOUETTE_TARGETS, maskGeometry, silhouetteTargets, spreadVertices, type MaskGeometry } from './silhouette-targets.js';

/** Body vertices that can take silhouette targets (spread evenly over the body). */
const SAMPLE_VERTICES = 256;
/** Match-and-refit rounds, and L-BFGS iterations in each. */
export const SILHOUETTE_ROUNDS = 4;
export const SILHOUETTE_ITERATIONS_PER_ROUND = 40;

export interface SilhouetteStageInput {
  body: BodyModel;
  /** The keypoint objective's input (its landmarks come first; the silhouette's are appended). */
  objective: FitObjectiveInput;
  /** Per frame, the person mask (bytes, width × height, ≥ 128 = person) or undefined. */
  masks: readonly (Uint8Array | undefined)[];
  width: number;
  height: number;
  /** Builds the L-BFGS objective (and the map to model parameters) around a FitObjective. */
  reparameterise: (objective: FitObjective) => { evaluate: Objective; toModel: (x: Float64Array) => Float64Array };
  /** Parameters after the keypoint stages (the optimiser's variables). */
  x: Float64Array;
  /** Which parameters may move. */
  free: Uint8Array;
  onIteration: (iteration: number, loss: number) => Promise<void> | void;
}

export interface SilhouetteStageResult {
  x: Float64Array;
  iterations: number;
  /** Per-frame mean reprojection error over the keypoints alone (pixels; 0 where none). */
  keypointErrors: Float64Array;
}

/** Runs the silhouette stage. */
export async function fitSilhouettes(input: SilhouetteStageInput): Promise<SilhouetteStageResult> {
  const { body, masks, width, height } = input;
  const F = input.objective.numFrames, K = input.objective.map.length;
  const samples = spreadVertices(body.data.vTemplate, SAMPLE_VERTICES);
  const S = samples.length, K2 = K + S;
  const map: LandmarkMap = [...input.objective.map, ...Array.from(samples, (v) => [{ kind: 'vertex' as const, index: v, weight: 1 }])];
  const keypoints2d = new Float64Array(F * K2 * 3);
  for (let f = 0; f < F; f++) keypoints2d.set(input.objective.keypoints2d.subarray(f * K * 3, (f + 1) * K * 3), f * K2 * 3);
  let keypoints3d: Float64Array | undefined;
  if (input.objective.keypoints3d) {
    keypoints3d = new Float64Array(F * K2 * 4);
    for (let f = 0; f < F; f++) keypoints3d.set(input.objective.keypoints3d.subarray(f * K * 4, (f + 1) * K * 4), f * K2 * 4);
  }
  const geometry: (MaskGeometry | null)[] = masks.map((m) => (m ? maskGeometry(m, width, height) : null));
  const objective = await FitObjective.create(body, { ...input.objective, map, keypoints2d, keypoints3d });
  try {
    const { evaluate, toModel } = input.reparameterise(objective);
    const B = body.numBetas, stride = 75, first = B + 1;
    let x = input.x, iterations = 0;
    for (let round = 0; round < SILHOUETTE_ROUNDS; round++) {
      const p = toModel(x);
      const focal = Math.exp(p[B]!), betas = p.subarray(0, B);
      for (let f = 0; f < F; f++) {
        const g = geometry[f];
        const targets = keypoints2d.subarray(f * K2 * 3 + K * 3, (f + 1) * K2 * 3);
        if (!g) continue;
        const pose = p.subarray(first + f * stride, first + f * stride + 72), trans = p.subarray(first + f * stride + 72, first + (f + 1) * stride);
        const vertices = body.forward({ betas, pose, trans }).vertices;
        const camera = { width, height, K: [focal, 0, 0, 0, focal, 0, width / 2, height / 2, 1] };
        const outline = rasterizeSilhouette(vertices, body.faces, camera).coverage;
        targets.set(silhouetteTargets(projectVertices(vertices, focal, width / 2, height / 2), samples, outline, g, DEFAULT_SILHOUETTE_TARGETS));
      }
      objective.setKeypoints2d(keypoints2d);
      const result = await minimizeLbfgs(evaluate, x, { maxIterations: SILHOUETTE_ITERATIONS_PER_ROUND, free: input.free, onIteration: input.onIteration });
      x = result.x;
      iterations += result.iterations;
    }
    // The reprojection error the fit reports is the keypoints' alone.
    for (let f = 0; f < F; f++) keypoints2d.fill(0, f * K2 * 3 + K * 3, (f + 1) * K2 * 3);
    objective.setKeypoints2d(keypoints2d);
    toModel(x);
    objective.evaluate();
    return { x, iterations, keypointErrors: Float64Array.from(objective.frameErrors) };
  } finally {
    objective.dispose();
  }
}

/** Pinhole projection (world = OpenCV camera frame) of V×3 vertices; NaN for points behind the camera. */
function projectVertices(vertices: Float32Array, focal: number, cx: number, cy: number): Float64Array {
  const V = vertices.length / 3;
  const out = new Float64Array(V * 2);
  for (let v = 0; v < V; v++) {
    const z = vertices[v * 3 + 2]!;
    if (!(z > 1e-3)) {
      out[v * 2] = NaN;
      out[v * 2 + 1] = NaN;
      continue;
    }
    out[v * 2] = (focal * vertices[v * 3]!) / z + cx;
    out[v * 2 + 1] = (focal * vertices[v * 3 + 1]!) / z + cy;
  }
  return out;
}
