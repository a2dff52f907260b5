/**
 * Nearest-neighbour and radius queries over a set of 3D points (a uniform grid of cells, searched
 * ring by ring): the mirror image of a Gaussian on the body, the seen Gaussians around an unseen one.
 */

export class PointGrid {
  private readonly cellStart: Int32Array;
  private readonly cellItems: Int32Array;
  private readonly origin: [number, number, number];
  private readonly dims: [number, number, number];

  /**
   * `positions`: N×3 points; `members`: the indices among them to search (default all);
   * `cellSize`: metres (about the typical spacing of the points).
   */
  constructor(private readonly positions: Float32Array, members: ArrayLike<number> | undefined, private readonly cellSize: number) {
    const items = members ? Int32Array.from(members) : Int32Array.from({ length: positions.length / 3 }, (_, i) => i);
    const lo: [number, number, number] = [Infinity, Infinity, Infinity], hi: [number, number, number] = [-Infinity, -Infinity, -Infinity];
    for (const i of items) {
      for (let c = 0; c < 3; c++) {
        lo[c] = Math.min(lo[c]!, positions[i * 3 + c]!);
        hi[c] = Math.max(hi[c]!, positions[i * 3 + c]!);
      }
    }
    if (items.length === 0) lo.fill(0), hi.fill(0);
    this.origin = lo;
    this.dims = [0, 1, 2].map((c) => Math.max(1, Math.floor((hi[c]! - lo[c]!) / cellSize) + 1)) as [number, number, number];
    const cells = this.dims[0] * this.dims[1] * this.dims[2];
    const cellOf = Int32Array.from(items, (i) => this.cell(positions[i * 3]!, positions[i * 3 + 1]!, positions[i * 3 + 2]!));
    this.cellStart = new Int32Array(cells + 1);
    for (const c of cellOf) this.cellStart[c + 1]++;
    for (let c = 0; c < cells; c++) this.cellStart[c + 1] += this.cellStart[c]!;
    const next = this.cellStart.slice(0, cells);
    this.cellItems = new Int32Array(items.length);
    items.forEach((i, k) => (this.cellItems[next[cellOf[k]!]!++] = i));
  }

  /** The member nearest to (x, y, z) within `maxDistance` (default unbounded), or −1. */
  nearest(x: number, y: number, z: number, maxDistance = Infinity): number {
    if (this.cellItems.length === 0) return -1;
    const [nx, ny, nz] = this.dims;
    const at = (value: number, c: number) => Math.floor((value - this.origin[c]!) / this.cellSize);
    const cx = at(x, 0), cy = at(y, 1), cz = at(z, 2);
    let best = -1, bestSq = maxDistance * maxDistance;
    const maxRing = Math.max(nx, ny, nz) + Math.max(Math.abs(cx), Math.abs(cy), Math.abs(cz));
    for (let ring = 0; ring <= maxRing; ring++) {
      // Points in ring r are at least (r − 1)·cellSize away: stop once that exceeds the best found.
      const reach = Math.max(0, ring - 1) * this.cellSize;
      if (reach * reach > bestSq) break;
      for (let i = cx - ring; i <= cx + ring; i++) {
        if (i < 0 || i >= nx) continue;
        for (let j = cy - ring; j <= cy + ring; j++) {
          if (j < 0 || j >= ny) continue;
          for (let k = cz - ring; k <= cz + ring; k++) {
            if (k < 0 || k >= nz) continue;
            // Only the shell of the ring: inner cells were searched before.
            if (Math.max(Math.abs(i - cx), Math.abs(j - cy), Math.abs(k - cz)) !== ring) continue;
            const cell = (i * ny + j) * nz + k;
            for (let s = this.cellStart[cell]!; s < this.cellStart[cell + 1]!; s++) {
              const p = this.cellItems[s]!;
              const dx = this.positions[p * 3]! - x, dy = this.positions[p * 3 + 1]! - y, dz = this.positions[p * 3 + 2]! - z;
              const d = dx * dx + dy * dy + dz * dz;
              if (d < bestSq || (d === bestSq && best < 0)) {
                bestSq = d;
                best = p;
              }
            }
          }
        }
      }
    }
    return best;
  }

  /** Calls `visit(index, squaredDistance)` for every member within `radius` of (x, y, z). */
  forEachWithin(x: number, y: number, z: number, radius: number, visit: (index: number, squaredDistance: number) => void): void {
    const [nx, ny, nz] = this.dims;
    const range = (value: number, c: number, n: number) =>
      [Math.max(0, Math.floor((value - radius - this.origin[c]!) / this.cellSize)), Math.min(n - 1, Math.floor((value + radius - this.origin[c]!) / this.cellSize))] as const;
    const [i0, i1] = range(x, 0, nx), [j0, j1] = range(y, 1, ny), [k0, k1] = range(z, 2, nz);
    const radiusSq = radius * radius;
    for (let i = i0; i <= i1; i++) {
      for (let j = j0; j <= j1; j++) {
        for (let k = k0; k <= k1; k++) {
          const cell = (i * ny + j) * nz + k;
          for (let s = this.cellStart[cell]!; s < this.cellStart[cell + 1]!; s++) {
            const p = this.cellItems[s]!;
            const dx = this.positions[p * 3]! - x, dy = this.positions[p * 3 + 1]! - y, dz = this.positions[p * 3 + 2]! - z;
            const d = dx * dx + dy * dy + dz * dz;
            if (d <= radiusSq) visit(p, d);
          }
        }
      }
    }
  }

  private cell(x: number, y: number, z: number): number {
    const [nx, ny, nz] = this.dims;
    const clamp = (value: number, c: number, n: number) => Math.min(n - 1, Math.max(0, Math.floor((value - this.origin[c]!) / this.cellSize)));
    return (clamp(x, 0, nx) * ny + clamp(y, 1, ny)) * nz + clamp(z, 2, nz);
  }
}
