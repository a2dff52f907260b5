/**
 * Per-frame quality of a video fit, and which frames to train on. After the body fit, each frame
 * is checked for what a small reprojection error cannot show:
 * - orientation: the torso's 3D orientation from the detector's world landmarks, and the fitted
 *   root's, each against what the neighbouring frames predict (frame-orientation.ts);
 * - facing: the world landmarks against the 2D keypoints (left shoulder on the image's right ⇔
 *   facing the camera);
 * - the mask: does it hold the head (face landmarks, or the fitted body's head when the face is
 *   not visible), and does it overlap the fitted body's silhouette at all (mask-checks.ts).
 * A frame failing a check is left out of training rather than re-fitted: its own keypoints are the
 * bad evidence (independent detection is already the default, frame-to-frame tracking being what
 * produced the worst ones), forcing the neighbours' orientation on it would train its pixels at a
 * pose they do not show, and with tens of frames one fewer costs little while one twisted frame
 * or a headless mask visibly spoils the avatar. A mask is not repaired either: the naked body's
 * silhouette is not the person's outline (hair, clothes), so a repaired mask would be wrong at
 * exactly the pixels in question.
 */
import { createDefaultBody } from '../body/default-body.js';
import type { BodyModel } from '../body/types.js';
import type { PoseFrame } from '../capture/types.js';
import { AvatarInputError, describeValue } from '../errors.js';
import { facingDisagreementsDegrees, orientationDeviations, torsoFacing, rootOrientation, torsoOrientation, type OrientationCheckOptions } from './frame-orientation.js';
import { faceInMaskFraction, maskCoverageIoU, rasterizeSilhouette, regionInMaskFraction } from './mask-checks.js';
import type { BodyFit } from './types.js';

/** How one captured frame with a person fared, and whether training used it. */
export interface FrameQuality {
  /** The captured frame's index (PoseFrame.frameIndex). */
  frameIndex: number;
  /** Its time in the video, seconds. */
  timestamp: number;
  /** The body fit's mean reprojection error on it, pixels (BodyFit.perFrameError; NaN if none). */
  reprojectionErrorPx: number;
  /** The fitted root's orientation against what its neighbours predict, degrees (NaN with fewer than 3 frames). */
  orientationDeviationDeg: number;
  /** … and the detector's 3D torso's (world landmarks) against its neighbours', degrees (NaN when the torso is missing). */
  landmarkOrientationDeviationDeg: number;
  /** Degrees between the way the 3D landmarks face and the way the 2D keypoints show the torso (NaN when the torso is missing). */
  facingDisagreementDeg: number;
  /** Fraction of the head on the mask: of the visible face landmarks, or of the fitted body's projected head when the face is hidden; NaN without a mask. */
  headInMask: number;
  /** Intersection over union of the mask and the fitted body's projected silhouette (NaN without a mask). */
  maskIoU: number;
  /** Whether the frame is in the training dataset. */
  used: boolean;
  /** Why not, when not used: the failed checks, joined. */
  reason?: string;
  /** Every check it failed (also on a frame kept because too few frames passed). */
  problems: string[];
}

export interface FrameQualityOptions extends OrientationCheckOptions {
  /** Largest disagreement between the 3D landmarks' facing and the 2D torso's, degrees. Default 35. */
  maxFacingDisagreementDegrees?: number;
  /** Head fraction on the mask below which the mask has lost the head. Default 0.5. */
  minHeadInMask?: number;
  /**
   * Mask–body IoU below which the mask is not this body's. Default 0.3: a clothed person's mask
   * against the naked fitted body measured 0.62–0.80 on real footage (256 px), 0.53–0.55 on the
   * synthetic character's small frames; a mask of something else, or a body fitted elsewhere, far less.
   */
  minMaskIoU?: number;
  /** When fewer frames than this pass, all frames are used (with their problems listed). Default 1. */
  minUsed?: number;
  /** The silhouettes are drawn at the frames' size, or down to this longer side in pixels (limbs need a few pixels each: IoU reads low when they get thinner). Default 512. */
  silhouetteSize?: number;
}

/** SMPL's head joint: the body's head region is the triangles mostly skinned to it. */
const HEAD_JOINT = 15;

/** Triangles (indices into body.faces / 3) whose three vertices follow the head joint by at least half. */
function headFaces(body: BodyModel): Uint32Array {
  const J = body.numJoints, faces = body.faces, weights = body.weights;
  const onHead = (v: number) => weights[v * J + HEAD_JOINT]! >= 0.5;
  const out: number[] = [];
  for (let f = 0; f + 2 < faces.length; f += 3) {
    if (onHead(faces[f]!) && onHead(faces[f + 1]!) && onHead(faces[f + 2]!)) out.push(faces[f]!, faces[f + 1]!, faces[f + 2]!);
  }
  return Uint32Array.from(out);
}

const format = (x: number, digits = 0) => x.toFixed(digits);

/**
 * Checks every frame of a fit (`frames[i]` ↔ the fit's frame i; frames in time order) and decides
 * which to train on. `body` is the body that was fitted (for the silhouettes).
 *
 * @throws AvatarInputError when the frame count disagrees with the fit or the body is not an SMPL skeleton.
 */
export function assessFitFrames(frames: readonly PoseFrame[], fit: BodyFit, body: BodyModel, options: FrameQualityOptions = {}): FrameQuality[] {
  const F = frames.length;
  if (!Array.isArray(frames) || F === 0 || fit.trans.length !== F * 3 || fit.poses.length !== F * 3 * body.numJoints) {
    throw new AvatarInputError(`frames: expected one detection per fitted frame (${fit.trans.length / 3}), got ${describeValue(frames)}`);
  }
  if (body.numJoints <= HEAD_JOINT) throw new AvatarInputError(`body: expected an SMPL skeleton (24 joints), got ${body.numJoints} joints`);
  const maxFacing = options.maxFacingDisagreementDegrees ?? 35;
  const minHead = options.minHeadInMask ?? 0.5;
  const minIoU = options.minMaskIoU ?? 0.3;
  const minUsed = options.minUsed ?? 1;
  const stride = 3 * body.numJoints;
  const times = frames.map((p) => p.timestamp);

  const landmarkDeviation = orientationDeviations(frames.map((p) => torsoOrientation(p.worldLandmarks, 4)), times, options);
  const facingDisagreement = facingDisagreementsDegrees(frames.map((p) => torsoFacing(p.worldLandmarks, p.keypoints)));
  const fitDeviation = orientationDeviations(frames.map((_, i) => rootOrientation(fit.poses, i * stride)), times, options);
  const camera = fit.camera;
  const scale = Math.min(1, (options.silhouetteSize ?? 512) / Math.max(camera.width, camera.height));
  const head = headFaces(body);

  const quality = frames.map((p, i): FrameQuality => {
    const problems: string[] = [];
    const fitted = fitDeviation[i]!, detected = landmarkDeviation[i]!;
    if (fitted.outlier) problems.push(`fitted orientation ${format(fitted.degrees)}° from its neighbours' (allowed ${format(fitted.allowedDegrees)}°)`);
    if (detected.outlier) problems.push(`3D landmarks turned ${format(detected.degrees)}° from their neighbours' (allowed ${format(detected.allowedDegrees)}°)`);
    const facing = facingDisagreement[i]!;
    if (facing > maxFacing) problems.push(`3D landmarks face ${format(facing)}° away from what the 2D keypoints show`);
    let headInMask = Number.NaN, maskIoU = Number.NaN;
    if (p.mask) {
      const { vertices } = body.forward({ betas: fit.betas, pose: fit.poses.subarray(i * stride, (i + 1) * stride), trans: fit.trans.subarray(i * 3, i * 3 + 3) });
      maskIoU = maskCoverageIoU(p.mask, p.width, p.height, rasterizeSilhouette(vertices, body.faces, camera, scale));
      headInMask = faceInMaskFraction(p.mask, p.width, p.height, p.keypoints);
      if (Number.isNaN(headInMask)) headInMask = regionInMaskFraction(p.mask, p.width, p.height, rasterizeSilhouette(vertices, head, camera, scale));
      if (headInMask < minHead) problems.push(`mask lost the head (${format(100 * headInMask)} % of it on the mask)`);
      if (!(maskIoU >= minIoU)) problems.push(`mask and fitted body overlap little (IoU ${format(maskIoU, 2)})`);
    }
    return {
      frameIndex: p.frameIndex, timestamp: p.timestamp, reprojectionErrorPx: fit.perFrameError[i] ?? Number.NaN,
      orientationDeviationDeg: fitted.degrees, landmarkOrientationDeviationDeg: detected.degrees,
      facingDisagreementDeg: facing, headInMask, maskIoU, used: problems.length === 0, problems,
      ...(problems.length > 0 ? { reason: problems.join('; ') } : {}),
    };
  });
  if (quality.filter((q) => q.used).length < Math.min(minUsed, F)) {
    // Too few frames pass to train on: use them all, the problems stay listed.
    for (const q of quality) {
      q.used = true;
      delete q.reason;
    }
  }
  return quality;
}

/** assessFitFrames on the package's default body (created and freed here): the body fitFromVideo fits. */
export async function assessFitFramesOnDefaultBody(frames: readonly PoseFrame[], fit: BodyFit, options: FrameQualityOptions = {}): Promise<FrameQuality[]> {
  const body = await createDefaultBody();
  try {
    return assessFitFrames(frames, fit, body, options);
  } finally {
    body.dispose();
  }
}
