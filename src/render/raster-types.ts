/**
 * Types shared by the splat rasterizer's CPU-side API (src/render/splat-rasterizer.ts).
 *
 * Conventions (DESIGN.md): metres, OpenCV camera axes (x right, y down, z forward), pixel
 * centres at +0.5 — pixel (px, py) covers [px, px+1) × [py, py+1) and is shaded at its centre
 * (px + 0.5, py + 0.5). All matrices are column-major (gl-matrix layout).
 */

/** A set of isotropic Gaussians in world space. N is `scales.length`. */
export interface SplatScene {
  /** N×3 Gaussian centres, world units (metres), tightly packed xyz. */
  means: Float32Array;
  /** N standard deviations σ (world units); the Gaussian's covariance is σ²·I. Must be ≥ 0. */
  scales: Float32Array;
  /** N×3 linear RGB colours, tightly packed, nominally 0…1 (any finite value is accepted). */
  colors: Float32Array;
  /** N opacities in [0, 1]; default all 1 (the GaussianAvatar setting). */
  opacities?: Float32Array;
  /**
   * Background, linear RGB, composited behind the splats: C = Σ cᵢαᵢTᵢ + T_final·bg. Default
   * [0, 0, 0]. (A display colour from a user, sRGB, is converted with srgbToLinear first.)
   */
  background?: ArrayLike<number>;
}

/** A pinhole camera. */
export interface SplatCamera {
  /** Image width in pixels; must equal the rasterizer's width. */
  width: number;
  /** Image height in pixels; must equal the rasterizer's height. */
  height: number;
  /**
   * 3×3 intrinsics, column-major: [fx, 0, 0,  0, fy, 0,  cx, cy, 1]. Zero skew is required.
   * A camera-space point (x, y, z) projects to u = fx·x/z + cx, v = fy·y/z + cy (pixels,
   * pixel centres at +0.5).
   */
  K: Float32Array | ArrayLike<number>;
  /**
   * 4×4 world→camera transform, column-major, OpenCV axes. The last row must be [0, 0, 0, 1].
   * The 3×3 part need not be a rotation (the covariance is projected as J·W·σ²I·Wᵀ·Jᵀ).
   */
  view: Float32Array | ArrayLike<number>;
  /** Gaussians whose camera-space depth z is below `near` are culled. Default 0.01 (metres). */
  near?: number;
}

/** Gradients of a scalar loss L = Σ gradImage · render(scene) w.r.t. each scene input. */
export interface SplatGradients {
  /** N×3, ∂L/∂means. */
  means: Float32Array;
  /** N, ∂L/∂scales (σ). */
  scales: Float32Array;
  /** N×3, ∂L/∂colors. */
  colors: Float32Array;
  /** N, ∂L/∂opacities (also returned when the scene gave no opacities: they were all 1). */
  opacities: Float32Array;
}

/** Options of createSplatRasterizer. */
export interface SplatRasterizerOptions {
  /** Image width in pixels (≥ 1). */
  width: number;
  /** Image height in pixels (≥ 1). */
  height: number;
  /** Largest N that will be rendered (≥ 1). Buffers are sized for it once. */
  maxGaussians: number;
  /**
   * Initial capacity of the (tile, Gaussian) intersection list. Default max(65536, 8·maxGaussians).
   * The convenience methods grow it when a frame overflows; the GPU-buffer entry points drop
   * intersections past the capacity (see `SplatRasterizer.lastIntersectionCount`).
   */
  maxIntersections?: number;
  /**
   * Use the subgroup variant of the backward pass where the device has the 'subgroups' feature
   * (default true). false forces the portable shared-memory reduction.
   */
  subgroups?: boolean;
  /**
   * Gaussians rasterize_forward loads into shared memory per batch (0…256). Default 256 on GPUs
   * and 0 (no shared memory: each thread reads the list from storage) on CPU adapters such as
   * SwiftShader, where workgroup memory is slow. The image is the same either way.
   */
  sharedBatch?: number;
  /** Record per-stage GPU timestamps (needs the device feature 'timestamp-query'). Default false. */
  profile?: boolean;
}

/** One stage's GPU time in the last profiled frame. */
export interface StageTiming {
  stage: string;
  ms: number;
}
