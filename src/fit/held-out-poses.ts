/**
 * Fit mode's held-out frames (options.holdOutEvery), posed for scoring: their body-fit poses fitted
 * to their pictures with the trained avatar fixed (train/fit-frame-poses.ts). The training frames'
 * poses are refined while training; without this the held-out frames would keep all of the
 * keypoint fit's error, and scoring them would measure that error as much as the appearance.
 */
import type { Avatar } from '../avatar/types.js';
import { requestGpuDevice } from '../gpu/device.js';
import { prepareDataset } from '../train/dataset.js';
import { fitFramePoses } from '../train/fit-frame-poses.js';
import { datasetFromFit, type FitFrameInput } from './dataset-from-fit.js';
import type { BodyFit } from './types.js';

/** A held-out frame's pose for scoring it. */
export interface HeldOutPose {
  /** J×3 axis-angle (72 numbers for SMPL) and translation (3, metres), in the fit's camera frame. */
  pose: Float32Array;
  trans: Float32Array;
  /**
   * When the pose was fitted to the frame: the image loss (0.8·L1 + 0.2·(1 − SSIM), avatar and
   * frame on grey) at the body-fit pose and at `pose`. Absent for a frame without a mask, or with
   * fitting off: `pose` is then the body fit's.
   */
  loss?: { before: number; after: number };
}

export interface HeldOutPoseOptions {
  /** Fit the poses (else the body fit's are returned). */
  fit: boolean;
  device?: GPUDevice;
  signal?: AbortSignal;
  /** After each fitted frame: the fraction done and that frame's loss after fitting. */
  onProgress?: (fraction: number, loss: number) => void;
}

/**
 * Poses of frames `heldOut` (indices into `frames` and the fit's frames). `frames` as training
 * took them (images without the wall's colour at the edges, refined masks); `fit` with the camera
 * of those frames.
 */
export async function heldOutPoses(avatar: Avatar, frames: readonly FitFrameInput[], fit: BodyFit, heldOut: readonly number[], options: HeldOutPoseOptions): Promise<HeldOutPose[]> {
  const J = avatar.body.numJoints;
  const result: HeldOutPose[] = heldOut.map((h) => ({ pose: fit.poses.slice(3 * J * h, 3 * J * (h + 1)), trans: fit.trans.slice(3 * h, 3 * h + 3) }));
  // Only masked frames can be drawn on the random backgrounds the fit compares on.
  const masked = heldOut.filter((h) => frames[h]?.mask);
  if (!options.fit || masked.length === 0) return result;
  const dataset = datasetFromFit(frames, fit, avatar.body, (i) => masked.includes(i));
  const prepared = await prepareDataset(dataset, J, avatar.body.numBetas);
  const device = options.device ?? (await requestGpuDevice({ label: 'gaussian-avatar held-out poses' }));
  try {
    const fitted = await fitFramePoses(device, avatar, prepared, {
      ...(options.signal ? { signal: options.signal } : {}),
      onProgress: (p) => options.onProgress?.(p.done / p.frames, p.lossAfter),
    });
    dataset.sourceFrames.forEach((h, k) => {
      result[heldOut.indexOf(h)] = { pose: fitted.poses[k]!, trans: fitted.trans[k]!, loss: { before: fitted.lossBefore[k]!, after: fitted.lossAfter[k]! } };
    });
  } finally {
    if (device !== options.device) device.destroy();
  }
  return result;
}
