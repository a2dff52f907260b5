/**
 * `trainAvatar(dataset, options)`: frames of a person with their camera(s), body poses and masks
 * in, a trained animatable Gaussian avatar out (GaussianAvatar, Hu et al. CVPR 2024), on WebGPU.
 * See dataset.ts for the dataset, trainer.ts for the loop and appearance-network.ts for the
 * network the avatar carries.
 */
import type { Avatar } from '../avatar/types.js';
import { createDefaultBody } from '../body/default-body.js';
import { requestGpuDevice } from '../gpu/device.js';
import { AvatarInputError, describeValue } from '../errors.js';
import { prepareDataset, type TrainingDataset } from './dataset.js';
import { checkInitialColors } from './init-from-colors.js';
import { finiteOption, integerOption } from './option-checks.js';
import { checkMirrorTwins } from './mirror-twins-option.js';
import { DEFAULT_REFINE_REACH } from './pose-refinement.js';
import { runTraining, type PoseConditioning, type TrainerSettings, type TrainingProgress, type TrainingResult } from './trainer.js';
import { UNET_DEFAULT_WIDTHS } from './nn/unet-encoder.js';
import type { LossSpace } from './losses/image-loss.js';

export type { TrainingDataset, TrainingCamera, TrainingFrame, TrainingImage } from './dataset.js';
export type { PoseConditioning, TrainingProgress, TrainingResult } from './trainer.js';

export interface TrainLearningRates {
  /** Adam learning rate of the feature tensor. Default 1e-2. */
  features?: number;
  /** Adam learning rate of the MLP decoder. Default 2e-3. */
  network?: number;
  /** Adam learning rate of the U-Net pose encoder (stage 2, poseConditioning 'uv-encoder'). Default 2e-3. */
  encoder?: number;
  /** Adam learning rate of the MLP decoder in stage 2 with the pose encoder (lower, as in the paper). Default network / 5. */
  stage2Network?: number;
  /**
   * Adam learning rate of the refined axis-angles (radians). Default: 0.5 / (refinement steps per
   * frame) within 2e-3…2e-2, so a frame's pose can move ~0.5 rad over training however many frames
   * share the iterations (8.3e-3 for 16 frames and 1200 stage-1 iterations, 960 of them refining).
   */
  pose?: number;
  /** Adam learning rate of the refined translations (metres). Default: the pose rate / 20 (metres for radians). */
  trans?: number;
}

export interface TrainAvatarOptions {
  /** UV positional map resolution R (8…512; one Gaussian per covered texel, N ≈ 0.62·R² on the default body). Default 128. */
  resolution?: number;
  /** Iterations (one frame each) of stage 1: feature tensor + decoder (+ poses). Default 3000. */
  stage1Iterations?: number;
  /** Iterations of stage 2: the pose-conditioned branch, feature tensor frozen. Default 1000. */
  stage2Iterations?: number;
  /**
   * What conditions the appearance on the pose in stage 2: 'uv-encoder' (default; the paper's U-Net
   * over the frame's posed UV positional map, its features added to the feature tensor, the decoder
   * at `learningRates.stage2Network`: the best novel-pose PSNR/SSIM in the pose-conditioning bench),
   * 'global-code' (the frame's 6D joint rotations, one 138-number code appended to every Gaussian's
   * MLP input: cheaper to train and play, slightly worse there) or 'none' (no stage 2).
   */
  poseConditioning?: PoseConditioning;
  /** The U-Net encoder's channels per level, finest first (2^(levels−1) must divide featureResolution). Default UNET_DEFAULT_WIDTHS (nn/unet-encoder.ts). */
  encoderWidths?: number[];
  /** Jointly refine every frame's pose and translation in stage 1. Default true. */
  refinePoses?: boolean;
  /** Fraction of stage 1 trained before pose refinement starts, 0…1. Default 0.2. */
  refineAfter?: number;
  /**
   * About how far (radians) pose refinement may move a frame's pose over training, when
   * `learningRates.pose` is not given: the rate is this spread over the refinement steps each frame
   * gets (pose-refinement.ts, poseLearningRates). Default 0.5, for poses of unknown quality;
   * fitFromVideo passes 0.1, its poses coming from a keypoint and silhouette fit.
   */
  refineReach?: number;
  learningRates?: TrainLearningRates;
  /**
   * Weights of the regularisers: mean ‖δ‖² of the offsets (default 10), mean (σ − σ_texel)₊² of the
   * scales (10), TV of the feature tensor (1e-2), the prior ½λ‖θ − θ₀‖² holding refined poses near
   * the given ones (0.05), and, when the frames have times, the temporal prior ½μ∫‖θ̈‖²dt on the
   * refined joints' axis-angles and translation (θ̈ in rad/s², m/s²; default 4e-5, which at 30
   * frames/s weighs each frame's second difference d = θ₋ − 2θ + θ₊ as ½·1.08‖d‖²; pose-refinement.ts),
   * and, with `mirrorTwins`, the pull of each unseen Gaussian towards its mirror twin in stage 1
   * (0.1): mean over the Gaussians of ‖c − c_twin‖² (linear RGB) + (‖δ − δ̃_twin‖² + (σ − σ_twin)²)/ℓ²,
   * δ̃ the twin's offset mirrored across x = 0, ℓ = 0.1 m (1 cm weighs like 0.1 of colour).
   */
  regularisation?: { offsets?: number; scales?: number; features?: number; poses?: number; poseSmoothness?: number; mirror?: number };
  /**
   * What the masked frames are composited on (and the avatar rendered over) while training:
   * 'random' (default) draws a new colour every iteration, so nothing the mask calls person can
   * stay see-through (upload-targets.ts); or a fixed linear RGB colour. Frames without a mask are
   * taken as already composited: on this colour, or on black with 'random'.
   */
  background?: [number, number, number] | 'random';
  /**
   * Where the image loss compares the render with the frame: 'srgb' (default) after the sRGB curve,
   * as a screen shows them, so errors in dark clothes and shadows count as much as the eye sees
   * them; or 'linear', the light the splats composite in (dark values are near-zero numbers there).
   */
  lossSpace?: LossSpace;
  /** Feature tensor channels C (1…64). Default 16. */
  featureChannels?: number;
  /** Feature tensor resolution (4…512; with the pose encoder a multiple of 2^(levels − 1)). Default min(resolution, 256), with the encoder rounded down to that multiple. */
  featureResolution?: number;
  /** Hidden layer widths of the MLP decoder. Default [64, 64]. */
  hidden?: number[];
  /** Bound of each offset component, metres (loose clothing needs more). Default 0.04. */
  maxOffset?: number;
  /** Cancels training; the promise then resolves with the avatar as trained so far. */
  signal?: AbortSignal;
  /** Called every `progressEvery` iterations (and at the end of each stage). */
  onProgress?: (progress: TrainingProgress) => void;
  /** Default 25. */
  progressEvery?: number;
  /** Attach the rendered frame to the progress every this many iterations; 0 (default) never. */
  previewEvery?: number;
  /** Seed of the initialisation and the frame order. Default 1. */
  seed?: number;
  /** The WebGPU device to train on; default one from requestGpuDevice(). */
  device?: GPUDevice;
  /**
   * N×3 linear RGB, one per Gaussian of the R×R UV map in its order (e.g. fitFromVideo's instant
   * appearance): the network starts out rendering exactly these colours (init-from-colors.ts).
   * Needs featureChannels ≥ 3 and hidden widths ≥ 6. Default: a random start.
   */
  initialColors?: Float32Array;
  /**
   * N, one per Gaussian of the R×R UV map in its order (e.g. fitFromVideo's instant appearance):
   * for a Gaussian no frame saw, the seen Gaussian nearest its mirror image across the body's
   * x = 0 plane, else −1. Training holds each such Gaussian's colour, scale and offset (mirrored)
   * to its twin's (regularisation.mirror), so a side the clip never showed takes after the
   * trained side it mirrors instead of drifting wherever the shared decoder takes it. Default: none.
   */
  mirrorTwins?: Int32Array;
}

/** Options with defaults applied; AvatarInputError names the first bad option. */
export function resolveTrainOptions(options: TrainAvatarOptions): TrainerSettings {
  if (options === null || typeof options !== 'object') throw new AvatarInputError(`options: expected an object, got ${describeValue(options)}`);
  const resolution = integerOption('resolution', options.resolution, 128, 8, 512);
  const lr = options.learningRates ?? {};
  const reg = options.regularisation ?? {};
  if (typeof lr !== 'object' || lr === null) throw new AvatarInputError(`options.learningRates: expected an object, got ${describeValue(lr)}`);
  if (typeof reg !== 'object' || reg === null) throw new AvatarInputError(`options.regularisation: expected an object, got ${describeValue(reg)}`);
  const background = options.background ?? 'random';
  if (background !== 'random' && (!Array.isArray(background) || background.length !== 3 || background.some((v) => typeof v !== 'number' || !(v >= 0 && v <= 1)))) {
    throw new AvatarInputError(`options.background: expected 'random' or 3 numbers in 0…1 (linear RGB), got ${describeValue(background)}`);
  }
  const lossSpace = options.lossSpace ?? 'srgb';
  if (lossSpace !== 'srgb' && lossSpace !== 'linear') throw new AvatarInputError(`options.lossSpace: expected 'srgb' or 'linear', got ${describeValue(lossSpace)}`);
  const hidden = options.hidden ?? [64, 64];
  if (!Array.isArray(hidden) || hidden.some((h) => !Number.isInteger(h) || h < 1 || h > 1024)) {
    throw new AvatarInputError(`options.hidden: expected an array of integer widths in 1…1024, got ${describeValue(hidden)}`);
  }
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) throw new AvatarInputError(`options.signal: expected an AbortSignal, got ${describeValue(options.signal)}`);
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') throw new AvatarInputError(`options.onProgress: expected a function, got ${describeValue(options.onProgress)}`);
  if (options.refinePoses !== undefined && typeof options.refinePoses !== 'boolean') throw new AvatarInputError(`options.refinePoses: expected a boolean, got ${describeValue(options.refinePoses)}`);
  const poseConditioning = options.poseConditioning ?? 'uv-encoder';
  if (poseConditioning !== 'uv-encoder' && poseConditioning !== 'global-code' && poseConditioning !== 'none') {
    throw new AvatarInputError(`options.poseConditioning: expected 'uv-encoder', 'global-code' or 'none', got ${describeValue(poseConditioning)}`);
  }
  const encoderWidths = options.encoderWidths ?? [...UNET_DEFAULT_WIDTHS];
  if (!Array.isArray(encoderWidths) || encoderWidths.length < 1 || encoderWidths.length > 8 || encoderWidths.some((w) => !Number.isInteger(w) || w < 1 || w > 256)) {
    throw new AvatarInputError(`options.encoderWidths: expected 1…8 integer channel counts in 1…256, got ${describeValue(encoderWidths)}`);
  }
  // The encoder halves its map levels − 1 times: by default the feature tensor takes the largest such size ≤ min(R, 256).
  const halving = poseConditioning === 'uv-encoder' ? 2 ** (encoderWidths.length - 1) : 1;
  const featureResolution = integerOption('featureResolution', options.featureResolution, Math.max(halving, halving * Math.floor(Math.min(resolution, 256) / halving)), 4, 512);
  if (featureResolution % halving !== 0) {
    throw new AvatarInputError(`options.featureResolution: expected a multiple of ${2 ** (encoderWidths.length - 1)} (the ${encoderWidths.length}-level pose encoder halves it ${encoderWidths.length - 1} times), got ${featureResolution}`);
  }
  const networkLr = finiteOption('learningRates.network', lr.network, 2e-3, 0);
  return {
    resolution,
    stage1Iterations: integerOption('stage1Iterations', options.stage1Iterations, 3000, 0, 1e7),
    stage2Iterations: integerOption('stage2Iterations', options.stage2Iterations, 1000, 0, 1e7),
    refinePoses: options.refinePoses ?? true,
    refineAfter: finiteOption('refineAfter', options.refineAfter, 0.2, 0, 1),
    refineReach: finiteOption('refineReach', options.refineReach, DEFAULT_REFINE_REACH, 1e-4, Math.PI),
    learningRates: {
      features: finiteOption('learningRates.features', lr.features, 1e-2, 0),
      network: networkLr,
      encoder: finiteOption('learningRates.encoder', lr.encoder, 2e-3, 0),
      stage2Network: finiteOption('learningRates.stage2Network', lr.stage2Network, networkLr / 5, 0),
      pose: lr.pose === undefined ? undefined : finiteOption('learningRates.pose', lr.pose, 0, 0),
      trans: lr.trans === undefined ? undefined : finiteOption('learningRates.trans', lr.trans, 0, 0),
    },
    regularisation: {
      offsets: finiteOption('regularisation.offsets', reg.offsets, 10, 0),
      scales: finiteOption('regularisation.scales', reg.scales, 10, 0),
      features: finiteOption('regularisation.features', reg.features, 1e-2, 0),
      poses: finiteOption('regularisation.poses', reg.poses, 0.05, 0),
      poseSmoothness: finiteOption('regularisation.poseSmoothness', reg.poseSmoothness, 4e-5, 0),
      mirror: finiteOption('regularisation.mirror', reg.mirror, 0.1, 0),
    },
    background: background === 'random' ? 'random' : [background[0], background[1], background[2]],
    lossSpace,
    featureChannels: integerOption('featureChannels', options.featureChannels, 16, 1, 64),
    featureResolution,
    poseConditioning,
    encoderWidths: [...encoderWidths],
    hidden: [...hidden],
    maxOffset: finiteOption('maxOffset', options.maxOffset, 0.04, 1e-4, 1),
    progressEvery: integerOption('progressEvery', options.progressEvery, 25, 1, 1e7),
    previewEvery: integerOption('previewEvery', options.previewEvery, 0, 0, 1e7),
    seed: integerOption('seed', options.seed, 1, 0, 2 ** 31),
    initialColors: options.initialColors === undefined ? undefined : checkInitialColors(options.initialColors, { featureChannels: options.featureChannels ?? 16, hidden, activation: 'relu' }),
    mirrorTwins: options.mirrorTwins === undefined ? undefined : checkMirrorTwins(options.mirrorTwins),
    signal: options.signal,
    onProgress: options.onProgress,
  };
}

/**
 * Trains an avatar and returns it with the result's details (refined poses, iterations, GPU memory).
 * `trainAvatar` is this without the details.
 */
export async function trainAvatarDetailed(dataset: TrainingDataset, options: TrainAvatarOptions = {}): Promise<TrainingResult> {
  const settings = resolveTrainOptions(options);
  if (options.device !== undefined && !(typeof GPUDevice !== 'undefined' && options.device instanceof GPUDevice)) {
    throw new AvatarInputError(`options.device: expected a GPUDevice, got ${describeValue(options.device)}`);
  }
  if (dataset !== null && typeof dataset === 'object' && dataset.body !== undefined) {
    const b = dataset.body;
    if (b === null || typeof b !== 'object' || typeof b.forward !== 'function' || typeof b.backwardTransforms !== 'function') {
      throw new AvatarInputError(`dataset.body: expected a BodyModel (createBodyModel / loadSmplModel), got ${describeValue(b)}`);
    }
    if (!b.uvs || !b.uvFaces) throw new AvatarInputError('dataset.body.uvs: expected a body with a UV layout (Gaussians live on its UV map)');
  }
  const ownBody = !(dataset && typeof dataset === 'object' && dataset.body);
  const body = ownBody ? await createDefaultBody() : dataset.body!;
  try {
    // Every typed input error comes from here, before the GPU is touched.
    const prepared = await prepareDataset(dataset, body.numJoints, body.numBetas);
    const device = options.device ?? (await requestGpuDevice({ label: 'gaussian-avatar training' }));
    return await runTraining(device, body, ownBody ? 'default' : 'embedded', prepared, settings);
  } catch (e) {
    if (ownBody) body.dispose();
    throw e;
  }
}

/**
 * Trains an animatable Gaussian avatar from `dataset` (see TrainingDataset: camera(s), frames with
 * image, optional mask, pose J×3 and trans 3; optional betas and body). Rejects with
 * AvatarInputError for a bad dataset or options (before any GPU work), WebGPUUnavailableError
 * without WebGPU, GpuDeviceError when the GPU fails. Aborting `options.signal` resolves with the
 * avatar as trained so far. The avatar's `network` holds the appearance network
 * (appearance-network.ts documents its tensors); the caller owns `avatar.body` when it was created
 * here (the default body): `dispose()` it when done.
 */
export async function trainAvatar(dataset: TrainingDataset, options: TrainAvatarOptions = {}): Promise<Avatar> {
  return (await trainAvatarDetailed(dataset, options)).avatar;
}
