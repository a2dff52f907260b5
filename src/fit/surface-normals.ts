/**
 * Outward normals of a triangle mesh and of points on it (the UV map's Gaussians: a triangle and
 * barycentric coordinates each), for projecting video frames onto the body and for telling which
 * side of the body a Gaussian faces. Arrays are flat row-major: vertices V×3, faces F×3, normals ×3.
 */

/**
 * Area-weighted vertex normals, V×3 unit vectors, pointing out of the closed-ish surface whatever
 * the file's winding (the sign is chosen so the mesh's signed volume is positive). A vertex on no
 * non-degenerate face gets (0, 0, 0).
 */
export function vertexNormals(vertices: Float32Array, faces: Uint32Array): Float32Array {
  const out = new Float32Array(vertices.length);
  const accumulated = new Float64Array(vertices.length);
  let volume = 0;
  for (let f = 0; f < faces.length; f += 3) {
    const a = faces[f]! * 3, b = faces[f + 1]! * 3, c = faces[f + 2]! * 3;
    const ax = vertices[a]!, ay = vertices[a + 1]!, az = vertices[a + 2]!;
    const e1x = vertices[b]! - ax, e1y = vertices[b + 1]! - ay, e1z = vertices[b + 2]! - az;
    const e2x = vertices[c]! - ax, e2y = vertices[c + 1]! - ay, e2z = vertices[c + 2]! - az;
    // Cross product = 2 × area × unit normal: summing it weights faces by area.
    const nx = e1y * e2z - e1z * e2y, ny = e1z * e2x - e1x * e2z, nz = e1x * e2y - e1y * e2x;
    volume += ax * nx + ay * ny + az * nz;
    for (const v of [a, b, c]) {
      accumulated[v] += nx;
      accumulated[v + 1] += ny;
      accumulated[v + 2] += nz;
    }
  }
  const sign = volume >= 0 ? 1 : -1;
  for (let v = 0; v < vertices.length; v += 3) {
    const length = Math.hypot(accumulated[v]!, accumulated[v + 1]!, accumulated[v + 2]!);
    if (!(length > 0)) continue;
    const s = sign / length;
    out[v] = accumulated[v]! * s;
    out[v + 1] = accumulated[v + 1]! * s;
    out[v + 2] = accumulated[v + 2]! * s;
  }
  return out;
}

/** Points on a mesh: the triangle of each (N) and its barycentric coordinates (N×3), as the UV map stores them. */
export interface SurfacePoints {
  count: number;
  faceIndex: Uint32Array;
  barycentric: Float32Array;
}

/** Positions (N×3) of `points` on the mesh `vertices`/`faces`: barycentric blends of their triangles' corners. */
export function pointPositions(points: SurfacePoints, vertices: Float32Array, faces: Uint32Array): Float32Array {
  return interpolate(points, vertices, faces, false);
}

/** Unit normals (N×3) at `points`: barycentric blends of the corners' vertex normals, renormalised. */
export function pointNormals(points: SurfacePoints, normals: Float32Array, faces: Uint32Array): Float32Array {
  return interpolate(points, normals, faces, true);
}

function interpolate(points: SurfacePoints, values: Float32Array, faces: Uint32Array, normalise: boolean): Float32Array {
  const { count: N, faceIndex, barycentric } = points;
  const out = new Float32Array(N * 3);
  for (let i = 0; i < N; i++) {
    const f = faceIndex[i]! * 3;
    let x = 0, y = 0, z = 0;
    for (let k = 0; k < 3; k++) {
      const w = barycentric[i * 3 + k]!, v = faces[f + k]! * 3;
      x += w * values[v]!;
      y += w * values[v + 1]!;
      z += w * values[v + 2]!;
    }
    const s = normalise ? 1 / (Math.hypot(x, y, z) || 1) : 1;
    out[i * 3] = x * s;
    out[i * 3 + 1] = y * s;
    out[i * 3 + 2] = z * s;
  }
  return out;
}
