/**
 * Isotropic Gaussian scales from the UV positional map's texel footprint: each Gaussian's σ is a
 * fraction of the canonical distance to its neighbouring texels, so neighbouring splats overlap
 * and the surface looks closed wherever the UV layout stretches or shrinks.
 */

/** σ as a fraction of the local texel spacing (0.7: two neighbours' splats meet at α ≈ 0.78). */
export const DEFAULT_SPACING_FRACTION = 0.7;

/**
 * σ_i (N, metres) = `fraction` × the mean canonical distance from Gaussian i to its 4-neighbour
 * texels that are covered. Neighbours more than 3× farther than the nearest one are across a UV
 * seam (adjacent in UV, apart on the body) and are ignored; a Gaussian with no covered neighbour
 * gets the median spacing. The result is clamped to 0.25…4× the median spacing.
 */
export function texelFootprintScales(
  map: { resolution: number; count: number; texels: Uint32Array; positions: Float32Array },
  fraction = DEFAULT_SPACING_FRACTION,
): Float32Array {
  const { resolution: R, count: N, texels, positions: P } = map;
  const index = new Int32Array(R * R).fill(-1);
  for (let i = 0; i < N; i++) index[texels[i]!] = i;
  const spacing = new Float64Array(N).fill(NaN);
  const d = [0, 0, 0, 0];
  for (let i = 0; i < N; i++) {
    const t = texels[i]!;
    const row = Math.floor(t / R), col = t % R;
    let found = 0;
    let nearest = Infinity;
    for (const [dr, dc] of [[-1, 0], [1, 0], [0, -1], [0, 1]] as const) {
      const r = row + dr, c = col + dc;
      if (r < 0 || r >= R || c < 0 || c >= R) continue;
      const k = index[r * R + c]!;
      if (k < 0) continue;
      const dist = Math.hypot(P[k * 3]! - P[i * 3]!, P[k * 3 + 1]! - P[i * 3 + 1]!, P[k * 3 + 2]! - P[i * 3 + 2]!);
      d[found++] = dist;
      nearest = Math.min(nearest, dist);
    }
    let sum = 0, used = 0;
    for (let k = 0; k < found; k++) {
      if (d[k]! <= 3 * nearest) {
        sum += d[k]!;
        used++;
      }
    }
    if (used > 0 && sum > 0) spacing[i] = sum / used;
  }
  const known = Array.from(spacing).filter((s) => Number.isFinite(s)).sort((a, b) => a - b);
  const median = known.length ? known[Math.floor(known.length / 2)]! : 0.01;
  const out = new Float32Array(N);
  for (let i = 0; i < N; i++) {
    const s = Number.isFinite(spacing[i]!) ? spacing[i]! : median;
    out[i] = fraction * Math.min(4 * median, Math.max(0.25 * median, s));
  }
  return out;
}
