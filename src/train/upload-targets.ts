/**
 * The training targets on the GPU: each frame's image composited on a background with its mask,
 * target = m·image + (1 − m)·background (H×W×3 f32, linear RGB).
 *
 * With a fixed background every target is composited once at upload. With random backgrounds
 * (the default) each masked frame keeps its image and mask on the GPU and is composited anew
 * every iteration on that iteration's colour, which the rasterizer also draws behind the avatar:
 * a see-through avatar can then match no single background, so coverage follows the mask (dark
 * clothes on black would otherwise train into a sparse cloud of dark dots).
 */
import { STORAGE_COPYABLE } from '../gpu/buffer-usage.js';
import { createBufferFrom } from '../gpu/buffers.js';
import type { PreparedDataset } from './dataset.js';
import { createTargetCompositor, type TargetCompositor } from './losses/composite-target.js';

export type Rgb = [number, number, number];

export interface TrainingTargets {
  /** Encodes (if needed) frame `f`'s target on `background` and returns the buffer holding it. */
  target(encoder: GPUCommandEncoder, f: number, background: Rgb): GPUBuffer;
  /** Whether frame `f` has a mask (only those can be put on another background). */
  hasMask(f: number): boolean;
  destroy(): void;
}

/** Targets composited once on `background` (frames without a mask are uploaded as they are). */
export function uploadFixedTargets(device: GPUDevice, dataset: PreparedDataset, background: Rgb): TrainingTargets {
  const { width, height } = dataset;
  const compositor = createTargetCompositor(device, { width, height });
  const scratch: GPUBuffer[] = [];
  const encoder = device.createCommandEncoder({ label: 'upload training targets' });
  const targets = dataset.frames.map((frame, i) => {
    if (!frame.mask) return createBufferFrom(device, frame.rgb, STORAGE_COPYABLE, `training target ${i}`);
    const image = createBufferFrom(device, frame.rgb, STORAGE_COPYABLE, `training image ${i}`);
    const mask = createBufferFrom(device, frame.mask, STORAGE_COPYABLE, `training mask ${i}`);
    scratch.push(image, mask);
    const target = device.createBuffer({ label: `training target ${i}`, size: 12 * width * height, usage: STORAGE_COPYABLE });
    compositor.encode(encoder, { image, mask, background, target });
    return target;
  });
  device.queue.submit([encoder.finish()]);
  compositor.destroy();
  // Destroying after submit is safe: WebGPU keeps the buffers alive for the submitted work.
  for (const b of scratch) b.destroy();
  return {
    target: (_encoder, f) => targets[f]!,
    hasMask: (f) => dataset.frames[f]!.mask !== null,
    destroy: () => targets.forEach((b) => b.destroy()),
  };
}

/**
 * Images and masks kept on the GPU; `target` composites frame f on the given background into one
 * shared buffer (one target per iteration). Frames without a mask are uploaded as they are.
 */
export function uploadMaskedFrames(device: GPUDevice, dataset: PreparedDataset): TrainingTargets {
  const { width, height } = dataset;
  const compositor: TargetCompositor = createTargetCompositor(device, { width, height });
  const frames = dataset.frames.map((frame, i) => ({
    image: createBufferFrom(device, frame.rgb, STORAGE_COPYABLE, frame.mask ? `training image ${i}` : `training target ${i}`),
    mask: frame.mask ? createBufferFrom(device, frame.mask, STORAGE_COPYABLE, `training mask ${i}`) : null,
  }));
  const composited = device.createBuffer({ label: 'training target (this iteration)', size: 12 * width * height, usage: STORAGE_COPYABLE });
  return {
    target(encoder, f, background) {
      const { image, mask } = frames[f]!;
      if (!mask) return image;
      compositor.encode(encoder, { image, mask, background, target: composited });
      return composited;
    },
    hasMask: (f) => frames[f]!.mask !== null,
    destroy() {
      for (const { image, mask } of frames) {
        image.destroy();
        mask?.destroy();
      }
      composited.destroy();
      compositor.destroy();
    },
  };
}
