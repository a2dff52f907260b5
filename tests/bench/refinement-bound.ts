/**
 * Pose refinement with the true appearance: the fidelity benchmark's bound on what refinement can
 * do at its image size and iteration count. The perturbed poses are refined exactly as the trainer
 * refines them (same loss, splat and skinning backward, body reverse pass, PoseRefiner), but
 * against the ground-truth character itself instead of a network that is still learning. If
 * training falls well short of this bound, the appearance model is at fault; if the bound itself
 * is low, the images (size, view) or the optimiser are.
 */
import type { TrainingCamera } from '../../src/train/dataset.js';
import { createBufferFrom, readBuffer } from '../../src/gpu/buffers.js';
import { createGaussianSkinner } from '../../src/render/gaussian-skinning.js';
import { createSplatRasterizer } from '../../src/render/splat-rasterizer.js';
import { createImageLoss } from '../../src/train/losses/image-loss.js';
import { writeFloats } from '../../src/train/nn/kernel-utils.js';
import { invertCanonicalTransforms, poseGradientFromPosing, posingMatrices, PoseRefiner } from '../../src/train/pose-refinement.js';
import type { Character, RenderedFrame } from '../helpers/synthetic-character.js';

export interface BoundOptions {
  /** Frames to refine: images and masks are the truth, poses and translations the perturbed ones. */
  frames: RenderedFrame[];
  cameras: TrainingCamera[];
  /** Refinement steps in all (one frame each, frames in turn). */
  iterations: number;
  poseLearningRate: number;
  transLearningRate: number;
  prior: number;
  /** Frame times (s) and the temporal prior's weight, as trainAvatar passes them. */
  times?: number[];
  smoothness?: number;
}

/** Refines `frames`' poses against `character` rendered on black (the trainer's target); returns the refined poses and translations. */
export async function refineWithTrueAppearance(device: GPUDevice, character: Character, options: BoundOptions): Promise<{ poses: Float32Array[]; trans: Float32Array[] }> {
  const { frames, cameras } = options;
  const { width, height } = cameras[0]!;
  const body = character.avatar.body, J = body.numJoints, N = character.count;
  const betas = character.avatar.betas;
  const canonicalInverse = invertCanonicalTransforms(character.avatar.canonicalTransforms, J);
  const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
  const owned: { destroy(): void }[] = [];
  const own = <T extends { destroy(): void }>(x: T) => (owned.push(x), x);
  const upload = (values: Float32Array) => own(createBufferFrom(device, values, usage));
  const empty = (floats: number) => own(device.createBuffer({ size: 4 * floats, usage }));
  try {
    const canonical = upload(character.positions), weights = upload(character.weights);
    const scales = upload(character.scales), colors = upload(character.colors);
    const transforms = empty(16 * J), posed = empty(3 * N), gradImage = empty(3 * width * height);
    const gradMeans = empty(3 * N), gradScales = empty(N), gradColors = empty(3 * N), gradOpacities = empty(N);
    const gradCanonical = empty(3 * N), gradTransforms = empty(16 * J);
    // The trainer's target: the straight image times its mask, on a black background.
    const targets = frames.map((f) => upload(Float32Array.from(f.image, (v, e) => v * f.mask[Math.floor(e / 3)]!)));
    const skinner = own(createGaussianSkinner(device, { maxGaussians: N, maxJoints: J }));
    const rasterizer = own(createSplatRasterizer(device, { width, height, maxGaussians: N }));
    const loss = own(createImageLoss(device, { width, height }));
    const refiner = new PoseRefiner({
      poses: frames.map((f) => f.pose), trans: frames.map((f) => f.trans),
      poseLearningRate: options.poseLearningRate, transLearningRate: options.transLearningRate, prior: options.prior,
      times: options.times, smoothness: options.smoothness,
    });
    const scene = { means: posed, scales, colors, count: N };
    for (let it = 0; it < options.iterations; it++) {
      const f = it % frames.length;
      const pose = refiner.poses[f]!, trans = refiner.trans[f]!;
      writeFloats(device, transforms, posingMatrices(body.forwardTransforms({ pose, trans, betas }).transforms, canonicalInverse));
      const encoder = device.createCommandEncoder({ label: 'refinement bound' });
      skinner.encodeForward(encoder, { canonical, weights, transforms, posed, count: N, numJoints: J });
      rasterizer.encodeForward(encoder, { ...scene, camera: cameras[f]! });
      loss.encode(encoder, { rendered: rasterizer.imageBuffer, target: targets[f]!, gradOut: gradImage });
      rasterizer.encodeBackward(encoder, { ...scene, gradImage, gradMeans, gradScales, gradColors, gradOpacities });
      skinner.encodeBackward(encoder, { canonical, weights, transforms, gradPosed: gradMeans, gradCanonical, gradTransforms, count: N, numJoints: J });
      device.queue.submit([encoder.finish()]);
      const gradPosing = new Float32Array(await readBuffer(device, gradTransforms, 64 * J));
      refiner.step(f, poseGradientFromPosing(body, { pose, trans, betas }, gradPosing, canonicalInverse));
    }
    return { poses: refiner.poses, trans: refiner.trans };
  } finally {
    for (const x of owned) x.destroy();
  }
}
