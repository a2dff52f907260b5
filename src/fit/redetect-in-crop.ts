/**
 * A second look at the frames where the pose detector found nobody. MediaPipe Pose finds a person
 * from the whole frame shrunk to its detector's 224 px: a full body far from the camera (a quarter
 * of a landscape frame's height, as when someone steps back to get the feet in) has a face of a
 * few pixels there and is missed in about half the frames (bench:variants, "far away"). Those
 * frames are detected again in the box around the person in the frames where they were found
 * (padded, as the person moves), so the person fills the detector's view; the keypoints and mask
 * are moved back into the whole frame. Frames where the retry finds nobody stay dropped.
 */
import type { PoseDetector } from '../capture/mediapipe-pose.js';
import type { CapturedFrame, PoseDetections } from '../capture/types.js';
import { cropImage, personBox, personCrop, uncropPoseFrame } from './person-crop.js';

/** Padding of the search box, × the larger side of the person's extent over the found frames. */
export const SEARCH_PADDING = 0.25;
/** Search only when the box leaves out at least this fraction of the frame's area (else the retry sees what the first look saw). */
const MIN_AREA_SAVED = 0.25;

/**
 * `detections` with the dropped frames of `captured` detected again inside the person's box.
 * Returns `detections` itself when nothing was dropped, nobody was found anywhere, or the box
 * is nearly the whole frame.
 */
export async function redetectMissedFrames(
  captured: ReadonlyMap<number, CapturedFrame>, detections: PoseDetections, detector: PoseDetector, beforeEach: () => void = () => undefined,
): Promise<PoseDetections> {
  if (detections.droppedFrames.length === 0 || detections.frames.length === 0) return detections;
  const { width, height } = detections.frames[0]!;
  const box = personBox(detections.frames, SEARCH_PADDING);
  if (!box || box.width * box.height > (1 - MIN_AREA_SAVED) * width * height) return detections;
  const crop = personCrop(box, Math.max(box.width, box.height));
  const found = [...detections.frames];
  const droppedFrames: number[] = [];
  for (const index of detections.droppedFrames) {
    beforeEach();
    const frame = captured.get(index);
    if (!frame || frame.image.width !== width || frame.image.height !== height) {
      droppedFrames.push(index);
      continue;
    }
    // A search from scratch in this frame alone (no tracking from another frame).
    detector.reset();
    const result = await detector.detect(cropImage(frame.image, crop), { frameIndex: index, timestamp: frame.timestamp });
    if (result) found.push(uncropPoseFrame(result, box, width, height));
    else droppedFrames.push(index);
  }
  found.sort((a, b) => a.frameIndex - b.frameIndex);
  return { frames: found, droppedFrames };
}
