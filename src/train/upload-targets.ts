/** The training targets on the GPU: each frame's image composited on the background with its mask. */
import { createBufferFrom } from '../gpu/buffers.js';
import type { PreparedDataset } from './dataset.js';
import { createTargetCompositor } from './losses/composite-target.js';

/**
 * Uploads every frame's training target, m·image + (1 − m)·background (H×W×3 f32 each, STORAGE
 * usage), composited on the GPU; frames without a mask are uploaded as they are.
 */
export function uploadTargets(device: GPUDevice, dataset: PreparedDataset, background: [number, number, number]): GPUBuffer[] {
  const { width, height } = dataset;
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
  const compositor = createTargetCompositor(device, { width, height });
  const scratch: GPUBuffer[] = [];
  const encoder = device.createCommandEncoder({ label: 'upload training targets' });
  const targets = dataset.frames.map((frame, i) => {
    if (!frame.mask) return createBufferFrom(device, frame.rgb, usage, `training target ${i}`);
    const image = createBufferFrom(device, frame.rgb, usage, `training image ${i}`);
    const mask = createBufferFrom(device, frame.mask, usage, `training mask ${i}`);
    scratch.push(image, mask);
    const target = device.createBuffer({ label: `training target ${i}`, size: 12 * width * height, usage });
    compositor.encode(encoder, { image, mask, background, target });
    return target;
  });
  device.queue.submit([encoder.finish()]);
  compositor.destroy();
  // Destroying after submit is safe: WebGPU keeps the buffers alive for the submitted work.
  for (const b of scratch) b.destroy();
  return targets;
}
