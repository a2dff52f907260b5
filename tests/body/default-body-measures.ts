/**
 * Plain f64 measurements of triangle meshes for the default-body tests: volume, height, ray
 * crossings, connectivity, UV coverage. Positions V×3 (metres), faces F×3 vertex indices.
 */

export type Vec3 = [number, number, number];

export const at3 = (a: ArrayLike<number>, i: number): Vec3 => [a[i * 3]!, a[i * 3 + 1]!, a[i * 3 + 2]!];
const sub = (a: Vec3, b: Vec3): Vec3 => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const dot = (a: Vec3, b: Vec3) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vec3, b: Vec3): Vec3 => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
export const distance = (a: Vec3, b: Vec3) => Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);

/** Signed enclosed volume (m³): positive when faces wind counter-clockwise seen from outside. */
export function signedVolume(positions: ArrayLike<number>, faces: ArrayLike<number>): number {
  let s = 0;
  for (let f = 0; f < faces.length; f += 3) {
    s += dot(at3(positions, faces[f]!), cross(at3(positions, faces[f + 1]!), at3(positions, faces[f + 2]!)));
  }
  return s / 6;
}

/** Extent along y (m). */
export function heightOf(positions: ArrayLike<number>): number {
  let lo = Infinity, hi = -Infinity;
  for (let i = 1; i < positions.length; i += 3) {
    lo = Math.min(lo, positions[i]!);
    hi = Math.max(hi, positions[i]!);
  }
  return hi - lo;
}

/** Unit normal of face f (counter-clockwise winding). */
export function faceNormal(positions: ArrayLike<number>, faces: ArrayLike<number>, f: number): Vec3 {
  const a = at3(positions, faces[f * 3]!);
  const n = cross(sub(at3(positions, faces[f * 3 + 1]!), a), sub(at3(positions, faces[f * 3 + 2]!), a));
  const l = Math.hypot(...n) || 1;
  return [n[0] / l, n[1] / l, n[2] / l];
}

/** Number of faces a ray from `origin` along `dir` crosses (Möller–Trumbore, t > 0). */
export function rayCrossings(positions: ArrayLike<number>, faces: ArrayLike<number>, origin: Vec3, dir: Vec3): number {
  let hits = 0;
  for (let f = 0; f < faces.length; f += 3) {
    const a = at3(positions, faces[f]!);
    const e1 = sub(at3(positions, faces[f + 1]!), a), e2 = sub(at3(positions, faces[f + 2]!), a);
    const p = cross(dir, e2);
    const det = dot(e1, p);
    if (Math.abs(det) < 1e-14) continue;
    const s = sub(origin, a);
    const u = dot(s, p) / det;
    if (u < 0 || u > 1) continue;
    const q = cross(s, e1);
    const v = dot(dir, q) / det;
    if (v < 0 || u + v > 1) continue;
    if (dot(e2, q) / det > 0) hits++;
  }
  return hits;
}

/** Number of connected components of the face graph (vertices not in any face count as their own). */
export function connectedComponents(numVertices: number, faces: ArrayLike<number>): number {
  const parent = Int32Array.from({ length: numVertices }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]!]!;
    return x;
  };
  for (let f = 0; f < faces.length; f += 3) {
    for (const k of [1, 2]) {
      const a = find(faces[f]!), b = find(faces[f + k]!);
      if (a !== b) parent[a] = b;
    }
  }
  let roots = 0;
  for (let v = 0; v < numVertices; v++) if (find(v) === v) roots++;
  return roots;
}

/** How many faces share each undirected edge: { boundary: edges used once, overShared: edges used > 2 times }. */
export function edgeUse(faces: ArrayLike<number>): { boundary: number; overShared: number } {
  const count = new Map<number, number>();
  for (let f = 0; f < faces.length; f += 3) {
    for (let k = 0; k < 3; k++) {
      const a = faces[f + k]!, b = faces[f + ((k + 1) % 3)]!;
      const key = Math.min(a, b) * 0x100000 + Math.max(a, b);
      count.set(key, (count.get(key) ?? 0) + 1);
    }
  }
  let boundary = 0, overShared = 0;
  for (const c of count.values()) {
    if (c === 1) boundary++;
    if (c > 2) overShared++;
  }
  return { boundary, overShared };
}

/**
 * Rasterises every UV triangle into an n×n grid (texel centres strictly inside, `inset` texels from
 * the edges so shared edges never count twice). Returns texels covered once and more than once.
 */
export function uvCoverage(uvs: ArrayLike<number>, uvFaces: ArrayLike<number>, n: number, inset = 1e-3) {
  const hits = new Uint8Array(n * n);
  let covered = 0, overlapping = 0;
  for (let f = 0; f < uvFaces.length; f += 3) {
    const p = [0, 1, 2].map((k) => [uvs[uvFaces[f + k]! * 2]! * n, uvs[uvFaces[f + k]! * 2 + 1]! * n] as const);
    const area2 = (p[1]![0] - p[0]![0]) * (p[2]![1] - p[0]![1]) - (p[1]![1] - p[0]![1]) * (p[2]![0] - p[0]![0]);
    if (area2 === 0) continue;
    const xs = p.map((q) => q[0]), ys = p.map((q) => q[1]);
    const x0 = Math.max(0, Math.floor(Math.min(...xs))), x1 = Math.min(n - 1, Math.ceil(Math.max(...xs)));
    const y0 = Math.max(0, Math.floor(Math.min(...ys))), y1 = Math.min(n - 1, Math.ceil(Math.max(...ys)));
    for (let y = y0; y <= y1; y++) {
      for (let x = x0; x <= x1; x++) {
        let inside = true;
        for (let k = 0; k < 3 && inside; k++) {
          const a = p[k]!, b = p[(k + 1) % 3]!;
          const signedDistance = ((b[0] - a[0]) * (y + 0.5 - a[1]) - (b[1] - a[1]) * (x + 0.5 - a[0])) * Math.sign(area2) / Math.hypot(b[0] - a[0], b[1] - a[1]);
          inside = signedDistance > inset;
        }
        if (!inside) continue;
        if (hits[y * n + x]) overlapping++;
        else covered++;
        hits[y * n + x] = 1;
      }
    }
  }
  return { covered, overlapping };
}
