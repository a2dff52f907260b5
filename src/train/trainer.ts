/**
 * The training loop (GaussianAvatar, two stages) on the GPU. One iteration sees one frame:
 *
 *   pose code (stage 2) → appearance network forward (features → MLP → heads → canonical + δ)
 *   → skinning with M = T_live(pose_f, trans_f) · T_canon⁻¹ → splat forward
 *   → image loss 0.8·L1 + 0.2·(1 − SSIM) against the frame's composited target (in sRGB by default)
 *   → splat backward → skinning backward (∂L/∂δ, ∂L/∂M) → regularisers (offsets, scales, feature TV)
 *   → network backward → Adam;  pose refinement: ∂L/∂M → CPU → body reverse pass → per-frame Adam.
 *
 * Stage 1 trains the feature tensor and the MLP on the features alone (and refines poses after a
 * warm-up); stage 2 freezes the feature tensor and trains the pose branch (`poseConditioning`):
 * 'uv-encoder' (default, the paper's): the U-Net over the frame's posed UV positional map, its
 * features added to the feature tensor (output conv starting at zero), with the MLP at a lower
 * rate; 'global-code': the MLP with the frame's pose code as extra input (layer 0 grown by zero
 * rows); 'none': no stage 2. Either way stage 2 starts from stage 1's function.
 * Only small things come back to the CPU: the 5-float loss summary when progress is reported and
 * the J×16 ∂L/∂M when poses are refined.
 */
import { texelFootprintScales } from '../avatar/texel-scales.js';
import type { Avatar } from '../avatar/types.js';
import { buildUvPositionalMap } from '../avatar/uv-positional-map.js';
import type { BodyModel } from '../body/types.js';
import { AvatarInputError, GpuDeviceError } from '../errors.js';
import { readBuffer } from '../gpu/buffers.js';
import { popGpuErrorScopes, pushGpuErrorScopes } from '../gpu/error-scope.js';
import { createGaussianSkinner, type GaussianSkinner } from '../render/gaussian-skinning.js';
import { createSplatRasterizer, type SplatRasterizer } from '../render/splat-rasterizer.js';
import { grownIntersectionCapacity } from '../render/intersection-capacity.js';
import { createAppearanceNetwork, type AppearanceConfig, type AppearanceNetwork } from './appearance-network.js';
import type { PreparedDataset } from './dataset.js';
import { randomBackgrounds } from './random-backgrounds.js';
import { uploadFixedTargets, uploadMaskedFrames, type Rgb } from './upload-targets.js';
import { createImageLoss, IMAGE_LOSS_SUMMARY_FLOATS, type ImageLoss, type LossSpace } from './losses/image-loss.js';
import { createRegularisers, type Regularisers } from './losses/regularisers.js';
import { startNetworkFromColors } from './init-from-colors.js';
import { checkMirrorTwins } from './mirror-twins-option.js';
import { createAdam, type Adam } from './nn/adam.js';
import { seededUniform } from './nn/init.js';
import { writeFloats } from './nn/kernel-utils.js';
import { poseCode, poseCodeLength } from './pose-code.js';
import { posedUvLayout } from './posed-uv-layout.js';
import { invertCanonicalTransforms, poseGradientFromPosing, poseLearningRates, posingMatrices, PoseRefiner } from './pose-refinement.js';
import { STORAGE_COPYABLE } from '../gpu/buffer-usage.js';

/** What conditions the appearance on the pose in stage 2. */
export type PoseConditioning = 'uv-encoder' | 'global-code' | 'none';

/** Everything the loop needs, with defaults already applied (see train-avatar.ts for the public options). */
export interface TrainerSettings {
  resolution: number;
  stage1Iterations: number;
  stage2Iterations: number;
  refinePoses: boolean;
  /** Fraction of stage 1 before pose refinement starts (the appearance must be roughly right first). */
  refineAfter: number;
  /** Radians refinement may move a frame's pose over training: sets the default pose learning rate. */
  refineReach: number;
  /** Pose and trans undefined: chosen from the refinement steps per frame (poseLearningRates). */
  /** encoder: the U-Net's Adam rate; stage2Network: the MLP's in stage 2 with the encoder. */
  learningRates: { features: number; network: number; encoder: number; stage2Network: number; pose?: number; trans?: number };
  /** Stage 2's pose conditioning (see the module comment). */
  poseConditioning: PoseConditioning;
  /** The U-Net encoder's channels per level, finest first. */
  encoderWidths: number[];
  regularisation: { offsets: number; scales: number; features: number; poses: number; poseSmoothness: number; mirror: number };
  /** Linear RGB behind the masked frames, or 'random': a new colour every iteration (random-backgrounds.ts). */
  background: Rgb | 'random';
  /** Where the image loss compares render and frame (image-loss.ts). */
  lossSpace: LossSpace;
  featureChannels: number;
  featureResolution: number;
  hidden: number[];
  maxOffset: number;
  /** Report progress (and read the loss back) every this many iterations. */
  progressEvery: number;
  /** Attach the rendered image to progress every this many iterations (0 = never). */
  previewEvery: number;
  seed: number;
  /** N×3 linear RGB the network starts from (init-from-colors.ts); undefined: the random start. */
  initialColors?: Float32Array;
  /** N: each unseen Gaussian's mirror twin or −1 (mirror-twins.ts); undefined: no mirror term. */
  mirrorTwins?: Int32Array;
  signal?: AbortSignal;
  onProgress?: (progress: TrainingProgress) => void;
}

export interface TrainingProgress {
  /** 1 (features + decoder, pose refinement) or 2 (pose-conditioned decoder). */
  stage: 1 | 2;
  /** Iterations done in this stage. */
  iteration: number;
  /** Iterations this stage runs. */
  iterations: number;
  /** The image loss 0.8·L1 + 0.2·(1 − SSIM) of this iteration's frame. */
  loss: number;
  /** PSNR (dB) of this iteration's render against its target. */
  psnr: number;
  /** The rendered image, H×W×3 linear RGB, every `previewEvery` iterations. */
  preview?: { width: number; height: number; rgb: Float32Array };
}

export interface TrainingResult {
  avatar: Avatar;
  /** Refined per-frame poses and translations (the input ones when refinement is off). */
  poses: Float32Array[];
  trans: Float32Array[];
  /** Iterations run per stage (fewer than asked when cancelled). */
  iterations: [number, number];
  cancelled: boolean;
  /** Bytes of every GPU buffer the trainer allocated, stage 2's network included: an upper bound of its peak GPU memory. */
  gpuBytes: number;
  /** Last reported loss and PSNR. */
  loss: number;
  psnr: number;
}

/** The mirror term weighs 1 cm of offset or scale like 0.1 of linear colour: lengths count in 10 cm units. */
const MIRROR_LENGTH = 0.1;

/** Floats of the readback: loss summary, then ∂L/∂M (J×16). */
function readbackFloats(numJoints: number): number {
  return IMAGE_LOSS_SUMMARY_FLOATS + 16 * numJoints;
}

export async function runTraining(
  device: GPUDevice,
  body: BodyModel,
  bodySource: 'default' | 'embedded',
  data: PreparedDataset,
  settings: TrainerSettings,
): Promise<TrainingResult> {
  const J = body.numJoints;
  const betas = data.betas ?? new Float32Array(body.numBetas);
  const map = buildUvPositionalMap(body, { resolution: settings.resolution, betas });
  const N = map.count;
  if (settings.initialColors && settings.initialColors.length !== 3 * N) {
    throw new AvatarInputError(`options.initialColors: expected Float32Array(${3 * N}) (N×3, one per Gaussian of the R = ${settings.resolution} UV map), got Float32Array(${settings.initialColors.length})`);
  }
  if (settings.mirrorTwins) checkMirrorTwins(settings.mirrorTwins, N, settings.resolution);
  const baseScales = texelFootprintScales(map);
  const medianScale = Float32Array.from(baseScales).sort()[N >> 1] ?? 0.01;
  const config: AppearanceConfig = {
    featureChannels: settings.featureChannels,
    featureResolution: settings.featureResolution,
    poseCodeLength: settings.poseConditioning === 'global-code' ? poseCodeLength(J) : 0,
    hidden: settings.hidden,
    activation: 'relu',
    maxOffset: settings.maxOffset,
    // σ = min + (max − min)·sigmoid: the heads start at the middle, the texel-footprint scale.
    minScale: 0.2 * medianScale,
    maxScale: 1.8 * medianScale,
    ...(settings.poseConditioning === 'uv-encoder' ? { poseEncoder: { widths: settings.encoderWidths, inputChannels: 3 } } : {}),
  };
  const canonicalInverse = invertCanonicalTransforms(map.canonicalTransforms, J);
  const { width, height } = data;
  const F = data.frames.length;
  const resources = new Resources();
  const stopCounting = countAllocations(device, resources);
  pushGpuErrorScopes(device);
  // Stage 1 has no pose input (its code would be all zeros): the MLP reads the C features only.
  // Stage 2's network is built from stage 1's with zero pose-code rows appended (stage2Network).
  const { poseEncoder: _stage2Only, ...stage1Config } = config;
  let network = resources.own(createAppearanceNetwork(device, { config: { ...stage1Config, poseCodeLength: 0 }, texels: map.texels, resolution: settings.resolution, canonical: map.positions, trainable: true, seed: settings.seed }));
  const skinner = resources.own(createGaussianSkinner(device, { maxGaussians: N, maxJoints: J }));
  let rasterizer = resources.own(createSplatRasterizer(device, { width, height, maxGaussians: N }));
  const imageLoss = resources.own(createImageLoss(device, { width, height, space: settings.lossSpace }));
  const C = config.featureChannels, R = config.featureResolution;
  const regularisers = resources.own(createRegularisers(device, { maxElements: Math.max(C * R * R, 3 * N) }));
  const lr = settings.learningRates;
  // Stage 1: features and MLP. Stage 2: the feature tensor frozen (not optimised), the pose branch trained.
  const optimiser = (net: AppearanceNetwork, stage: 1 | 2) => createAdam(device, net.parameters.flatMap((p) => {
    if (p.name === 'features') return stage === 1 ? [{ ...p, lr: lr.features }] : [];
    if (p.name.startsWith('unet.')) return [{ ...p, lr: lr.encoder }];
    return [{ ...p, lr: stage === 2 && net.encoder ? lr.stage2Network : lr.network }];
  }));
  let adam: Adam = resources.own(optimiser(network, 1));
  const targets = resources.own(settings.background === 'random' ? uploadMaskedFrames(device, data) : uploadFixedTargets(device, data, settings.background));
  const fixedBackground = settings.background;
  const nextBackground = fixedBackground === 'random' ? randomBackgrounds(settings.seed + 29) : () => fixedBackground;
  const BLACK: Rgb = [0, 0, 0];
  const usage = STORAGE_COPYABLE;
  const make = (label: string, floats: number, extra = 0) => resources.own(device.createBuffer({ label: `trainer ${label}`, size: Math.max(16, 4 * floats), usage: usage | extra }));
  const weights = make('skinning weights', N * J);
  writeFloats(device, weights, map.weights);
  const transforms = make('posing matrices', 16 * J);
  const posed = make('posed', 3 * N);
  const gradImage = make('grad image', 3 * width * height);
  const gradMeans = make('grad means', 3 * N);
  const gradScales = make('grad scales', N);
  const gradColors = make('grad colors', 3 * N);
  const gradOpacities = make('grad opacities', N);
  const gradOffsets = make('grad offsets', 3 * N);
  const gradTransforms = make('grad posing', 16 * J);
  const twins = settings.mirrorTwins && make('mirror twins', N);
  if (twins) device.queue.writeBuffer(twins, 0, Int32Array.from(settings.mirrorTwins!));
  const summary = make('loss summary', IMAGE_LOSS_SUMMARY_FLOATS);
  const readbackBytes = 4 * readbackFloats(J);
  const staging = resources.own(device.createBuffer({ label: 'trainer readback', size: readbackBytes, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST }));
  const previewStaging = resources.own(device.createBuffer({ label: 'trainer preview', size: 12 * width * height, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST }));
  stopCounting();
  const setupError = await popGpuErrorScopes(device);
  if (setupError) {
    resources.destroy();
    throw new GpuDeviceError(`trainAvatar: allocating the training buffers failed (${setupError.message}); use a smaller resolution or image size`);
  }

  const refineFrom = Math.floor(settings.refineAfter * settings.stage1Iterations);
  const rates = poseLearningRates(settings.learningRates, (settings.stage1Iterations - refineFrom) / F, settings.refineReach);
  const refiner = new PoseRefiner({
    poses: data.frames.map((f) => f.pose),
    trans: data.frames.map((f) => f.trans),
    poseLearningRate: rates.pose,
    transLearningRate: rates.trans,
    prior: settings.regularisation.poses,
    ...(data.frames.every((f) => f.time !== undefined) ? { times: data.frames.map((f) => f.time!), smoothness: settings.regularisation.poseSmoothness } : {}),
  });
  const random = seededUniform(settings.seed + 17);
  let order: number[] = [];
  const nextFrame = () => {
    if (order.length === 0) {
      order = Array.from({ length: F }, (_, i) => i);
      for (let i = F - 1; i > 0; i--) {
        const k = Math.floor(random() * (i + 1));
        [order[i], order[k]] = [order[k]!, order[i]!];
      }
    }
    return order.pop()!;
  };

  let lastLoss = NaN, lastPsnr = NaN;
  let cancelled = false;
  const done: [number, number] = [0, 0];
  const stages: [1 | 2, number][] = [[1, settings.stage1Iterations], [2, settings.poseConditioning === 'none' ? 0 : settings.stage2Iterations]];
  const posedLayout = config.poseEncoder ? posedUvLayout(body, config.featureResolution) : undefined;
  try {
    // Known colours (instant appearance): the network starts out rendering them.
    if (settings.initialColors) await startNetworkFromColors(network, { colors: settings.initialColors, texels: map.texels, resolution: settings.resolution });
    for (const [stage, iterations] of stages) {
      if (stage === 2 && iterations > 0 && !settings.signal?.aborted) {
        // Feature tensor frozen; the pose branch (code rows of the MLP, or the encoder) joins.
        const stopCounting = countAllocations(device, resources);
        const next = await stage2Network(device, network, config, map, settings, posedLayout);
        const nextAdam = optimiser(next, 2);
        stopCounting();
        resources.replace(network, next);
        resources.replace(adam, nextAdam);
        network = next;
        adam = nextAdam;
      }
      for (let it = 0; it < iterations; it++) {
        if (settings.signal?.aborted) {
          cancelled = true;
          break;
        }
        const f = nextFrame();
        const frame = data.frames[f]!;
        const pose = refiner.poses[f]!, trans = refiner.trans[f]!;
        const posedBody = body.forward({ pose, trans, betas });
        writeFloats(device, transforms, posingMatrices(posedBody.transforms, canonicalInverse));
        network.setPoseCode(stage === 2 && config.poseCodeLength > 0 ? poseCode(pose, J) : null);
        network.setPosedBody(stage === 2 ? posedBody : null);
        const refine = settings.refinePoses && stage === 1 && it >= refineFrom;
        const report = (it + 1) % settings.progressEvery === 0 || it === iterations - 1;
        const preview = settings.previewEvery > 0 && (it + 1) % settings.previewEvery === 0;

        const encoder = device.createCommandEncoder({ label: `training iteration ${stage}.${it}` });
        // Frames without a mask are already on their background: black when backgrounds are random.
        const background = targets.hasMask(f) ? nextBackground() : fixedBackground === 'random' ? BLACK : fixedBackground;
        const target = targets.target(encoder, f, background);
        network.encodeForward(encoder);
        const scene = { means: posed, scales: network.scales, colors: network.colors, count: N };
        skinner.encodeForward(encoder, { canonical: network.displaced, weights, transforms, posed, count: N, numJoints: J });
        rasterizer.encodeForward(encoder, { ...scene, camera: frame.camera, background });
        imageLoss.encode(encoder, { rendered: rasterizer.imageBuffer, target, gradOut: gradImage, lossOut: report ? summary : undefined });
        rasterizer.encodeBackward(encoder, { ...scene, gradImage, gradMeans, gradScales, gradColors, gradOpacities });
        skinner.encodeBackward(encoder, { canonical: network.displaced, weights, transforms, gradPosed: gradMeans, gradCanonical: gradOffsets, gradTransforms, count: N, numJoints: J });
        const reg = settings.regularisation;
        regularisers.encodeL2(encoder, { values: network.offsets, items: N, components: 3, weight: reg.offsets, grad: gradOffsets });
        regularisers.encodeL2(encoder, { values: network.scales, items: N, components: 1, weight: reg.scales, grad: gradScales, bound: medianScale });
        // Stage 1 only: there the twins' own features take the pull; with the feature tensor frozen
        // (stage 2) only the shared decoder could, at the cost of the Gaussians the frames do show.
        if (twins && reg.mirror > 0 && stage === 1) {
          // Colours in linear RGB; offsets (mirrored across x = 0) and scales in MIRROR_LENGTH units.
          const geometry = reg.mirror / (MIRROR_LENGTH * MIRROR_LENGTH);
          regularisers.encodeMirror(encoder, { values: network.colors, twins, items: N, components: 3, signs: [1, 1, 1], weight: reg.mirror, grad: gradColors });
          regularisers.encodeMirror(encoder, { values: network.offsets, twins, items: N, components: 3, signs: [-1, 1, 1], weight: geometry, grad: gradOffsets });
          regularisers.encodeMirror(encoder, { values: network.scales, twins, items: N, components: 1, signs: [1], weight: geometry, grad: gradScales });
        }
        network.encodeBackward(encoder, { gradOffsets, gradScales, gradColors, trainFeatures: stage === 1 });
        if (stage === 1) regularisers.encodeTotalVariation(encoder, { tensor: network.features.buffer, grad: network.features.parameters[0]!.grad, channels: C, height: R, width: R, weight: reg.features });
        adam.encodeStep(encoder);
        if (report) encoder.copyBufferToBuffer(summary, 0, staging, 0, 4 * IMAGE_LOSS_SUMMARY_FLOATS);
        if (refine) encoder.copyBufferToBuffer(gradTransforms, 0, staging, 4 * IMAGE_LOSS_SUMMARY_FLOATS, 64 * J);
        if (preview) encoder.copyBufferToBuffer(rasterizer.imageBuffer, 0, previewStaging, 0, 12 * width * height);
        device.queue.submit([encoder.finish()]);
        done[stage - 1] = it + 1;

        if (it === 0 || it % 200 === 199) rasterizer = await ensureIntersections(device, rasterizer, resources, N);
        if (report || refine) {
          const values = await mapFloats(staging, readbackBytes);
          if (refine) {
            const gradient = poseGradientFromPosing(body, { pose, trans, betas }, values.slice(IMAGE_LOSS_SUMMARY_FLOATS), canonicalInverse);
            refiner.step(f, gradient);
          }
          if (report) {
            lastLoss = values[0]!;
            lastPsnr = values[4]!;
            const rgb = preview ? await mapFloats(previewStaging, 12 * width * height) : undefined;
            settings.onProgress?.({ stage, iteration: it + 1, iterations, loss: lastLoss, psnr: lastPsnr, preview: rgb && { width, height, rgb } });
          }
        } else if (it % 8 === 7) {
          // Bound the queue (and let an abort signal through) when nothing else waits on the GPU.
          await device.queue.onSubmittedWorkDone();
        }
      }
      if (cancelled) break;
    }

    const avatar = await finishAvatar(device, network, body, bodySource, betas, map, settings.resolution);
    avatar.metadata.poseConditioning = done[1] > 0 ? settings.poseConditioning : 'none';
    avatar.metadata.training = {
      iterations: done,
      cancelled,
      loss: lastLoss,
      psnr: lastPsnr,
      frames: F,
      refinedPoses: settings.refinePoses,
    };
    return {
      avatar, poses: refiner.poses, trans: refiner.trans, iterations: done, cancelled,
      gpuBytes: resources.allocatedBytes, loss: lastLoss, psnr: lastPsnr,
    };
  } finally {
    resources.destroy();
  }
}

/**
 * Stage 2's network: stage 1's weights, with layer 0 grown by zero rows for the pose code, or with
 * a pose encoder whose output conv starts at zero (either way it starts as the same function).
 */
async function stage2Network(
  device: GPUDevice, stage1: AppearanceNetwork, config: AppearanceConfig, map: ReturnType<typeof buildUvPositionalMap>, settings: TrainerSettings,
  posedLayout: ReturnType<typeof posedUvLayout> | undefined,
): Promise<AppearanceNetwork> {
  const { tensors } = await stage1.readWeights();
  const layer0 = tensors['layer0.weight']!;
  const [inputs, outputs] = layer0.shape as [number, number];
  const grown = new Float32Array((inputs + config.poseCodeLength) * outputs);
  grown.set(layer0.data);
  const weights = { ...tensors, 'layer0.weight': { shape: [inputs + config.poseCodeLength, outputs], data: grown } };
  return createAppearanceNetwork(device, { config, texels: map.texels, resolution: settings.resolution, canonical: map.positions, trainable: true, tensors: weights, posedLayout, seed: settings.seed });
}

/** The trained Avatar: canonical Gaussians with base colours/scales from the network at the rest pose (T-pose), and the network's weights. */
async function finishAvatar(
  device: GPUDevice, network: AppearanceNetwork, body: BodyModel, bodySource: 'default' | 'embedded', betas: Float32Array,
  map: ReturnType<typeof buildUvPositionalMap>, resolution: number,
): Promise<Avatar> {
  network.setPoseCode(null);
  network.setPosedBody(network.encoder ? body.forward({ pose: new Float32Array(3 * body.numJoints), betas }) : null);
  const encoder = device.createCommandEncoder({ label: 'trained avatar base appearance' });
  network.encodeForward(encoder);
  device.queue.submit([encoder.finish()]);
  const N = map.count;
  const colors = new Float32Array(await readBuffer(device, network.colors, 12 * N));
  const scales = new Float32Array(await readBuffer(device, network.scales, 4 * N));
  return {
    body,
    bodySource,
    betas,
    canonicalTransforms: map.canonicalTransforms,
    gaussians: { resolution, count: N, texels: map.texels, positions: map.positions, weights: map.weights, colors, scales },
    network: await network.readWeights(),
    metadata: { name: 'trained avatar', createdAt: new Date().toISOString(), generator: 'gaussian-avatar 0.1.0 trainAvatar' },
  };
}

/** Grows the rasterizer's intersection list when the last frame nearly filled it (intersections past it are dropped). */
async function ensureIntersections(device: GPUDevice, rasterizer: SplatRasterizer, resources: Resources, N: number): Promise<SplatRasterizer> {
  const capacity = await grownIntersectionCapacity(device, rasterizer);
  if (capacity === null) return rasterizer;
  const stopCounting = countAllocations(device, resources);
  const grown = createSplatRasterizer(device, { width: rasterizer.width, height: rasterizer.height, maxGaussians: N, maxIntersections: capacity });
  stopCounting();
  resources.replace(rasterizer, grown);
  return grown;
}

async function mapFloats(staging: GPUBuffer, bytes: number): Promise<Float32Array> {
  try {
    await staging.mapAsync(GPUMapMode.READ, 0, bytes);
  } catch (cause) {
    throw new GpuDeviceError(`trainAvatar: reading training results back from the GPU failed: ${String(cause)}`, { cause });
  }
  const out = new Float32Array(staging.getMappedRange(0, bytes).slice(0));
  staging.unmap();
  return out;
}

/** GPU objects the trainer made, destroyed together, and the bytes of every buffer allocated for them. */
class Resources {
  private readonly owned: { destroy(): void }[] = [];
  allocatedBytes = 0;

  own<T extends { destroy(): void }>(thing: T): T {
    this.owned.push(thing);
    return thing;
  }

  replace(old: { destroy(): void }, next: { destroy(): void }): void {
    const k = this.owned.indexOf(old);
    old.destroy();
    if (k >= 0) this.owned[k] = next;
    else this.owned.push(next);
  }

  destroy(): void {
    for (const thing of this.owned.splice(0)) thing.destroy();
  }
}

/**
 * Counts the bytes of every buffer `device` creates until the returned function is called (the
 * modules allocate their own scratch, so this is how the trainer knows its GPU memory). Shadows
 * createBuffer on the device object for the (synchronous) setup only.
 */
function countAllocations(device: GPUDevice, resources: Resources): () => void {
  const original = device.createBuffer;
  device.createBuffer = (descriptor: GPUBufferDescriptor) => {
    resources.allocatedBytes += descriptor.size;
    return original.call(device, descriptor);
  };
  return () => {
    delete (device as Partial<GPUDevice>).createBuffer;
    if (device.createBuffer !== original) device.createBuffer = original;
  };
}
