// Shared by the fidelity benchmarks: the adapter check that picks the reduced configuration, and
// the novel-pose evaluation (the avatar posed on the CPU, rasterised, against the exact render).
import { poseGaussians } from '../../src/avatar/pose-avatar.js';
import type { Avatar } from '../../src/avatar/types.js';
import { createSplatRasterizer } from '../../src/render/splat-rasterizer.js';
import type { TrainingCamera } from '../../src/train/dataset.js';
import type { RenderedFrame } from '../helpers/synthetic-character.js';
import { l1Twin, psnrTwin, ssimTwin } from '../train/loss-twin.js';
import { adapterName } from './bench-helpers.js';

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

export function isCpuAdapter(device: GPUDevice): boolean {
  return /swiftshader|llvmpipe|lavapipe|warp/i.test(adapterName(device));
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
