// How far one body model's data is from another's with the same topology (a quantised asset from
// its float source): vertex and joint distances under a few shapes and poses, and the largest
// skinning-weight and UV differences. Used by the quantisation test of the default-body asset.
import { createBodyModel } from '../../src/body/body-model.js';
import type { BodyModelData } from '../../src/body/types.js';

export interface BodyDataError {
  /** Largest / mean vertex distance, metres, over every case. */
  vertexMax: number;
  vertexMean: number;
  /** Largest joint distance, metres, over every case. */
  jointMax: number;
  /** Largest |Δ| of a skinning weight, of a UV coordinate. */
  weightMax: number;
  uvMax: number;
  /** Largest vertex distance per case, metres (for reports). */
  perCase: { name: string; vertexMax: number; vertexMean: number; jointMax: number }[];
}

const J = 24;

/** Seeded uniform numbers in [−1, 1). */
function jitter(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 31 - 1;
  };
}

/** Rest, every β component at ±2, two random β ∈ [−2, 2]¹⁰, and three poses (one with β). */
export function bodyCases(numBetas: number): { name: string; betas: number[]; pose: Float32Array }[] {
  const cases: { name: string; betas: number[]; pose: Float32Array }[] = [{ name: 'rest', betas: [], pose: new Float32Array(J * 3) }];
  for (let b = 0; b < numBetas; b++) {
    for (const s of [2, -2]) {
      const betas = new Array<number>(numBetas).fill(0);
      betas[b] = s;
      cases.push({ name: `β${b} = ${s}`, betas, pose: new Float32Array(J * 3) });
    }
  }
  const rand = jitter(11);
  const randomBetas = () => Array.from({ length: numBetas }, () => 2 * rand());
  cases.push({ name: 'random β 1', betas: randomBetas(), pose: new Float32Array(J * 3) });
  cases.push({ name: 'random β 2', betas: randomBetas(), pose: new Float32Array(J * 3) });
  for (let k = 0; k < 3; k++) {
    const pose = Float32Array.from({ length: J * 3 }, () => 0.6 * rand());
    cases.push({ name: `pose ${k + 1}${k === 2 ? ', random β' : ''}`, betas: k === 2 ? randomBetas() : [], pose });
  }
  return cases;
}

export async function bodyDataError(reference: BodyModelData, other: BodyModelData): Promise<BodyDataError> {
  const a = await createBodyModel(reference), b = await createBodyModel(other);
  try {
    const perCase: BodyDataError['perCase'] = [];
    let vertexSum = 0, vertexCount = 0;
    for (const { name, betas, pose } of bodyCases(reference.numBetas)) {
      const ra = a.forward({ pose, betas }), rb = b.forward({ pose, betas });
      let vMax = 0, vSum = 0, jMax = 0;
      for (let i = 0; i < ra.vertices.length; i += 3) {
        const d = Math.hypot(ra.vertices[i]! - rb.vertices[i]!, ra.vertices[i + 1]! - rb.vertices[i + 1]!, ra.vertices[i + 2]! - rb.vertices[i + 2]!);
        vMax = Math.max(vMax, d);
        vSum += d;
      }
      for (let i = 0; i < ra.joints.length; i += 3) {
        jMax = Math.max(jMax, Math.hypot(ra.joints[i]! - rb.joints[i]!, ra.joints[i + 1]! - rb.joints[i + 1]!, ra.joints[i + 2]! - rb.joints[i + 2]!));
      }
      const n = ra.vertices.length / 3;
      perCase.push({ name, vertexMax: vMax, vertexMean: vSum / n, jointMax: jMax });
      vertexSum += vSum;
      vertexCount += n;
    }
    const maxDiff = (x: ArrayLike<number> | undefined, y: ArrayLike<number> | undefined) => {
      let m = 0;
      for (let i = 0; i < (x?.length ?? 0); i++) m = Math.max(m, Math.abs(x![i]! - y![i]!));
      return m;
    };
    return {
      vertexMax: Math.max(...perCase.map((c) => c.vertexMax)),
      vertexMean: vertexSum / vertexCount,
      jointMax: Math.max(...perCase.map((c) => c.jointMax)),
      weightMax: maxDiff(reference.weights, other.weights),
      uvMax: maxDiff(reference.uvs, other.uvs),
      perCase,
    };
  } finally {
    a.dispose();
    b.dispose();
  }
}
