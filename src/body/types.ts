/**
 * Body-model data and API types (SMPL convention). Arrays that cross this boundary:
 * - all float arrays Float32Array, row-major (C order) in the shapes given;
 * - 4×4 matrices column-major (gl-matrix layout), 16 floats each;
 * - units metres, y up, body facing +z, its left is +x, zero pose = T-pose.
 */

/** Raw arrays of a linear-blend-skinned body in the SMPL convention, as read from a `.npz`. */
export interface BodyModelData {
  /** Rest-pose template, V×3. */
  vTemplate: Float32Array;
  /** Shape blend shapes, V×3×B (index `(v*3 + c)*B + b`). B may be 0. */
  shapedirs: Float32Array;
  numBetas: number;
  /** Pose-corrective blend shapes, V×3×P with P = 9·(J−1) (index `(v*3 + c)*P + p`), or empty (no pose blend). */
  posedirs: Float32Array;
  /** Dense joint regressor, J×V. */
  jRegressor: Float32Array;
  /** Skinning weights, V×J. */
  weights: Float32Array;
  /** Parent of each joint, −1 for the root (which must be joint 0); parents[j] < j. */
  parents: Int32Array;
  /** Triangles, F×3 vertex indices. */
  faces: Uint32Array;
  /** Optional UV layout: T×2 texture coordinates (u right, v up, 0…1) … */
  uvs?: Float32Array;
  /** … and per-face UV indices F×3 into `uvs` (same faces, same order as `faces`). */
  uvFaces?: Uint32Array;
}

/** Parameters of one body evaluation. */
export interface BodyParams {
  /** Shape coefficients, length ≤ numBetas (missing ones are 0). */
  betas?: Float32Array | ArrayLike<number>;
  /** J×3 axis-angle rotations (root first), length 3·numJoints. */
  pose: Float32Array | ArrayLike<number>;
  /** Global translation (3), added after skinning. */
  trans?: Float32Array | ArrayLike<number>;
}

export interface BodyForwardResult {
  /** Posed vertices V×3. */
  vertices: Float32Array;
  /** Posed joint positions J×3 (including trans). */
  joints: Float32Array;
  /** Per-joint skinning matrices J×16 (posed ← rest, column-major; translation includes trans). */
  transforms: Float32Array;
}

export interface BodyGradients {
  /** ∂L/∂pose, J×3. */
  pose: Float32Array;
  /** ∂L/∂trans, 3. */
  trans: Float32Array;
  /** ∂L/∂betas, numBetas. */
  betas: Float32Array;
}

export interface BodyModel {
  readonly numVertices: number;
  readonly numJoints: number;
  readonly numBetas: number;
  readonly parents: Int32Array;
  readonly faces: Uint32Array;
  readonly uvs: Float32Array | undefined;
  readonly uvFaces: Uint32Array | undefined;
  /** V×J skinning weights. */
  readonly weights: Float32Array;
  /** The raw arrays the model was built from (for saving into avatar files). */
  readonly data: BodyModelData;
  /** smplx `lbs()` semantics: shape blend, joint regression, pose blend, FK, LBS, + trans. */
  forward(params: BodyParams): BodyForwardResult;
  /**
   * `forward()` without the mesh: joints and skinning transforms only (the same numbers), for
   * per-frame playback where the skinning runs on the GPU. Skips the blend shapes and LBS, which
   * dominate `forward()`'s cost (the pose-corrective blend reads V×3×P floats per call).
   */
  forwardTransforms(params: BodyParams): Pick<BodyForwardResult, 'joints' | 'transforms'>;
  /** Vector–Jacobian product of `forward().vertices` with `gradVertices` (V×3). */
  backward(params: BodyParams, gradVertices: Float32Array): BodyGradients;
  /** Vector–Jacobian product of `forward().transforms` with `gradTransforms` (J×16, column-major). */
  backwardTransforms(params: BodyParams, gradTransforms: Float32Array): BodyGradients;
  /** Frees the WASM memory held by the model. */
  dispose(): void;
}
