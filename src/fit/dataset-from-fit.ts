/**
 * The training dataset of fit mode: each usable frame's image and person mask (from the pose
 * detector) with the body fit's pose, translation and camera, ready for `trainAvatar`.
 */
import type { BodyModel } from '../body/types.js';
import type { TrainingDataset, TrainingFrame } from '../train/dataset.js';
import { AvatarInputError, describeValue } from '../errors.js';
import type { BodyFit } from './types.js';

/** One usable frame: its pixels and, when segmentation ran, its person mask. */
export interface FitFrameInput {
  /** RGBA 8-bit sRGB pixels, the fit camera's width × height. */
  image: ImageData;
  /** Uint8Array(width × height), row-major, top row first: 0 = background … 255 = person (PoseFrame.mask). */
  mask?: Uint8Array;
  /** Seconds within the video (PoseFrame.timestamp); given for every frame, it lets pose refinement keep the motion smooth. */
  timestamp?: number;
}

/** Masks covering less than this many pixels' worth of person are treated as missing (a failed segmentation). */
const MIN_MASK_COVERAGE = 1;

/** Converts a detector mask (0…255 bytes) to the trainer's Float32Array in 0…1; null when it covers (almost) nothing. */
export function maskToUnit(mask: Uint8Array): Float32Array | null {
  const out = new Float32Array(mask.length);
  let covered = 0;
  for (let p = 0; p < mask.length; p++) {
    out[p] = mask[p]! / 255;
    covered += out[p]!;
  }
  return covered >= MIN_MASK_COVERAGE ? out : null;
}

/**
 * Builds `{ camera, frames, betas, body }` from `frames[i]` and the fit's pose i (72 numbers) and
 * translation i (3 numbers). The camera is the fit's (K column-major, view the identity: world is
 * the OpenCV camera frame). A frame without a usable mask is left out of the dataset when others
 * have one (an unmasked frame would be trained as if already on the background), and so is every
 * frame i for which `trainOn(i)` is false (held out for evaluation).
 *
 * @throws AvatarInputError when the frame count or an image size disagrees with the fit.
 */
/** The dataset, and which input frame each of its frames is. */
export interface FitDataset extends TrainingDataset {
  /** sourceFrames[k]: the index into the `frames` given to datasetFromFit of dataset frame k. */
  sourceFrames: number[];
}

export function datasetFromFit(frames: readonly FitFrameInput[], fit: BodyFit, body?: BodyModel, trainOn: (i: number) => boolean = () => true): FitDataset {
  if (!Array.isArray(frames)) throw new AvatarInputError(`frames: expected an array of { image, mask? }, got ${describeValue(frames)}`);
  const { width, height } = fit.camera;
  const jointValues = frames.length > 0 ? fit.poses.length / frames.length : 0;
  if (!Array.isArray(frames) || frames.length === 0 || fit.trans.length !== frames.length * 3 || !Number.isInteger(jointValues)) {
    throw new AvatarInputError(`frames: expected one frame per fitted pose (${fit.trans.length / 3}), got ${describeValue(frames)}`);
  }
  const built: (TrainingFrame & { masked: boolean })[] = frames.map((frame, i) => {
    const { image } = frame;
    if (image.width !== width || image.height !== height) {
      throw new AvatarInputError(`frames[${i}].image: expected ${width}×${height} pixels (the fit camera's size), got ${image.width}×${image.height}`);
    }
    if (frame.mask !== undefined && frame.mask.length !== width * height) {
      throw new AvatarInputError(`frames[${i}].mask: expected Uint8Array(${width * height}) (H×W), got ${describeValue(frame.mask)}`);
    }
    const mask = frame.mask ? maskToUnit(frame.mask) : null;
    return {
      image,
      ...(mask ? { mask } : {}),
      masked: mask !== null,
      pose: fit.poses.slice(i * jointValues, (i + 1) * jointValues),
      trans: fit.trans.slice(i * 3, (i + 1) * 3),
      ...(frame.timestamp !== undefined ? { time: frame.timestamp } : {}),
    };
  });
  const anyMasked = built.some((f) => f.masked);
  const sourceFrames = built.map((_, i) => i).filter((i) => (built[i]!.masked || !anyMasked) && trainOn(i));
  const kept = sourceFrames.map((i) => {
    const { masked: _masked, ...frame } = built[i]!;
    return frame;
  });
  if (kept.length === 0) throw new AvatarInputError('frames: expected at least one frame to train on, got none (all held out or unusable)');
  return {
    camera: { width, height, K: fit.camera.K.slice(), view: fit.camera.view.slice() },
    frames: kept,
    betas: fit.betas.slice(),
    ...(body ? { body } : {}),
    sourceFrames,
  };
}
