/**
 * Random body models of SMPL shape for tests and benchmarks (deterministic, seeded). Values are in
 * plausible ranges (metres; small blend shapes) so posed meshes stay well conditioned.
 */
import type { BodyModelData } from '../../src/body/types.js';

/** SMPL's 24-joint kinematic tree. */
export const SMPL_PARENTS = [-1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19, 20, 21];

/** Deterministic PRNG (mulberry32) returning floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface RandomBodyOptions {
  numVertices?: number;
  numJoints?: number;
  numBetas?: number;
  /** Include pose-corrective blend shapes (default true). */
  posedirs?: boolean;
  /** Non-zero skinning weights per vertex (default 4, like SMPL); `numJoints` makes them dense. */
  weightsPerVertex?: number;
  seed?: number;
}

export function randomBodyData(options: RandomBodyOptions = {}): BodyModelData {
  const V = options.numVertices ?? 500;
  const J = options.numJoints ?? 24;
  const B = options.numBetas ?? 10;
  const withPosedirs = options.posedirs ?? true;
  const perVertex = Math.min(options.weightsPerVertex ?? 4, J);
  const rand = seededRandom(options.seed ?? 1);
  const sym = (scale: number) => (rand() * 2 - 1) * scale;

  const parents = new Int32Array(J);
  for (let j = 0; j < J; j++) parents[j] = J === 24 ? SMPL_PARENTS[j]! : j === 0 ? -1 : Math.floor(rand() * j);

  const vTemplate = new Float32Array(V * 3).map(() => sym(0.8));
  const shapedirs = new Float32Array(V * 3 * B).map(() => sym(0.03));
  const P = 9 * (J - 1);
  const posedirs = withPosedirs ? new Float32Array(V * 3 * P).map(() => sym(0.01)) : new Float32Array(0);

  // Each joint regresses from a handful of vertices, rows summing to 1 (like SMPL's regressor).
  const jRegressor = new Float32Array(J * V);
  for (let j = 0; j < J; j++) {
    const picks = Array.from({ length: 8 }, () => Math.floor(rand() * V));
    const w = picks.map(() => 0.2 + rand());
    const total = w.reduce((a, b) => a + b, 0);
    picks.forEach((v, k) => (jRegressor[j * V + v]! += w[k]! / total));
  }

  const weights = new Float32Array(V * J);
  for (let v = 0; v < V; v++) {
    const joints = new Set<number>();
    while (joints.size < perVertex) joints.add(Math.floor(rand() * J));
    const w = [...joints].map(() => 0.1 + rand());
    const total = w.reduce((a, b) => a + b, 0);
    [...joints].forEach((j, k) => (weights[v * J + j] = w[k]! / total));
  }

  const F = Math.max(1, Math.floor(V * 2));
  const faces = new Uint32Array(F * 3).map(() => Math.floor(rand() * V));
  return { vTemplate, shapedirs, numBetas: B, posedirs, jRegressor, weights, parents, faces };
}

/** Random axis-angle pose J×3 with rotation angles uniform in [0, maxAngle] and random axes. */
export function randomPose(numJoints: number, seed: number, maxAngle = Math.PI): Float64Array {
  const rand = seededRandom(seed);
  const pose = new Float64Array(numJoints * 3);
  for (let j = 0; j < numJoints; j++) {
    let x = 0, y = 0, z = 0, n = 0;
    while (n < 1e-3) {
      x = rand() * 2 - 1; y = rand() * 2 - 1; z = rand() * 2 - 1;
      n = Math.hypot(x, y, z);
    }
    const angle = rand() * maxAngle;
    pose[j * 3] = (x / n) * angle;
    pose[j * 3 + 1] = (y / n) * angle;
    pose[j * 3 + 2] = (z / n) * angle;
  }
  return pose;
}

/** Random values uniform in [−scale, scale]. */
export function randomVector(length: number, seed: number, scale = 1): Float64Array {
  const rand = seededRandom(seed);
  return new Float64Array(length).map(() => (rand() * 2 - 1) * scale);
}
