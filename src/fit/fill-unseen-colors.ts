/**
 * Instant appearance, step 2: colours for the Gaussians no frame saw, from those that were seen,
 * so the preview has no holes and training starts from something plausible:
 * 1. left–right symmetry: the body is mirror-symmetric about x = 0 in the canonical frame, so an
 *    unseen Gaussian takes the colour of the seen Gaussian nearest to its mirror image (−x, y, z)
 *    when one lies within a texel's spacing (a turn shows one side only: its twin fills the other);
 * 2. around the body (with `map.axes`, ring-fill.ts): the colour of the seen Gaussians at the same
 *    place along the Gaussian's limb or trunk, nearest round it (the back of a waistband the clip
 *    never showed stays a band);
 * 3. diffusion on the UV map: layer by layer from the filled texels into unfilled covered
 *    neighbours (4-neighbours on the R×R map that are also near on the body — a UV seam is not a
 *    neighbour), then smoothing the diffused values (Jacobi, the others held fixed), so unseen
 *    regions blend the colours around them instead of taking streaks;
 * 4. what the map cannot reach (a UV island nobody saw any of): the colour of the nearest filled
 *    region in space (a coarse voxel grid of the filled colours, grown until it covers them);
 * 5. nothing seen at all: one neutral grey.
 */
import { texelFootprintScales } from '../avatar/texel-scales.js';
import { AvatarInputError, describeValue } from '../errors.js';
import { mirrorTwins } from './mirror-twins.js';
import { fillAroundLimbs } from './ring-fill.js';

/** The Gaussians on the UV map (CanonicalGaussians and the UV positional map both fit). */
export interface UvMapPoints {
  resolution: number;
  count: number;
  /** Texel index row·R + col of each Gaussian, N. */
  texels: Uint32Array;
  /** Canonical (big-pose) positions, N×3, metres. */
  positions: Float32Array;
  /** Per Gaussian, the unit axis of its body part (limb-axes.ts), N×3: without it, no filling around the body. */
  axes?: Float32Array;
}

/** Where each filled colour came from. */
export const FillSource = { seen: 0, mirror: 1, ring: 2, diffusion: 3, nearest: 4, fallback: 5 } as const;

export interface FilledColors {
  /** N×3 linear RGB, every Gaussian coloured. */
  colors: Float32Array;
  /** N: FillSource of each colour. */
  source: Uint8Array;
  /** N: the seen Gaussian an unseen one took its colour from by symmetry (mirror-twins.ts), else −1. */
  twins: Int32Array;
}

export interface FillOptions {
  /** Use left–right symmetry (step 1). Default true. */
  mirror?: boolean;
  /** Fill around the body where `map.axes` is given (step 2). Default true. */
  ring?: boolean;
  /** Jacobi smoothing iterations over the diffused colours. Default 30. */
  smoothing?: number;
}

/** How far round the body a ring fill may take its colour from, metres: about the trunk's half-width. */
const RING_REACH = 0.25;
/** Linear grey for a body nothing was seen of (≈ sRGB 124). */
const NEUTRAL = 0.2;

/**
 * Fills the colours of the Gaussians with `seen[i] = 0` (see the file comment). `colors`: N×3
 * linear RGB (read where seen). Returns new arrays.
 * @throws AvatarInputError when the arrays do not match the map.
 */
export function fillUnseenColors(map: UvMapPoints, colors: Float32Array, seen: Uint8Array, options: FillOptions = {}): FilledColors {
  const N = map.count;
  if (!(colors instanceof Float32Array) || colors.length !== 3 * N) throw new AvatarInputError(`colors: expected Float32Array(${3 * N}) (N×3 linear RGB), got ${describeValue(colors)}`);
  if (!(seen instanceof Uint8Array) || seen.length !== N) throw new AvatarInputError(`seen: expected Uint8Array(${N}), got ${describeValue(seen)}`);
  if (map.axes !== undefined && (!(map.axes instanceof Float32Array) || map.axes.length !== 3 * N)) {
    throw new AvatarInputError(`map.axes: expected Float32Array(${3 * N}) (N×3 unit axes), got ${describeValue(map.axes)}`);
  }
  const out = new Float32Array(3 * N);
  const source = new Uint8Array(N).fill(255);
  const UNFILLED = 255;
  let seenCount = 0;
  for (let i = 0; i < N; i++) {
    if (!seen[i]) continue;
    out.set(colors.subarray(3 * i, 3 * i + 3), 3 * i);
    source[i] = FillSource.seen;
    seenCount++;
  }
  const noTwins = () => new Int32Array(N).fill(-1);
  if (seenCount === 0) return { colors: out.fill(NEUTRAL), source: source.fill(FillSource.fallback), twins: noTwins() };
  if (seenCount === N) return { colors: out, source, twins: noTwins() };
  const spacing = medianSpacing(map);

  const twins = (options.mirror ?? true) ? mirrorTwins(map, seen, spacing) : noTwins();
  for (let i = 0; i < N; i++) {
    const twin = twins[i]!;
    if (twin < 0) continue;
    out.set(out.subarray(3 * twin, 3 * twin + 3), 3 * i);
    source[i] = FillSource.mirror;
  }

  if (map.axes && (options.ring ?? true)) {
    const wanted = Uint8Array.from(source, (s) => (s === UNFILLED ? 1 : 0));
    for (const i of fillAroundLimbs(map, map.axes, seen, wanted, out, { slab: spacing, reach: RING_REACH, band: 2 * spacing })) source[i] = FillSource.ring;
  }

  const neighbours = uvNeighbours(map, 4 * spacing);
  diffuse(out, source, neighbours, N, UNFILLED);
  smooth(out, source, neighbours, N, options.smoothing ?? 30);

  if (source.includes(UNFILLED)) fillFromNearestRegion(map, out, source, UNFILLED, Math.max(2 * spacing, 0.03));
  return { colors: out, source, twins };
}

/** Median distance between neighbouring texels' Gaussians, metres. */
function medianSpacing(map: UvMapPoints): number {
  const spacing = texelFootprintScales(map, 1);
  return Float32Array.from(spacing).sort()[spacing.length >> 1] ?? 0.01;
}

/** Per Gaussian, up to 4 neighbours (−1 = none): covered 4-neighbour texels within `maxDistance` on the body. */
function uvNeighbours(map: UvMapPoints, maxDistance: number): Int32Array {
  const { resolution: R, count: N, texels, positions: P } = map;
  const index = new Int32Array(R * R).fill(-1);
  for (let i = 0; i < N; i++) index[texels[i]!] = i;
  const out = new Int32Array(4 * N).fill(-1);
  const steps = [[-1, 0], [1, 0], [0, -1], [0, 1]] as const;
  for (let i = 0; i < N; i++) {
    const row = Math.floor(texels[i]! / R), col = texels[i]! % R;
    steps.forEach(([dr, dc], s) => {
      const r = row + dr, c = col + dc;
      if (r < 0 || r >= R || c < 0 || c >= R) return;
      const k = index[r * R + c]!;
      if (k < 0) return;
      const d = Math.hypot(P[3 * k]! - P[3 * i]!, P[3 * k + 1]! - P[3 * i + 1]!, P[3 * k + 2]! - P[3 * i + 2]!);
      if (d <= maxDistance) out[4 * i + s] = k;
    });
  }
  return out;
}

/** Grows the filled region over the UV neighbourhood, one layer at a time (each new texel: the mean of its filled neighbours). */
function diffuse(colors: Float32Array, source: Uint8Array, neighbours: Int32Array, N: number, UNFILLED: number): void {
  let frontier: number[] = [];
  for (let i = 0; i < N; i++) if (source[i] === UNFILLED) frontier.push(i);
  const layer = new Float32Array(3 * N);
  for (;;) {
    const grown: number[] = [], rest: number[] = [];
    for (const i of frontier) {
      let r = 0, g = 0, b = 0, n = 0;
      for (let s = 0; s < 4; s++) {
        const k = neighbours[4 * i + s]!;
        if (k < 0 || source[k] === UNFILLED) continue;
        r += colors[3 * k]!;
        g += colors[3 * k + 1]!;
        b += colors[3 * k + 2]!;
        n++;
      }
      if (n === 0) {
        rest.push(i);
        continue;
      }
      layer[3 * i] = r / n;
      layer[3 * i + 1] = g / n;
      layer[3 * i + 2] = b / n;
      grown.push(i);
    }
    if (grown.length === 0) return;
    // Applied after the whole layer, so the fill does not run ahead in scan order.
    for (const i of grown) {
      colors.set(layer.subarray(3 * i, 3 * i + 3), 3 * i);
      source[i] = FillSource.diffusion;
    }
    frontier = rest;
  }
}

/** Jacobi smoothing of the diffused colours over their UV neighbours; seen, mirrored and ring-filled colours stay. */
function smooth(colors: Float32Array, source: Uint8Array, neighbours: Int32Array, N: number, iterations: number): void {
  const free: number[] = [];
  for (let i = 0; i < N; i++) if (source[i] === FillSource.diffusion) free.push(i);
  const next = new Float32Array(3 * N);
  for (let it = 0; it < iterations; it++) {
    for (const i of free) {
      let r = colors[3 * i]!, g = colors[3 * i + 1]!, b = colors[3 * i + 2]!, n = 1;
      for (let s = 0; s < 4; s++) {
        const k = neighbours[4 * i + s]!;
        if (k < 0 || source[k] > FillSource.diffusion) continue;
        r += colors[3 * k]!;
        g += colors[3 * k + 1]!;
        b += colors[3 * k + 2]!;
        n++;
      }
      next[3 * i] = r / n;
      next[3 * i + 1] = g / n;
      next[3 * i + 2] = b / n;
    }
    for (const i of free) colors.set(next.subarray(3 * i, 3 * i + 3), 3 * i);
  }
}

/**
 * The Gaussians the UV map could not reach: the mean colour of their voxel in a coarse grid of
 * the filled Gaussians, the grid grown (26-neighbour means, layer by layer) until it covers them.
 */
function fillFromNearestRegion(map: UvMapPoints, colors: Float32Array, source: Uint8Array, UNFILLED: number, cellSize: number): void {
  const { count: N, positions: P } = map;
  const lo = [Infinity, Infinity, Infinity], hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < N; i++) {
    for (let c = 0; c < 3; c++) {
      lo[c] = Math.min(lo[c]!, P[3 * i + c]!);
      hi[c] = Math.max(hi[c]!, P[3 * i + c]!);
    }
  }
  const dims = [0, 1, 2].map((c) => Math.floor((hi[c]! - lo[c]!) / cellSize) + 1);
  const [nx, ny, nz] = dims as [number, number, number];
  const cellOf = (i: number) => {
    const x = Math.floor((P[3 * i]! - lo[0]!) / cellSize), y = Math.floor((P[3 * i + 1]! - lo[1]!) / cellSize), z = Math.floor((P[3 * i + 2]! - lo[2]!) / cellSize);
    return (x * ny + y) * nz + z;
  };
  const cells = nx * ny * nz;
  const sum = new Float64Array(4 * cells);
  for (let i = 0; i < N; i++) {
    if (source[i] === UNFILLED) continue;
    const k = cellOf(i);
    for (let c = 0; c < 3; c++) sum[4 * k + c] += colors[3 * i + c]!;
    sum[4 * k + 3]++;
  }
  const filled = new Uint8Array(cells);
  for (let k = 0; k < cells; k++) {
    if (sum[4 * k + 3]! > 0) {
      for (let c = 0; c < 3; c++) sum[4 * k + c] /= sum[4 * k + 3]!;
      filled[k] = 1;
    }
  }
  const wanted = new Set<number>();
  for (let i = 0; i < N; i++) if (source[i] === UNFILLED) wanted.add(cellOf(i));
  for (let k of wanted) if (filled[k]) wanted.delete(k);
  while (wanted.size > 0) {
    const grown: [number, number, number, number][] = [];
    for (let x = 0; x < nx; x++) {
      for (let y = 0; y < ny; y++) {
        for (let z = 0; z < nz; z++) {
          const k = (x * ny + y) * nz + z;
          if (filled[k]) continue;
          let r = 0, g = 0, b = 0, n = 0;
          for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) for (let dz = -1; dz <= 1; dz++) {
            const X = x + dx, Y = y + dy, Z = z + dz;
            if (X < 0 || Y < 0 || Z < 0 || X >= nx || Y >= ny || Z >= nz) continue;
            const q = (X * ny + Y) * nz + Z;
            if (!filled[q]) continue;
            r += sum[4 * q]!;
            g += sum[4 * q + 1]!;
            b += sum[4 * q + 2]!;
            n++;
          }
          if (n > 0) grown.push([k, r / n, g / n, b / n]);
        }
      }
    }
    for (const [k, r, g, b] of grown) {
      sum[4 * k] = r;
      sum[4 * k + 1] = g;
      sum[4 * k + 2] = b;
      filled[k] = 1;
      wanted.delete(k);
    }
  }
  for (let i = 0; i < N; i++) {
    if (source[i] !== UNFILLED) continue;
    const k = cellOf(i);
    for (let c = 0; c < 3; c++) colors[3 * i + c] = sum[4 * k + c]!;
    source[i] = FillSource.nearest;
  }
}
