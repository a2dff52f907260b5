/**
 * Sparse skinning weights (for sparse-skinning.ts): each Gaussian's at most 8 nonzero weights in
 * ascending joint order with their joints packed as bytes, from dense N × J row-major weights.
 */

/** Weight slots per Gaussian. */
export const SPARSE_JOINTS = 8;

/** Sparse skinning weights of N Gaussians. */
export interface SparseWeights {
  /** N × 2 u32: slot k's joint index in byte k % 4 (least significant first) of word 2i + k / 4. */
  joints: Uint32Array;
  /** N × 8 f32: slot k's weight; the nonzero weights of a row in ascending joint order, then zeros. */
  weights: Float32Array;
}

/** The sparse form of dense N × J row-major weights, or undefined when a row has > 8 nonzero weights or J > 256. */
export function sparseSkinningWeights(weights: Float32Array, count: number, numJoints: number): SparseWeights | undefined {
  if (numJoints > 256) return undefined;
  const joints = new Uint32Array(2 * count);
  const sparse = new Float32Array(SPARSE_JOINTS * count);
  for (let i = 0; i < count; i++) {
    let k = 0;
    for (let j = 0; j < numJoints; j++) {
      const w = weights[i * numJoints + j];
      if (w === 0) continue;
      if (k === SPARSE_JOINTS) return undefined;
      sparse[SPARSE_JOINTS * i + k] = w;
      joints[2 * i + (k >> 2)] |= j << (8 * (k & 3));
      k++;
    }
  }
  return { joints, weights: sparse };
}
