/**
 * The posed UV positional map's CPU side (no GPU code, so Node can use it): which triangle and
 * barycentrics each texel of the R × R UV square reads, and the matrix into the body's root frame.
 * posed-uv-map.ts builds the map on the GPU from these.
 */
import { bigPose, rasterizeUvSurface } from '../avatar/uv-positional-map.js';
import type { BodyForwardResult, BodyModel } from '../body/types.js';
import { AvatarInputError } from '../errors.js';

/** Vertex index of texels no triangle covers. */
export const UNCOVERED_TEXEL = 0xffffffff;

/** Where each texel of the R × R UV square reads the posed surface. */
export interface PosedUvLayout {
  resolution: number;
  /** R² × 3 vertex indices of the covering triangle, UNCOVERED_TEXEL (all three) where none covers. */
  texelVertices: Uint32Array;
  /** R² × 3 barycentric coordinates (0 where uncovered). */
  texelWeights: Float32Array;
  /** Number of covered texels. */
  covered: number;
  /** V, vertices of the body the indices point into. */
  numVertices: number;
}

/** The layout of `body`'s UV map at R × R (the same triangles and barycentrics as the canonical map's Gaussians). */
export function posedUvLayout(body: BodyModel, resolution: number): PosedUvLayout {
  if (!body.uvs || !body.uvFaces) throw new AvatarInputError('body.uvs: expected a body with a UV layout (the posed UV map samples it)');
  // Only the triangles' UV footprint matters here; the big-pose vertices are what the canonical map rasterises.
  const rest = body.forward({ pose: bigPose(body.numJoints) });
  const map = rasterizeUvSurface({ vertices: rest.vertices, faces: body.faces, uvs: body.uvs, uvFaces: body.uvFaces, weights: body.weights, numJoints: body.numJoints }, resolution);
  const R2 = resolution * resolution;
  const texelVertices = new Uint32Array(3 * R2).fill(UNCOVERED_TEXEL);
  const texelWeights = new Float32Array(3 * R2);
  for (let i = 0; i < map.count; i++) {
    const t = map.texels[i]!, f = map.faceIndex[i]!;
    for (let k = 0; k < 3; k++) {
      texelVertices[3 * t + k] = body.faces[3 * f + k]!;
      texelWeights[3 * t + k] = map.barycentric[3 * i + k]!;
    }
  }
  return { resolution, texelVertices, texelWeights, covered: map.count, numVertices: body.numVertices };
}

/** R × R row-major: 1 where a triangle covers the texel, else 0 (the U-Net encoder's mask). */
export function coveredTexelMask(layout: PosedUvLayout): Float32Array {
  const R2 = layout.resolution * layout.resolution;
  const mask = new Float32Array(R2);
  for (let t = 0; t < R2; t++) mask[t] = layout.texelVertices[3 * t] === UNCOVERED_TEXEL ? 0 : 1;
  return mask;
}

/**
 * The 4×4 matrix (column-major) taking posed world points into the root frame:
 * x ↦ R_rootᵀ · (x − pelvis), from a body.forward result (its root skinning matrix's rotation and
 * its posed root joint).
 */
export function rootFrameMatrix(posed: Pick<BodyForwardResult, 'joints' | 'transforms'>): Float32Array {
  const T = posed.transforms, p = posed.joints;
  const out = new Float32Array(16);
  // Rᵀ: out[col·4 + row] = R[row][col]ᵀ = T[row·4 + col] (T column-major: T[col·4 + row] = R[row][col]).
  for (let row = 0; row < 3; row++) {
    for (let col = 0; col < 3; col++) out[col * 4 + row] = T[row * 4 + col]!;
  }
  for (let row = 0; row < 3; row++) out[12 + row] = -(out[row]! * p[0]! + out[4 + row]! * p[1]! + out[8 + row]! * p[2]!);
  out[15] = 1;
  return out;
}
