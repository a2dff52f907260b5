/**
 * Instant appearance, filling around the body: an unseen Gaussian takes the colour of the seen
 * Gaussians at the same place along its body part's axis (limb-axes.ts) — the ring of the part
 * through it — nearest around that ring. Clothes and skin mostly keep their colour around a limb
 * or the trunk and change along it (a waistband, a hem, a sleeve), so the back of a waistband the
 * clip never showed stays a band, where filling from every direction at once (diffusion on the UV
 * map) smears it into the trousers below.
 */
import type { UvMapPoints } from './fill-unseen-colors.js';
import { PointGrid } from './point-grid.js';

export interface RingFillSettings {
  /** How far along the axis a donor may lie, metres (about a texel's spacing). */
  slab: number;
  /** How far a donor may lie in all, metres (about a trunk's half-width: further is another body part). */
  reach: number;
  /** Donors up to this much further round the ring than the nearest are averaged with it, metres. */
  band: number;
}

/**
 * Per wanted Gaussian (`wanted[i]` ≠ 0) with a donor (`donor[k]` ≠ 0) on its ring, the mean colour of
 * those donors: returns the Gaussians filled. `axes`: N×3 unit axes (zero: no ring, left as it is);
 * `colors` (N×3) is read at donors and written at the filled ones.
 */
export function fillAroundLimbs(map: UvMapPoints, axes: Float32Array, donor: Uint8Array, wanted: Uint8Array, colors: Float32Array, settings: RingFillSettings): number[] {
  const { count: N, positions: P } = map;
  const donors: number[] = [];
  for (let i = 0; i < N; i++) if (donor[i]) donors.push(i);
  const filled: number[] = [];
  if (donors.length === 0) return filled;
  const grid = new PointGrid(P, donors, settings.reach);
  const fill = new Float32Array(3 * N);
  const candidates: number[] = [], around: number[] = [];
  for (let i = 0; i < N; i++) {
    if (!wanted[i]) continue;
    const ax = axes[3 * i]!, ay = axes[3 * i + 1]!, az = axes[3 * i + 2]!;
    if (ax === 0 && ay === 0 && az === 0) continue;
    candidates.length = 0;
    around.length = 0;
    let nearest = Infinity;
    grid.forEachWithin(P[3 * i]!, P[3 * i + 1]!, P[3 * i + 2]!, settings.reach, (k, squared) => {
      const along = (P[3 * k]! - P[3 * i]!) * ax + (P[3 * k + 1]! - P[3 * i + 1]!) * ay + (P[3 * k + 2]! - P[3 * i + 2]!) * az;
      if (Math.abs(along) > settings.slab) return;
      const ring = Math.sqrt(Math.max(0, squared - along * along));
      candidates.push(k);
      around.push(ring);
      nearest = Math.min(nearest, ring);
    });
    if (candidates.length === 0) continue;
    let r = 0, g = 0, b = 0, n = 0;
    candidates.forEach((k, c) => {
      if (around[c]! > nearest + settings.band) return;
      r += colors[3 * k]!;
      g += colors[3 * k + 1]!;
      b += colors[3 * k + 2]!;
      n++;
    });
    fill[3 * i] = r / n;
    fill[3 * i + 1] = g / n;
    fill[3 * i + 2] = b / n;
    filled.push(i);
  }
  // Written after all are chosen: a filled Gaussian is never another's donor.
  for (const i of filled) colors.set(fill.subarray(3 * i, 3 * i + 3), 3 * i);
  return filled;
}
