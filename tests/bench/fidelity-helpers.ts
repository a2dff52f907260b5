// Shared by the fidelity benchmarks: their configurations (reduced on CPU adapters) and
// the novel-pose evaluation (the avatar posed on the CPU, rasterised, against the exact render).
import { poseGaussians } from '../../src/avatar/pose-avatar.js';
import type { Avatar } from '../../src/avatar/types.js';
import { createSplatRasterizer } from '../../src/render/splat-rasterizer.js';
import type { TrainingCamera } from '../../src/train/dataset.js';
import { createCharacter, frontCamera, loadMotionFrames, renderCharacter, type Character, type RenderedFrame } from '../helpers/synthetic-character.js';
import { l1Twin, psnrTwin, ssimTwin } from '../train/loss-twin.js';

/** The fidelity benches' sizes: a reduced run on CPU adapters, the issue's full one on a GPU. */
export interface FidelityConfig {
  name: string;
  size: number;
  truthResolution: number;
  resolution: number;
  frames: number;
  stage1: number;
  stage2: number;
}

export const REDUCED: FidelityConfig = { name: 'reduced (CPU adapter)', size: 64, truthResolution: 64, resolution: 32, frames: 20, stage1: 1200, stage2: 300 };
/** The real-GPU target: a 300-frame 512×512 fit (240 training frames) in ≤ 5 minutes. */
export const FULL: FidelityConfig = { name: 'full', size: 512, truthResolution: 256, resolution: 128, frames: 300, stage1: 3000, stage2: 1000 };

/** The clip's frame rate: the walk's own. */
const FPS = 30;

/** A fidelity bench's clip: the character, and its exact renders split into training and novel-pose frames. */
export interface FidelityClip {
  character: Character;
  cameras: TrainingCamera[];
  frames: RenderedFrame[];
  train: number[];
  test: number[];
}

/**
 * The character walking while the camera circles it (up to 0.8 rad each way, as a turning subject
 * would be filmed), rendered exactly at `config`'s size; every 5th pose of the motion held out.
 */
export async function fidelityClip(device: GPUDevice, config: FidelityConfig, characterOptions: { deformingClothes?: boolean } = {}): Promise<FidelityClip> {
  const { size } = config;
  const character = await createCharacter(config.truthResolution, 2 / config.truthResolution, characterOptions);
  const step = Math.max(1, Math.floor(32 / config.frames));
  const motion = await loadMotionFrames('walk', config.frames, step);
  const cameras = Array.from({ length: config.frames }, (_, f) => frontCamera(size, size, { yaw: 0.8 * Math.sin((2 * Math.PI * f) / config.frames) }));
  const frames: RenderedFrame[] = [];
  for (let f = 0; f < config.frames; f++) {
    const [frame] = await renderCharacter(device, character, cameras[f]!, motion.poses.slice(72 * f, 72 * f + 72), motion.trans.slice(3 * f, 3 * f + 3));
    frames.push({ ...frame!, time: (f * step) / FPS });
  }
  // Held out by the motion's frame, not the clip's: when the clip wraps round the motion (the
  // full run's 300 frames of a 32-frame walk) a held-out pose must not also be a training one.
  const heldOut = (f: number) => motion.motionFrames[f]! % 5 === 2;
  return {
    character, cameras, frames,
    test: frames.map((_, f) => f).filter(heldOut),
    train: frames.map((_, f) => f).filter((f) => !heldOut(f)),
  };
}

/** Mean PSNR (dB) and SSIM of `avatar` rendered at each frame's pose and camera against the frame's masked image. */
export async function evaluate(device: GPUDevice, avatar: Avatar, frames: RenderedFrame[], cameras: TrainingCamera[]): Promise<{ psnr: number; ssim: number }> {
  const { width, height } = cameras[0]!;
  const rasterizer = createSplatRasterizer(device, { width, height, maxGaussians: avatar.gaussians.count });
  let psnr = 0, ssim = 0;
  for (let k = 0; k < frames.length; k++) {
    const f = frames[k]!;
    const posed = poseGaussians(avatar, { pose: f.pose, trans: f.trans });
    const image = await rasterizer.render({ means: posed.positions, scales: posed.scales, colors: posed.colors }, cameras[k]!);
    const target = Float32Array.from(f.image, (v, e) => v * f.mask[Math.floor(e / 3)]!);
    psnr += psnrTwin(l1Twin(image, target).mse);
    ssim += ssimTwin(image, target, width, height).ssim;
  }
  rasterizer.destroy();
  return { psnr: psnr / frames.length, ssim: ssim / frames.length };
}
