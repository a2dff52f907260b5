/**
 * CPU posing of an avatar's Gaussians (for PLY export, previews and tests; playback poses on the
 * GPU with the same maths). Gaussian i lands at
 *   x_i' = Σ_j W_ij · M_j · [x_i + δ_i, 1],   M_j = T_live_j · T_canon_j⁻¹
 * with T_live the body's skinning matrices for the frame (pose, trans, the avatar's betas) and
 * T_canon the big pose's (`avatar.canonicalTransforms`). All 4×4 matrices column-major (gl-matrix).
 */
import { mat4 } from 'gl-matrix';
import { AvatarInputError, describeValue } from '../errors.js';
import type { Avatar } from './types.js';
import { isAppearanceArchitecture } from '../train/appearance-config.js';
import { evaluateNetworkAppearance } from '../train/evaluate-network.js';

/** Per-frame appearance of every Gaussian (what the appearance network predicts). */
export interface GaussianAppearance {
  /** Canonical-space offsets δ, N×3, metres, added to the canonical positions before skinning. */
  offsets: Float32Array;
  /** Isotropic scales σ, N, metres. */
  scales: Float32Array;
  /** Colours, N×3 linear RGB 0…1. */
  colors: Float32Array;
}

/**
 * The appearance of every Gaussian for one frame's `pose` (J×3 axis-angle, root first). A trained
 * avatar evaluates its appearance network on the CPU (evaluate-network.ts: offsets bounded by
 * maxOffset, scales, colours); any other avatar plays its base colours and scales with zero
 * offsets. Every CPU consumer (poseGaussians, exportPly, previews) goes through this one function.
 */
export function evaluateAppearance(avatar: Avatar, pose: Float32Array | ArrayLike<number>): GaussianAppearance {
  // A trained avatar: its appearance network; other architectures play with the base appearance.
  if (isAppearanceArchitecture(avatar.network?.architecture)) return evaluateNetworkAppearance(avatar, pose);
  const g = avatar.gaussians;
  return {
    offsets: new Float32Array(g.count * 3),
    scales: g.scales.slice(),
    colors: g.colors.slice(),
  };
}

/**
 * Per-joint posing matrices M_j = T_live_j · T_canon_j⁻¹, J×16 column-major, that carry a
 * canonical (big-pose) point to the posed frame. `pose`: J×3 axis-angle (root first); `trans`:
 * 3, metres (default 0); `betas`: default the avatar's own.
 */
export function skinningMatrices(
  avatar: Avatar,
  pose: Float32Array | ArrayLike<number>,
  trans?: Float32Array | ArrayLike<number>,
  betas?: Float32Array | ArrayLike<number>,
): Float32Array {
  const J = avatar.body.numJoints;
  const canonical = avatar.canonicalTransforms;
  if (!(canonical instanceof Float32Array) || canonical.length !== J * 16) {
    throw new AvatarInputError(`canonicalTransforms: expected J×16 = ${J}×16 float32, got ${describeValue(canonical)}`);
  }
  const live = avatar.body.forward({ pose, trans, betas: betas ?? avatar.betas }).transforms;
  const out = new Float32Array(J * 16);
  const inverse = mat4.create();
  for (let j = 0; j < J; j++) {
    const canon = canonical.subarray(j * 16, j * 16 + 16);
    if (!mat4.invert(inverse, canon)) {
      throw new AvatarInputError(`canonicalTransforms: joint ${j}'s matrix is singular`);
    }
    mat4.multiply(out.subarray(j * 16, j * 16 + 16), live.subarray(j * 16, j * 16 + 16), inverse);
  }
  return out;
}

export interface PoseGaussiansParams {
  /** J×3 axis-angle rotations (root first), radians. */
  pose: Float32Array | ArrayLike<number>;
  /** Global translation, 3 numbers, metres. Default 0. */
  trans?: Float32Array | ArrayLike<number>;
  /** Shape coefficients; default the avatar's own `betas`. */
  betas?: Float32Array | ArrayLike<number>;
}

export interface PosedGaussians {
  /** Posed centres, N×3, metres, world frame (y up). */
  positions: Float32Array;
  /** Isotropic scales σ, N, metres (skinning is rigid per joint blend, so σ is not changed). */
  scales: Float32Array;
  /** Colours, N×3 linear RGB 0…1. */
  colors: Float32Array;
}

/** Poses every Gaussian of `avatar` by linear blend skinning (see the file comment), on the CPU. */
export function poseGaussians(avatar: Avatar, params: PoseGaussiansParams): PosedGaussians {
  if (typeof params !== 'object' || params === null) {
    throw new AvatarInputError(`params: expected { pose, trans?, betas? }, got ${describeValue(params)}`);
  }
  const M = skinningMatrices(avatar, params.pose, params.trans, params.betas);
  const appearance = evaluateAppearance(avatar, params.pose);
  const { count: N, positions: canon, weights: W } = avatar.gaussians;
  const J = avatar.body.numJoints;
  const delta = appearance.offsets;
  const out = new Float32Array(N * 3);
  const blend = new Float64Array(12); // the blended 3×4 upper part of Σ_j W_ij M_j, column-major
  for (let i = 0; i < N; i++) {
    blend.fill(0);
    for (let j = 0; j < J; j++) {
      const w = W[i * J + j]!;
      if (w === 0) continue;
      const m = j * 16;
      for (let c = 0; c < 4; c++) {
        blend[c * 3] += w * M[m + c * 4]!;
        blend[c * 3 + 1] += w * M[m + c * 4 + 1]!;
        blend[c * 3 + 2] += w * M[m + c * 4 + 2]!;
      }
    }
    const x = canon[i * 3]! + delta[i * 3]!;
    const y = canon[i * 3 + 1]! + delta[i * 3 + 1]!;
    const z = canon[i * 3 + 2]! + delta[i * 3 + 2]!;
    for (let r = 0; r < 3; r++) out[i * 3 + r] = blend[r]! * x + blend[3 + r]! * y + blend[6 + r]! * z + blend[9 + r]!;
  }
  return { positions: out, scales: appearance.scales, colors: appearance.colors };
}
