// The fit benchmark's input: the synthetic character (tests/helpers/synthetic-character.ts) walking
// in place and turning slowly, rendered from one fixed camera and encoded to a WebM at 30 FPS
// (tests/helpers/still-webm.ts), with the ground truth of every video frame (pose, translation, image).
import { mat3, quat } from 'gl-matrix';
import type { Character, RenderedFrame } from '../helpers/synthetic-character.js';
import { frameToImageData, loadMotionFrames, renderCharacter } from '../helpers/synthetic-character.js';
import type { TestCamera } from '../helpers/front-camera.js';
import { moveBody } from './rigid-motion.js';
import { recordFramesWebm } from '../helpers/still-webm.js';

export interface SyntheticClip {
  /** The WebM (VP8), `frameCount` frames at `fps`. */
  video: Blob;
  fps: number;
  /** Ground truth of video frame k: world pose / trans (y up) seen through `camera`, and the render (linear RGB + exact mask). */
  truth: RenderedFrame[];
  /** What frame k's video picture is (sRGB bytes before encoding), to identify decoded frames. */
  pictures: ImageData[];
  camera: TestCamera;
  renderSeconds: number;
  recordSeconds: number;
}

/**
 * `frameCount` video frames (at `fps`) of the bundled `motion` looped in place, the body turning
 * about the vertical axis by `turn`·sin(2πk/frameCount) radians (front, then both sides), rendered
 * at `camera` and encoded one video frame per rendered frame, frame k at k/fps s (to the ms).
 */
export async function recordSyntheticClip(device: GPUDevice, character: Character, camera: TestCamera, options: { motion: string; frameCount: number; fps: number; turn: number; background: readonly number[] }): Promise<SyntheticClip> {
  const { frameCount, fps, turn, background } = options;
  const motion = await loadMotionFrames(options.motion, frameCount);
  const restPelvis = character.avatar.body.forward({ pose: new Float32Array(72), betas: character.avatar.betas }).joints.slice(0, 3);
  const poses = new Float32Array(72 * frameCount), trans = new Float32Array(3 * frameCount);
  for (let k = 0; k < frameCount; k++) {
    const yaw = turn * Math.sin((2 * Math.PI * k) / frameCount);
    const R = mat3.fromQuat(mat3.create(), quat.setAxisAngle(quat.create(), [0, 1, 0], yaw));
    const moved = moveBody(motion.poses.subarray(72 * k, 72 * k + 72), motion.trans.subarray(3 * k, 3 * k + 3), R, [0, 0, 0], restPelvis, restPelvis);
    poses.set(moved.pose, 72 * k);
    trans.set(moved.trans, 3 * k);
  }
  const r0 = performance.now();
  const truth = await renderCharacter(device, character, camera, poses, trans);
  const pictures = truth.map((f) => frameToImageData(f, camera.width, camera.height, background));
  const renderSeconds = (performance.now() - r0) / 1000;

  const t0 = performance.now();
  const video = await recordFramesWebm(pictures, 1000 / fps);
  const recordSeconds = (performance.now() - t0) / 1000;
  return { video, fps, truth, pictures, camera, renderSeconds, recordSeconds };
}

