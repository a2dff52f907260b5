/**
 * Plain TypeScript (f64) twin of wgsl/skin_gaussians_sparse.wgsl: posed_i = Σ_k w_ik · T_{j_ik} · [x_i, 1]
 * over the 8 slots of SparseWeights (joints: N × 2 u32 of four u8 each; weights: N × 8).
 */
export function sparseSkinForwardTwin(canonical: ArrayLike<number>, joints: Uint32Array, weights: ArrayLike<number>, transforms: ArrayLike<number>, count: number): Float64Array {
  const posed = new Float64Array(3 * count);
  for (let i = 0; i < count; i++) {
    const x = [canonical[3 * i], canonical[3 * i + 1], canonical[3 * i + 2], 1];
    for (let k = 0; k < 8; k++) {
      const w = weights[8 * i + k];
      const j = (joints[2 * i + Math.floor(k / 4)] >>> (8 * (k % 4))) & 0xff;
      for (let r = 0; r < 3; r++) {
        let tx = 0;
        for (let c = 0; c < 4; c++) tx += transforms[16 * j + 4 * c + r] * x[c];
        posed[3 * i + r] += w * tx;
      }
    }
  }
  return posed;
}
