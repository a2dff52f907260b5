/**
 * The Avatar: what training produces, playback plays, `.gavatar` files store and `exportPly` exports.
 *
 * Posing (GaussianAvatar): Gaussian i has a canonical position x_i in the big pose (see
 * uv-positional-map.ts), skinning weights W_i· (N×J) and, when the avatar has an appearance network,
 * a per-frame offset δ_i, scale σ_i and colour c_i predicted by it. Its posed position is
 *   Σ_j W_ij · (T_live_j · T_canon_j⁻¹) · [x_i + δ_i, 1]
 * with T_live the body's skinning matrices for the frame's pose/trans (BodyModel.forward().transforms)
 * and T_canon those of the big pose (`canonicalTransforms`). All 4×4 matrices column-major.
 */
import type { BodyModel } from '../body/types.js';

/** Canonical Gaussians on the UV positional map (N = count). */
export interface CanonicalGaussians {
  /** UV map resolution R (the map is R×R texels). */
  resolution: number;
  count: number;
  /** Texel index row·R + col of each Gaussian, N. */
  texels: Uint32Array;
  /** Canonical (big-pose) positions, N×3, metres. */
  positions: Float32Array;
  /** Skinning weights, N×J row-major (J = body.numJoints), rows sum to 1. */
  weights: Float32Array;
  /** Base colours, N×3 linear RGB 0…1: what plays when there is no appearance network. */
  colors: Float32Array;
  /** Base isotropic scales σ, N, metres: what plays when there is no appearance network. */
  scales: Float32Array;
}

/** A tensor of the appearance network: row-major `data` of `shape`. */
export interface NetworkTensor {
  shape: number[];
  data: Float32Array;
}

/**
 * Weights of the dynamic appearance network, stored generically (named tensors + a config) so the
 * file format does not change when the architecture does; `architecture` names the code that
 * interprets them (the trainer documents its tensors).
 */
export interface AppearanceNetworkWeights {
  architecture: string;
  config: Record<string, number | string | boolean>;
  tensors: Record<string, NetworkTensor>;
}

export interface AvatarMetadata {
  name?: string;
  /** ISO 8601 time of creation. */
  createdAt: string;
  /** What made it, e.g. `gaussian-avatar 0.1.0 createDefaultAvatar`. */
  generator: string;
  /** Anything else a producer wants to keep (JSON-serialisable). */
  [key: string]: unknown;
}

export interface Avatar {
  /** The body model that drives the Gaussians. */
  body: BodyModel;
  /** `default`: the package's default body (stored by reference); `embedded`: the file carries the body's arrays. */
  bodySource: 'default' | 'embedded';
  /** Shape of this person, length body.numBetas. */
  betas: Float32Array;
  /** The big pose's skinning matrices T_canon, J×16 column-major. */
  canonicalTransforms: Float32Array;
  gaussians: CanonicalGaussians;
  /** Present once trained. */
  network?: AppearanceNetworkWeights;
  metadata: AvatarMetadata;
}
