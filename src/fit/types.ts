/**
 * Types of the SMPLify-style body fit (`fitBodyToKeypoints`). Conventions:
 * - keypoints: MediaPipe Pose's 33 landmarks, in its order, in image pixels (x right, y down; the
 *   image spans [0, width] × [0, height], so pixel (i, j)'s centre is (i + 0.5, j + 0.5)) — that is
 *   MediaPipe's normalised coordinates times width / height;
 * - world = the OpenCV camera frame (x right, y down, z forward, metres): the returned camera's
 *   view is the identity, and the body's root rotation carries the turn from the body's y-up rest
 *   frame into it (a person upright and facing the camera has root ≈ (π, 0, 0), a half turn about
 *   x: head towards −y, face towards −z, the person's left towards +x = image right);
 * - matrices that cross the API are column-major (gl-matrix layout).
 */
import type { BodyModel } from '../body/types.js';
import type { LandmarkMap } from './joint-map.js';

/** One video frame's keypoints. */
export interface KeypointFrame {
  /**
   * 33×3 numbers, landmark-major: x, y (pixels, see above), confidence 0…1 (MediaPipe's visibility
   * or presence). A landmark with confidence ≤ 0 or a non-finite coordinate is ignored.
   */
  landmarks: Float32Array | ArrayLike<number>;
  /**
   * Optional world landmarks (MediaPipe's `worldLandmarks`): metres, origin at the centre between
   * the hips, axes those of the camera image (x right, y down, z away from the camera). Either
   * 33×3 (x, y, z; each point takes its 2D landmark's confidence) or 33×4 (x, y, z, confidence, as
   * `PoseFrame.worldLandmarks` from the capture module). Non-finite points are ignored.
   */
  worldLandmarks?: Float32Array | ArrayLike<number>;
}

/**
 * A clip's keypoints: one image size for all frames. From the capture module's detections:
 * `{ width, height, frames: detections.frames.map((p) => ({ landmarks: p.keypoints, worldLandmarks: p.worldLandmarks })) }`.
 */
export interface KeypointSequence {
  /** Image width and height in pixels. */
  width: number;
  height: number;
  frames: KeypointFrame[];
}

/** Relative weights of the objective's terms (defaults in fit-body.ts: DEFAULT_FIT_WEIGHTS). */
export interface FitWeights {
  /** Robust reprojection term, per (fraction of image height)². */
  reprojection: number;
  /** Geman–McClure scale of the reprojection term, as a fraction of the image height. */
  reprojectionSigma: number;
  /** Root-relative 3D landmark term, per m² (used when world landmarks are given). */
  landmarks3d: number;
  /** Geman–McClure scale of the 3D term, metres. */
  landmarks3dSigma: number;
  /**
   * How much the 3D term weighs a landmark's error across the image (camera x and y) relative to
   * its error in depth (weight 1). The 2D term already places landmarks across the image, more
   * sharply than MediaPipe's world landmarks; depth is what only the 3D term sees.
   */
  landmarks3dImagePlane: number;
  /** L2 prior on the body joints' axis-angles (not the root), per rad². */
  pose: number;
  /** Joint-limit hinge (knees and elbows bending the wrong way, knee twist), per rad². */
  jointLimits: number;
  /** ‖β‖², per frame. */
  shape: number;
  /** Pose difference between neighbouring frames, per rad². */
  smoothPose: number;
  /** Translation difference between neighbouring frames, per m². */
  smoothTranslation: number;
  /** (log f − log f_prior)², per frame. */
  focal: number;
}

export interface FitProgress {
  phase: 'body-fit';
  /** 0…1 over all stages. */
  fraction: number;
  /** The objective's current value. */
  loss: number;
}

export interface FitBodyOptions {
  /** The body to fit (default: the package's default body, created and disposed by the call). */
  body?: BodyModel;
  /** Body points for each landmark (default: `landmarkMapFor(body)`). */
  landmarkMap?: LandmarkMap;
  /** Vertical field-of-view prior, degrees (default 55). */
  fovYDegrees?: number;
  /** Refine the focal length (default true); false keeps the prior. */
  refineFocal?: boolean;
  /**
   * L-BFGS iteration budget of the full stage (default 1000, split between a 10× and a 1× pose
   * prior); the torso stage before it gets a quarter as many. Each iteration costs one objective
   * evaluation per frame or a few (line search): ~15–60 µs per frame on a desktop CPU core.
   */
  iterations?: number;
  /** Overrides of DEFAULT_FIT_WEIGHTS. */
  weights?: Partial<FitWeights>;
  /**
   * Per frame, the person mask (Uint8Array of the keypoints' width × height, ≥ 128 = person) or
   * undefined. Given, a last stage moves the body's outline onto the masks (silhouette-fit.ts):
   * body vertices outside a mask are pulled in, mask edges the body does not reach pull its
   * outline out (hair and loose clothes, further than 6 % of the person's height, do not).
   */
  masks?: ReadonlyArray<Uint8Array | undefined>;
  onProgress?: (progress: FitProgress) => void;
  /** Aborting rejects the call with AbortError (the WASM buffers are freed). */
  signal?: AbortSignal;
}

export interface FitCamera {
  width: number;
  height: number;
  /** 3×3 intrinsics, column-major: [f, 0, 0, 0, f, 0, cx, cy, 1] (pixels; cx, cy the image centre). */
  K: Float32Array;
  /** 4×4 world→camera, column-major: the identity (world is the OpenCV camera frame). */
  view: Float32Array;
}

export interface BodyFit {
  /** Shared shape, numBetas. */
  betas: Float32Array;
  /** Per-frame pose, F×72 axis-angle (root first; the root includes the turn into camera axes). */
  poses: Float32Array;
  /** Per-frame translation, F×3 metres (camera frame). */
  trans: Float32Array;
  camera: FitCamera;
  /** Per-frame mean reprojection error in pixels over the mapped landmarks with confidence > 0 (NaN if none). */
  perFrameError: Float32Array;
  /** L-BFGS iterations run over all stages. */
  iterations: number;
}
