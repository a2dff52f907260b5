/**
 * Reads the UV layout of a body model from a Wavefront `.obj` over the model's own vertices (like
 * SMPL's `smpl_uv.obj`): `vt u v` lines and `f v/vt …` faces (also `v/vt/vn`; quads and larger
 * polygons are split into triangles). Seams are fine: a vertex may have several `vt`s.
 *
 * The result is matched to the model's faces by vertex triple, so the .obj may list its faces in any
 * order and with any rotation; every model face must be found in the .obj.
 */
import { AvatarFormatError } from '../errors.js';

/** A UV layout matching a model's faces. */
export interface UvLayout {
  /** T×2 texture coordinates (u right, v up, as written in the .obj), row-major. */
  uvs: Float32Array;
  /** F×3 indices into `uvs`, face for face and corner for corner with the model's `faces`. */
  uvFaces: Uint32Array;
}

const ADVICE =
  'the .obj must be the UV layout of this same mesh (same vertex numbering and faces), as smpl_uv.obj is for ' +
  'SMPL and smplx_uv.obj for SMPL-X; re-export the UV mesh from this model, or load the model without uvObj';

/**
 * Parses `text` and maps its UVs onto `faces` (F×3 vertex indices of a model with `numVertices`
 * vertices). Throws AvatarFormatError (prefixed with `label`) for malformed lines, indices out of
 * range, a face without texture indices, or model faces the .obj lacks.
 */
export function parseUvObj(text: string, faces: Uint32Array, numVertices: number, label = 'uvObj'): UvLayout {
  if (typeof text !== 'string') throw new AvatarFormatError(`${label}: expected the .obj file as a string`);
  const uvs: number[] = [];
  let vertexLines = 0;
  // Vertex triple (sorted) → the triangle's corners: [v0, t0, v1, t1, v2, t2].
  const byTriple = new Map<number | string, number[]>();
  const V = numVertices;
  const numericKeys = V ** 3 <= Number.MAX_SAFE_INTEGER;
  const tripleKey = (a: number, b: number, c: number): number | string => {
    const lo = Math.min(a, b, c);
    const hi = Math.max(a, b, c);
    const mid = a + b + c - lo - hi;
    return numericKeys ? (lo * V + mid) * V + hi : `${lo},${mid},${hi}`;
  };
  const addTriangle = (corners: number[], i: number, j: number, k: number) => {
    const key = tripleKey(corners[2 * i], corners[2 * j], corners[2 * k]);
    if (!byTriple.has(key)) {
      byTriple.set(key, [corners[2 * i], corners[2 * i + 1], corners[2 * j], corners[2 * j + 1], corners[2 * k], corners[2 * k + 1]]);
    }
  };

  const lines = text.split(/\r?\n|\r/);
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].trim();
    if (line === '' || line[0] === '#') continue;
    const tokens = line.split(/\s+/);
    const where = `${label}: line ${n + 1}`;
    switch (tokens[0]) {
      case 'v':
        vertexLines++;
        break;
      case 'vt': {
        const u = Number(tokens[1]);
        const v = Number(tokens[2]);
        if (tokens.length < 3 || !Number.isFinite(u) || !Number.isFinite(v)) {
          throw new AvatarFormatError(`${where}: expected 'vt u v' with two finite numbers, got '${line.slice(0, 80)}'`);
        }
        uvs.push(u, v);
        break;
      }
      case 'f': {
        if (tokens.length < 4) throw new AvatarFormatError(`${where}: expected a face with at least 3 corners, got '${line.slice(0, 80)}'`);
        const corners: number[] = [];
        for (let c = 1; c < tokens.length; c++) {
          const parts = tokens[c].split('/');
          if (parts.length < 2 || parts[1] === '') {
            throw new AvatarFormatError(`${where}: face corner '${tokens[c]}' has no texture index (expected f v/vt …)`);
          }
          corners.push(
            objIndex(parts[0], vertexLines, V, `${where}: vertex index '${parts[0]}'`, `< ${V} model vertices`),
            objIndex(parts[1], uvs.length / 2, uvs.length / 2, `${where}: texture index '${parts[1]}'`, `among the ${uvs.length / 2} vt lines so far`),
          );
        }
        const k = corners.length / 2;
        for (let c = 1; c + 1 < k; c++) addTriangle(corners, 0, c, c + 1); // fan
        if (k === 4) {
          // A quad may have been triangulated along either diagonal in the model.
          addTriangle(corners, 0, 1, 3);
          addTriangle(corners, 1, 2, 3);
        }
        break;
      }
      default:
        break; // vn, g, o, s, usemtl, mtllib, …: not needed
    }
  }

  if (uvs.length === 0) throw new AvatarFormatError(`${label}: the .obj has no 'vt' lines (no UV layout)`);
  if (byTriple.size === 0) throw new AvatarFormatError(`${label}: the .obj has no 'f' lines`);
  if (vertexLines !== 0 && vertexLines !== V) {
    throw new AvatarFormatError(`${label}: the .obj has ${vertexLines} vertices, the model has ${V}; ${ADVICE}`);
  }

  const F = faces.length / 3;
  const uvFaces = new Uint32Array(faces.length);
  let missing = 0;
  let firstMissing = -1;
  for (let f = 0; f < F; f++) {
    const a = faces[3 * f];
    const b = faces[3 * f + 1];
    const c = faces[3 * f + 2];
    const tri = byTriple.get(tripleKey(a, b, c));
    if (!tri) {
      if (missing++ === 0) firstMissing = f;
      continue;
    }
    for (let corner = 0; corner < 3; corner++) {
      const vertex = faces[3 * f + corner];
      const at = tri[0] === vertex ? 1 : tri[2] === vertex ? 3 : 5;
      uvFaces[3 * f + corner] = tri[at];
    }
  }
  if (missing > 0) {
    const f = firstMissing;
    throw new AvatarFormatError(
      `${label}: ${missing} of ${F} model faces have no face over the same vertices in the .obj ` +
        `(first: face ${f} = vertices ${faces[3 * f]}, ${faces[3 * f + 1]}, ${faces[3 * f + 2]}); ${ADVICE}`,
    );
  }
  return { uvs: new Float32Array(uvs), uvFaces };
}

/**
 * Resolves a 1-based (or negative, relative) OBJ index against `count` items defined so far; the
 * result must be below `limit`.
 */
function objIndex(token: string, count: number, limit: number, what: string, expected: string): number {
  if (!/^-?\d+$/.test(token)) throw new AvatarFormatError(`${what}: expected an integer`);
  const i = Number(token);
  const index = i > 0 ? i - 1 : count + i;
  if (i === 0 || index < 0 || index >= limit) throw new AvatarFormatError(`${what}: out of range (expected ${expected})`);
  return index;
}
