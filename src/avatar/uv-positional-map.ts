/**
 * The canonical UV positional map (GaussianAvatar §3.1): the body's surface, posed in the
 * canonical "big pose", rasterised into its UV layout at R×R. Every covered texel becomes one
 * Gaussian with a canonical position and skinning weights interpolated barycentrically from the
 * triangle that covers it.
 *
 * Texel (row, col) has its centre at u = (col + 0.5)/R, v = 1 − (row + 0.5)/R (row 0 is the top
 * of the UV image, v up as in `.obj`). Gaussians are ordered by texel index row·R + col.
 */
import { AvatarInputError } from '../errors.js';
import type { BodyModel } from '../body/types.js';

/** Hip rotation of the canonical big pose: legs spread ±30° about z (left leg towards +x). */
export const BIG_POSE_HIP_ANGLE = (30 * Math.PI) / 180;

/** J×3 axis-angle big pose: zero except L_hip (joint 1) +30° and R_hip (joint 2) −30° about z. */
export function bigPose(numJoints: number): Float32Array {
  const pose = new Float32Array(numJoints * 3);
  pose[1 * 3 + 2] = BIG_POSE_HIP_ANGLE;
  pose[2 * 3 + 2] = -BIG_POSE_HIP_ANGLE;
  return pose;
}

export interface UvSurface {
  /** Posed vertices V×3 (the big pose). */
  vertices: Float32Array;
  /** Triangles F×3 into vertices. */
  faces: Uint32Array;
  /** T×2 texture coordinates. */
  uvs: Float32Array;
  /** Triangles F×3 into uvs, face for face with `faces`. */
  uvFaces: Uint32Array;
  /** Skinning weights V×J. */
  weights: Float32Array;
  numJoints: number;
}

export interface UvGaussians {
  resolution: number;
  count: number;
  /** Texel index row·R + col of each Gaussian, N. */
  texels: Uint32Array;
  /** Texel-centre UV of each Gaussian, N×2. */
  uv: Float32Array;
  /** Covering triangle of each Gaussian, N. */
  faceIndex: Uint32Array;
  /** Barycentric coordinates within that triangle, N×3. */
  barycentric: Float32Array;
  /** Canonical (big-pose) positions, N×3, metres. */
  positions: Float32Array;
  /** Skinning weights, N×J row-major, each row sums to 1. */
  weights: Float32Array;
  numJoints: number;
}

/**
 * Rasterises `surface` into its UV layout. Where triangles overlap in UV (they should not),
 * the first triangle in face order wins, so the map is deterministic.
 */
export function rasterizeUvSurface(surface: UvSurface, resolution: number): UvGaussians {
  if (!Number.isInteger(resolution) || resolution < 1 || resolution > 4096) {
    throw new AvatarInputError(`resolution: expected an integer in 1…4096, got ${resolution}`);
  }
  const R = resolution;
  const { vertices, faces, uvs, uvFaces, weights, numJoints: J } = surface;
  const owner = new Int32Array(R * R).fill(-1);
  const bary = new Float32Array(R * R * 3);
  const numFaces = faces.length / 3;
  for (let f = 0; f < numFaces; f++) {
    const a = uvFaces[f * 3], b = uvFaces[f * 3 + 1], c = uvFaces[f * 3 + 2];
    // Texel-space coordinates: x = u·R, y = (1 − v)·R; texel centres at integer + 0.5.
    const ax = uvs[a * 2] * R, ay = (1 - uvs[a * 2 + 1]) * R;
    const bx = uvs[b * 2] * R, by = (1 - uvs[b * 2 + 1]) * R;
    const cx = uvs[c * 2] * R, cy = (1 - uvs[c * 2 + 1]) * R;
    const area = (bx - ax) * (cy - ay) - (by - ay) * (cx - ax);
    if (!(Math.abs(area) > 1e-12)) continue; // degenerate in UV: covers no texel
    const col0 = Math.max(0, Math.floor(Math.min(ax, bx, cx) - 0.5));
    const col1 = Math.min(R - 1, Math.ceil(Math.max(ax, bx, cx) - 0.5));
    const row0 = Math.max(0, Math.floor(Math.min(ay, by, cy) - 0.5));
    const row1 = Math.min(R - 1, Math.ceil(Math.max(ay, by, cy) - 0.5));
    for (let row = row0; row <= row1; row++) {
      const py = row + 0.5;
      for (let col = col0; col <= col1; col++) {
        const t = row * R + col;
        if (owner[t] >= 0) continue;
        const px = col + 0.5;
        const w0 = ((bx - px) * (cy - py) - (by - py) * (cx - px)) / area;
        const w1 = ((cx - px) * (ay - py) - (cy - py) * (ax - px)) / area;
        const w2 = 1 - w0 - w1;
        // Inclusive edges with a small tolerance so texels on shared edges are not lost.
        if (w0 < -1e-7 || w1 < -1e-7 || w2 < -1e-7) continue;
        owner[t] = f;
        bary[t * 3] = w0;
        bary[t * 3 + 1] = w1;
        bary[t * 3 + 2] = w2;
      }
    }
  }
  let count = 0;
  for (let t = 0; t < R * R; t++) if (owner[t] >= 0) count++;
  const out: UvGaussians = {
    resolution: R,
    count,
    texels: new Uint32Array(count),
    uv: new Float32Array(count * 2),
    faceIndex: new Uint32Array(count),
    barycentric: new Float32Array(count * 3),
    positions: new Float32Array(count * 3),
    weights: new Float32Array(count * J),
    numJoints: J,
  };
  let i = 0;
  for (let t = 0; t < R * R; t++) {
    const f = owner[t];
    if (f < 0) continue;
    const row = Math.floor(t / R), col = t % R;
    out.texels[i] = t;
    out.uv[i * 2] = (col + 0.5) / R;
    out.uv[i * 2 + 1] = 1 - (row + 0.5) / R;
    out.faceIndex[i] = f;
    let wsum = 0;
    for (let k = 0; k < 3; k++) {
      const bk = bary[t * 3 + k];
      out.barycentric[i * 3 + k] = bk;
      const v = faces[f * 3 + k];
      for (let c = 0; c < 3; c++) out.positions[i * 3 + c] += bk * vertices[v * 3 + c];
      for (let j = 0; j < J; j++) {
        const w = bk * weights[v * J + j];
        out.weights[i * J + j] += w;
        wsum += w;
      }
    }
    // Renormalise: barycentric blends of normalised rows sum to 1 up to rounding.
    if (wsum > 0) for (let j = 0; j < J; j++) out.weights[i * J + j] /= wsum;
    i++;
  }
  return out;
}

/** The UV positional map of `body` in the big pose (shape `betas`), at R×R. */
export function buildUvPositionalMap(
  body: BodyModel,
  options: { resolution: number; betas?: Float32Array },
): UvGaussians & { canonicalTransforms: Float32Array } {
  if (!body.uvs || !body.uvFaces) {
    throw new AvatarInputError(
      'body.uvs: this body has no UV layout, which Gaussian avatars need; load the SMPL model with { uvObj } (e.g. smpl_uv.obj)',
    );
  }
  const posed = body.forward({ pose: bigPose(body.numJoints), betas: options.betas });
  const map = rasterizeUvSurface(
    { vertices: posed.vertices, faces: body.faces, uvs: body.uvs, uvFaces: body.uvFaces, weights: body.weights, numJoints: body.numJoints },
    options.resolution,
  );
  return { ...map, canonicalTransforms: posed.transforms };
}
