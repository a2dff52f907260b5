/**
 * Plain TypeScript (f64) twin of wgsl/skin_gaussians*.wgsl, the oracle for the GPU skinning tests.
 *   posed_i = Σ_j W[i, j] · T_j · [x_i, 1]
 * canonical / posed / gradients: N × 3; weights: N × J row-major; transforms: J × 16, each a
 * column-major 4 × 4 (element (row r, column c) at 16 j + 4 c + r).
 */

export function skinForwardTwin(canonical: ArrayLike<number>, weights: ArrayLike<number>, transforms: ArrayLike<number>, count: number, numJoints: number): Float64Array {
  const posed = new Float64Array(3 * count);
  for (let i = 0; i < count; i++) {
    const x = [canonical[3 * i], canonical[3 * i + 1], canonical[3 * i + 2], 1];
    for (let j = 0; j < numJoints; j++) {
      const w = weights[i * numJoints + j];
      for (let r = 0; r < 3; r++) {
        let tx = 0;
        for (let c = 0; c < 4; c++) tx += transforms[16 * j + 4 * c + r] * x[c];
        posed[3 * i + r] += w * tx;
      }
    }
  }
  return posed;
}

export interface SkinBackwardTwinResult {
  /** ∂L/∂canonical, N × 3. */
  gradCanonical: Float64Array;
  /** ∂L/∂transforms, J × 16 column-major (row 3 is 0). */
  gradTransforms: Float64Array;
  /** Σ_i |term_i| for every entry of gradTransforms: the scale a float32 sum's rounding error grows with. */
  gradTransformsMagnitude: Float64Array;
}

/** Analytic backward of skinForwardTwin for L with ∂L/∂posed = gradPosed. */
export function skinBackwardTwin(
  canonical: ArrayLike<number>, weights: ArrayLike<number>, transforms: ArrayLike<number>, gradPosed: ArrayLike<number>, count: number, numJoints: number,
): SkinBackwardTwinResult {
  const gradCanonical = new Float64Array(3 * count);
  const gradTransforms = new Float64Array(16 * numJoints);
  const gradTransformsMagnitude = new Float64Array(16 * numJoints);
  for (let i = 0; i < count; i++) {
    const x = [canonical[3 * i], canonical[3 * i + 1], canonical[3 * i + 2], 1];
    const g = [gradPosed[3 * i], gradPosed[3 * i + 1], gradPosed[3 * i + 2]];
    for (let j = 0; j < numJoints; j++) {
      const w = weights[i * numJoints + j];
      for (let r = 0; r < 3; r++) {
        for (let c = 0; c < 4; c++) {
          // posed_i[r] += w T_j[r, c] x[c]
          if (c < 3) gradCanonical[3 * i + c] += w * transforms[16 * j + 4 * c + r] * g[r];
          const term = w * g[r] * x[c];
          gradTransforms[16 * j + 4 * c + r] += term;
          gradTransformsMagnitude[16 * j + 4 * c + r] += Math.abs(term);
        }
      }
    }
  }
  return { gradCanonical, gradTransforms, gradTransformsMagnitude };
}

/** A deterministic pseudo-random generator in [0, 1) for fixtures. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A skinning fixture like a real body's: each Gaussian follows 1–4 joints with weights summing to 1; transforms are rotations + translations. */
export function makeSkinningFixture(count: number, numJoints: number, seed: number) {
  const rand = seededRandom(seed);
  const canonical = Float32Array.from({ length: 3 * count }, () => rand() * 1.6 - 0.8);
  const weights = new Float32Array(count * numJoints);
  for (let i = 0; i < count; i++) {
    const k = 1 + Math.floor(rand() * 4);
    const raw = Array.from({ length: k }, () => 0.05 + rand());
    const sum = raw.reduce((a, b) => a + b, 0);
    for (let m = 0; m < k; m++) weights[i * numJoints + Math.floor(rand() * numJoints)] += raw[m] / sum;
  }
  const transforms = new Float32Array(16 * numJoints);
  for (let j = 0; j < numJoints; j++) {
    // Rotation from a random unit quaternion, plus a translation.
    let [a, b, c, d] = [rand() - 0.5, rand() - 0.5, rand() - 0.5, rand() - 0.5];
    const n = Math.hypot(a, b, c, d);
    [a, b, c, d] = [a / n, b / n, c / n, d / n];
    const rot = [
      [1 - 2 * (c * c + d * d), 2 * (b * c - a * d), 2 * (b * d + a * c)],
      [2 * (b * c + a * d), 1 - 2 * (b * b + d * d), 2 * (c * d - a * b)],
      [2 * (b * d - a * c), 2 * (c * d + a * b), 1 - 2 * (b * b + c * c)],
    ];
    for (let r = 0; r < 3; r++) {
      for (let col = 0; col < 3; col++) transforms[16 * j + 4 * col + r] = rot[r][col];
      transforms[16 * j + 12 + r] = rand() - 0.5;
    }
    transforms[16 * j + 15] = 1;
  }
  const gradPosed = Float32Array.from({ length: 3 * count }, () => rand() * 2 - 1);
  return { canonical, weights, transforms, gradPosed };
}
