/**
 * Fitting frames' poses to their pictures with a trained avatar held fixed: per frame, Adam
 * steps of its pose and translation on training's image loss, the avatar drawn over a random
 * background each step (as in training), so the outline has to match the mask as well as the
 * colours inside it. For frames the avatar was never trained on (fit mode's held-out frames):
 * their poses come from the keypoint body fit alone, while training's pose refinement corrects
 * the frames it sees. Evaluations on monocular video do the same to their test frames
 * (PeopleSnapshot's test poses are refined against the test images with the avatar frozen,
 * Anim-NeRF's protocol, used by InstantAvatar and GaussianAvatar): it scores the appearance
 * rather than the keypoint fit's error.
 *
 * The loss before and after is measured on one fixed grey background; a frame whose loss did not
 * fall keeps its starting pose.
 */
import type { Avatar } from '../avatar/types.js';
import { AbortError, AvatarInputError, GpuDeviceError, describeValue } from '../errors.js';
import { captureGpuErrors } from '../gpu/error-scope.js';
import { readBuffer } from '../gpu/buffers.js';
import { STORAGE_COPYABLE } from '../gpu/buffer-usage.js';
import { createGaussianSkinner } from '../render/gaussian-skinning.js';
import { grownIntersectionCapacity } from '../render/intersection-capacity.js';
import { createSplatRasterizer } from '../render/splat-rasterizer.js';
import { createPlaybackNetwork } from './appearance-network.js';
import type { PreparedDataset } from './dataset.js';
import { createImageLoss, IMAGE_LOSS_SUMMARY_FLOATS, type LossSpace } from './losses/image-loss.js';
import { writeFloats } from './nn/kernel-utils.js';
import { finiteOption, integerOption } from './option-checks.js';
import { poseCode } from './pose-code.js';
import { invertCanonicalTransforms, poseGradientFromPosing, posingMatrices, PoseRefiner } from './pose-refinement.js';
import { randomBackgrounds } from './random-backgrounds.js';
import { uploadMaskedFrames, type Rgb } from './upload-targets.js';

export interface FitFramePosesOptions {
  /** Adam steps per frame. Default 40. */
  iterations?: number;
  /** Adam rate of the axis-angles, radians per step at the start (it decays to a tenth). Default 0.005. */
  poseRate?: number;
  /** Adam rate of the translation, metres per step at the start. Default 0.002. */
  transRate?: number;
  /** Weight of the prior ½λ‖θ − θ₀‖² holding each frame near its starting pose (as training's regularisation.poses). Default 0.05. */
  prior?: number;
  /** Where the image loss compares (as training's lossSpace). Default 'srgb'. */
  lossSpace?: LossSpace;
  seed?: number;
  signal?: AbortSignal;
  /** After each frame: how many are done, and that frame's loss before and after. */
  onProgress?: (progress: { done: number; frames: number; lossBefore: number; lossAfter: number }) => void;
}

export interface FitFramePosesResult {
  /** Per frame, the fitted pose (J×3) and translation (3). */
  poses: Float32Array[];
  trans: Float32Array[];
  /** Per frame, the image loss (0.8·L1 + 0.2·(1 − SSIM), on grey) at the starting pose and at the returned one. */
  lossBefore: number[];
  lossAfter: number[];
}

/** The fixed background of the before/after measurement: mid grey, linear RGB (neither dark nor light clothes vanish on it). */
const MEASURE_BACKGROUND: Rgb = [0.2, 0.2, 0.2];
const BLACK: Rgb = [0, 0, 0];

/**
 * Fits each frame of `data` (its image, mask, camera, starting pose and translation) with the
 * trained `avatar` fixed. Frames are independent. Throws AvatarInputError for an avatar without a
 * network or bad options, AbortError when `signal` aborts.
 */
export async function fitFramePoses(device: GPUDevice, avatar: Avatar, data: PreparedDataset, options: FitFramePosesOptions = {}): Promise<FitFramePosesResult> {
  if (!avatar?.network) throw new AvatarInputError(`avatar: expected a trained avatar (with a network), got ${describeValue(avatar)}`);
  const iterations = integerOption('iterations', options.iterations, 40, 0, 100_000);
  const poseRate = finiteOption('poseRate', options.poseRate, 0.005, 0, 1);
  const transRate = finiteOption('transRate', options.transRate, 0.002, 0, 1);
  const prior = finiteOption('prior', options.prior, 0.05, 0, 1e6);
  const { signal } = options;
  if (signal?.aborted) throw new AbortError('fitFramePoses: aborted');
  const body = avatar.body, betas = avatar.betas;
  const J = body.numJoints, N = avatar.gaussians.count;
  const { width, height } = data;
  const canonicalInverse = invertCanonicalTransforms(avatar.canonicalTransforms, J);
  const refiner = new PoseRefiner({ poses: data.frames.map((f) => f.pose), trans: data.frames.map((f) => f.trans), poseLearningRate: poseRate, transLearningRate: transRate, prior });

  const owned: { destroy(): void }[] = [];
  const own = <T extends { destroy(): void }>(thing: T): T => (owned.push(thing), thing);
  const buffer = (label: string, floats: number) => own(device.createBuffer({ label: `pose fit ${label}`, size: Math.max(16, 4 * floats), usage: STORAGE_COPYABLE }));
  try {
    // Allocation failures (out of memory) come back as a typed error, not as uncaptured GPU errors.
    const setup = captureGpuErrors(device, () => ({
      network: own(createPlaybackNetwork(device, avatar)),
      skinner: own(createGaussianSkinner(device, { maxGaussians: N, maxJoints: J })),
      rasterizer: own(createSplatRasterizer(device, { width, height, maxGaussians: N })),
      imageLoss: own(createImageLoss(device, { width, height, space: options.lossSpace ?? 'srgb' })),
      targets: own(uploadMaskedFrames(device, data)),
      weights: buffer('skinning weights', N * J), transforms: buffer('posing matrices', 16 * J), posed: buffer('posed', 3 * N),
      gradImage: buffer('grad image', 3 * width * height), gradMeans: buffer('grad means', 3 * N),
      gradScales: buffer('grad scales', N), gradColors: buffer('grad colors', 3 * N), gradOpacities: buffer('grad opacities', N),
      gradCanonical: buffer('grad canonical', 3 * N), gradTransforms: buffer('grad posing', 16 * J), summary: buffer('loss summary', IMAGE_LOSS_SUMMARY_FLOATS),
      // What comes back each step, in one read: the loss summary, then ∂L/∂M (J×16).
      results: buffer('results', IMAGE_LOSS_SUMMARY_FLOATS + 16 * J),
    }));
    const setupError = await setup.error;
    if (setupError) throw new GpuDeviceError(`fitFramePoses: allocating the GPU buffers failed (${setupError.message}); use a smaller image size`);
    const { network, skinner, imageLoss, targets, weights, transforms, posed, gradImage, gradMeans, gradScales, gradColors, gradOpacities, gradCanonical, gradTransforms, summary, results } = setup.result;
    let { rasterizer } = setup.result;
    writeFloats(device, weights, avatar.gaussians.weights);
    const nextBackground = randomBackgrounds(options.seed ?? 1);

    /** Draws frame f at its current pose on `background`; with `step`, takes one Adam step. Returns the loss. */
    const iterate = async (f: number, background: Rgb, step: boolean): Promise<number> => {
      const pose = refiner.poses[f]!, trans = refiner.trans[f]!;
      const posedBody = body.forward({ pose, trans, betas });
      writeFloats(device, transforms, posingMatrices(posedBody.transforms, canonicalInverse));
      network.setPoseCode(network.config.poseCodeLength > 0 ? poseCode(pose, J) : null);
      network.setPosedBody(posedBody);
      const encoder = device.createCommandEncoder({ label: `pose fit frame ${f}` });
      // A frame without a mask is already on its background: black, as training takes it.
      if (!targets.hasMask(f)) background = BLACK;
      const target = targets.target(encoder, f, background);
      network.encodeForward(encoder);
      const scene = { means: posed, scales: network.scales, colors: network.colors, count: N };
      skinner.encodeForward(encoder, { canonical: network.displaced, weights, transforms, posed, count: N, numJoints: J });
      rasterizer.encodeForward(encoder, { ...scene, camera: data.frames[f]!.camera, background });
      imageLoss.encode(encoder, { rendered: rasterizer.imageBuffer, target, gradOut: gradImage, lossOut: summary });
      if (step) {
        rasterizer.encodeBackward(encoder, { ...scene, gradImage, gradMeans, gradScales, gradColors, gradOpacities });
        skinner.encodeBackward(encoder, { canonical: network.displaced, weights, transforms, gradPosed: gradMeans, gradCanonical, gradTransforms, count: N, numJoints: J });
        encoder.copyBufferToBuffer(gradTransforms, 0, results, 4 * IMAGE_LOSS_SUMMARY_FLOATS, 64 * J);
      }
      encoder.copyBufferToBuffer(summary, 0, results, 0, 4 * IMAGE_LOSS_SUMMARY_FLOATS);
      device.queue.submit([encoder.finish()]);
      const values = new Float32Array(await readBuffer(device, results));
      if (step) refiner.step(f, poseGradientFromPosing(body, { pose, trans, betas }, values.subarray(IMAGE_LOSS_SUMMARY_FLOATS), canonicalInverse));
      return values[0]!;
    };

    const lossBefore: number[] = [], lossAfter: number[] = [];
    for (let f = 0; f < data.frames.length; f++) {
      const start = { pose: Float32Array.from(refiner.poses[f]!), trans: Float32Array.from(refiner.trans[f]!) };
      let before = await iterate(f, MEASURE_BACKGROUND, false);
      const capacity = await grownIntersectionCapacity(device, rasterizer);
      if (capacity !== null) {
        // The list nearly overflowed: grow it, and measure again without dropped splats.
        const grown = createSplatRasterizer(device, { width, height, maxGaussians: N, maxIntersections: capacity });
        rasterizer.destroy();
        owned[owned.indexOf(rasterizer)] = grown;
        rasterizer = grown;
        before = await iterate(f, MEASURE_BACKGROUND, false);
      }
      for (let it = 0; it < iterations; it++) {
        if (signal?.aborted) throw new AbortError('fitFramePoses: aborted');
        // Cosine decay to a tenth: large steps first, then settling where the loss is lowest.
        const decay = 0.1 + 0.45 * (1 + Math.cos((Math.PI * it) / iterations));
        refiner.poseLearningRate = poseRate * decay;
        refiner.transLearningRate = transRate * decay;
        await iterate(f, nextBackground(), true);
      }
      let after = await iterate(f, MEASURE_BACKGROUND, false);
      if (!(after < before)) {
        refiner.poses[f]!.set(start.pose);
        refiner.trans[f]!.set(start.trans);
        after = before;
      }
      lossBefore.push(before);
      lossAfter.push(after);
      options.onProgress?.({ done: f + 1, frames: data.frames.length, lossBefore: before, lossAfter: after });
    }
    return { poses: refiner.poses, trans: refiner.trans, lossBefore, lossAfter };
  } finally {
    for (const thing of owned) thing.destroy();
  }
}
