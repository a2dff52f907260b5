/**
 * Left–right symmetry of the body on the UV map: for each Gaussian no frame saw, the seen Gaussian
 * nearest its mirror image (−x, y, z) in the canonical (big-pose) frame, where the body is
 * mirror-symmetric about x = 0. Instant appearance copies the twin's colour (fill-unseen-colors.ts);
 * training keeps taking after it (trainAvatar's `mirrorTwins`).
 */
import type { UvMapPoints } from './fill-unseen-colors.js';
import { PointGrid } from './point-grid.js';

/**
 * Per Gaussian: −1 when it was seen (`seen[i]` ≠ 0) or no seen Gaussian lies within `maxDistance`
 * (metres) of its mirror image, else the index of the nearest seen one there.
 */
export function mirrorTwins(map: UvMapPoints, seen: Uint8Array, maxDistance: number): Int32Array {
  const N = map.count, P = map.positions;
  const twins = new Int32Array(N).fill(-1);
  const seenIndices: number[] = [];
  for (let i = 0; i < N; i++) if (seen[i]) seenIndices.push(i);
  if (seenIndices.length === 0 || seenIndices.length === N) return twins;
  const grid = new PointGrid(P, seenIndices, maxDistance);
  for (let i = 0; i < N; i++) {
    if (!seen[i]) twins[i] = grid.nearest(-P[3 * i]!, P[3 * i + 1]!, P[3 * i + 2]!, maxDistance);
  }
  return twins;
}
