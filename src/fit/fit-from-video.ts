/**
 * `fitFromVideo`: the whole fit mode in one call — a video (file, element or live camera stream)
 * of a person in, an animatable Gaussian avatar out. Phases, each reported through `onProgress`:
 * capture (frames) → keypoints (MediaPipe Pose: keypoints + person masks; frames without a person
 * are dropped) → body-fit (SMPL fit to the keypoints, with the camera) → stage1 / stage2 (training
 * on the frames, fitted poses refined) → held-out (with options.holdOutEvery: the frames kept out
 * of training posed to match their pictures, the avatar fixed). Between body fit and training, the
 * frames projected onto the fitted body give a preview avatar at once (phase 'preview',
 * instant-appearance.ts), the report of which sides of the body were never seen, and the colours
 * training starts from.
 */
import type { Avatar } from '../avatar/types.js';
import { SRGB8_TO_LINEAR } from '../color/srgb.js';
import { renderAvatarImage } from '../render/render-avatar-image.js';
import { createDefaultBody } from '../body/default-body.js';
import type { BodyModel } from '../body/types.js';
import type { PoseDetector } from '../capture/mediapipe-pose.js';
import type { CapturedFrame, PoseDetectorOptions, PoseFrame } from '../capture/types.js';
import { AbortError, AvatarInputError, NoPersonFoundError, describeValue } from '../errors.js';
import { resolveTrainOptions, trainAvatarDetailed, type TrainAvatarOptions } from '../train/train-avatar.js';
import { colorInitProblem } from '../train/init-from-colors.js';
import { integerOption } from '../train/option-checks.js';
import type { AppearanceCoverage } from './appearance-coverage.js';
import { instantAppearanceOfDataset } from './instant-appearance.js';
import { datasetFromFit, type FitDataset } from './dataset-from-fit.js';
import { heldOutPoses, type HeldOutPose } from './held-out-poses.js';
import { motionFromFit } from './fit-motion.js';
import type { Motion } from '../motion/types.js';
import { fitBodyToKeypoints } from './fit-body.js';
import { assessFitFramesOnDefaultBody, type FrameQuality } from './frame-quality.js';
import type { BodyFit, FitCamera } from './types.js';
import { cropCamera, cropImage, cropPoseFrame, personBox, personCrop, type PersonCrop } from './person-crop.js';
import { refinePersonMask } from './refine-person-mask.js';
import { captureAndDetect, isMediaStream, isVideoSource } from './capture-and-detect.js';
import { inPhase, throwIfAborted } from './fit-phases.js';
import { resolveFitSettings, type FitPreset, type FitSettings } from './fit-settings.js';
import { TrainingClock } from './training-clock.js';
import { requestGpuDevice } from '../gpu/device.js';

export type FitPhase = 'capture' | 'keypoints' | 'body-fit' | 'preview' | 'stage1' | 'stage2' | 'held-out';

export interface FitFromVideoProgress {
  phase: FitPhase;
  /** 0…1 within the phase. */
  fraction: number;
  /** body-fit: the objective; stage1 / stage2: the image loss of the iteration's frame; held-out: the last fitted frame's loss. */
  loss?: number;
  /**
   * stage1 / stage2, every `previewEvery` iterations: the rendered frame, H×W×3 linear RGB; phase
   * 'preview' (when onProgress is given): the preview avatar in the first training frame's camera.
   */
  preview?: { width: number; height: number; rgb: Float32Array };
  /**
   * phase 'preview' (fraction 1, once, before training): the frames' colours on the fitted body, no
   * network — it plays as it is. Its `body` is the trained avatar's (FitResult.avatar.body, the
   * same object): the caller's once fitFromVideo resolves, freed when it rejects.
   */
  avatar?: Avatar;
  /** phase 'preview': which sides of the body the frames showed (FitResult.coverage). */
  coverage?: AppearanceCoverage;
  /** phase 'capture', fraction 0 (the first progress): the sizes the fit runs with (FitResult.settings). */
  settings?: FitSettings;
  /** stage1 / stage2: about how many seconds training has left, from its pace so far (held-out pose fitting not included). */
  secondsLeft?: number;
}

export interface FitFromVideoOptions {
  /**
   * Where the sizes not given below (frameCount, maxSize, resolution, stage1Iterations,
   * stage2Iterations) come from (fit-settings.ts, FIT_PRESETS): 'full' (30 frames at 512 px,
   * R = 128, 3000 + 1000 iterations: minutes on a GPU), 'light' (24 frames at 256 px, R = 64,
   * 600 + 150: about 10 min on 2 CPU cores with SwiftShader, where 'full' takes hours) or 'auto'
   * (default): 'light' on a CPU implementation of WebGPU, else 'full'. FitResult.settings says what ran.
   */
  preset?: FitPreset | 'auto';
  /** Frames sampled from a video file / element, evenly over its duration. Default: the preset's (30 full, 24 light). */
  frameCount?: number;
  /**
   * Longest side of the training frames in pixels. Default: the preset's (512 full, 256 light). With `cropToPerson` (default) the
   * frames are captured and detected at up to 4× this (at most 1280 px, never above the video's
   * size) and the crop around the person is scaled to it; otherwise the whole frame is.
   */
  maxSize?: number;
  /**
   * Crop every frame to one box around the person over the whole clip (person-crop.ts), so the
   * training pixels land on the person rather than the room. Default true.
   */
  cropToPerson?: boolean;
  /** Camera streams: seconds recorded, from the camera's first frame. Default 10. */
  durationSeconds?: number;
  /** Fewest frames with a person needed to go on (≥ 1). Default 3. */
  minFrames?: number;
  /** UV positional map resolution R of the avatar (see trainAvatar). Default: the preset's (128 full, 64 light). */
  resolution?: number;
  /** Training iterations of stage 1 / stage 2 (see trainAvatar). Defaults: the preset's (3000 / 1000 full, 600 / 150 light). */
  stage1Iterations?: number;
  stage2Iterations?: number;
  /** L-BFGS iterations of the body fit (see fitBodyToKeypoints). Default 1000. */
  fitIterations?: number;
  /**
   * End the body fit by moving the body's outline onto the person masks (fitBodyToKeypoints'
   * `masks`: shape, poses and translations; silhouette-fit.ts). Default true.
   */
  silhouetteFit?: boolean;
  /**
   * Hold out every n-th frame with a person (the n-th, 2n-th, …) from training, for evaluation:
   * it is body-fitted with the others but never trained on (FitResult.heldOut). 0 (default) = none.
   */
  holdOutEvery?: number;
  /**
   * Fit each held-out frame's pose to its picture with the trained avatar fixed (phase 'held-out',
   * FitResult.heldOutPoses; held-out-poses.ts), as training refines the poses of the frames it
   * sees: scoring the held-out frames then measures the appearance rather than the keypoint fit's
   * error. About 20 s a frame on a laptop CPU's WebGPU (SwiftShader). Default true.
   */
  fitHeldOutPoses?: boolean;
  /**
   * Refine the fitted poses while training. Default true, gently: a frame's pose may move about
   * 0.1 rad over training (trainAvatar's `refineReach`; set `training.refineReach` to change it).
   */
  refinePoses?: boolean;
  /**
   * Snap the detector's person masks to the frames' edges before training, and take the wall's
   * colour out of the person's edge pixels (refine-person-mask.ts; `personMasks`). Default true.
   */
  refineMasks?: boolean;
  /**
   * Project the frames onto the fitted body before training: a 'preview' progress with a playable
   * avatar, FitResult.coverage, and training starting from those colours (trainAvatar's
   * initialColors, when the network is wide enough). Default true.
   */
  instantAppearance?: boolean;
  /**
   * Any other trainAvatar option (background, learningRates, regularisation, hidden…), passed
   * through to training; the options above, `signal`, `device` and progress win over these.
   */
  training?: Omit<TrainAvatarOptions, 'signal' | 'onProgress' | 'device'>;
  /** Attach a rendered preview to training progress every this many iterations; 0 (default) never. */
  previewEvery?: number;
  /**
   * Options of the MediaPipe Pose detector (baseUrl, modelComplexity…), when no `detector` is given.
   * `independentFrames` defaults to true here: sampled frames are far apart in time, where tracking
   * from the previous frame misleads more than it helps.
   */
  poseDetector?: PoseDetectorOptions;
  /** A pose detector to use (it stays open); by default one is created and closed by the call. */
  detector?: PoseDetector;
  /** The WebGPU device to fit on (its adapter picks the 'auto' preset); default one from requestGpuDevice(), destroyed when the call ends. */
  device?: GPUDevice;
  /** Cancels at any phase: the call rejects with AbortError; everything it opened is closed / freed. */
  signal?: AbortSignal;
  onProgress?: (progress: FitFromVideoProgress) => void;
}

/**
 * How far (radians) training's pose refinement may move a frame's fitted pose (trainAvatar's
 * refineReach; its default, 0.5, is for poses of unknown quality). The body fit's poses are within
 * about this of the person's, and a wider reach lets the image loss pull limbs towards what the
 * body cannot explain (swinging hair, flared trousers): on bench:real, reach 0.5 left held-out
 * frames worse than no refinement at all (19.88 vs 20.12 dB inside the person, IoU 0.860 vs 0.871);
 * about 0.1 matched no refinement there and fitted the training frames best (23.2 dB, IoU 0.915).
 * On bench:fit's synthetic clip, whose body fit is far worse (106 mm pelvis-aligned joint error),
 * 0.5 did a little better (joints 99.7 vs 103.4 mm after refinement, novel poses 22.79 vs 22.67 dB).
 */
const FIT_REFINE_REACH = 0.1;

/**
 * Room for what hangs off the body (trainAvatar's maxOffset, default 4 cm; and its offsets
 * regulariser, default 10, sized for that bound): real people wear flared trousers, loose tops and
 * hair that stand 5–10 cm off the body model's surface. On bench:real, 10 cm with weight 1 lifted
 * the held-out frames from 27.70 to 27.97 dB on the masked frame and IoU 0.868 → 0.874 (inside the
 * person 20.04 → 20.07 dB); 10 cm with the default weight changed nothing (the regulariser held the
 * offsets back), and 15 cm gained nothing more (27.90 dB, IoU 0.872). Counter-evidence: on
 * bench:fit's synthetic clip (tight clothes, a far worse body fit: 106 mm joint error) novel poses
 * fell from 22.64 to 22.14 dB — the room lets Gaussians drift off the body to explain fit errors.
 * Real footage decided; a clip of tight clothes may do better with `training.maxOffset` 0.04.
 */
const FIT_MAX_OFFSET = 0.1;
const FIT_OFFSETS_WEIGHT = 1;

/** The avatar and what led to it. Arrays are per usable frame (frames with a person), in order. */
export interface FitResult {
  /** The trained avatar. Its `body` (the default body) is the caller's: `dispose()` it when done. */
  avatar: Avatar;
  /** The sizes the fit ran with: the options given, the rest from the preset (options.preset). */
  settings: FitSettings;
  /** The frames with a person, as trained on: cropped to the person (`crop`) and scaled to `maxSize`. */
  frames: CapturedFrame[];
  /** Their detections in those frames' pixels: keypoints 33×3 pixels + visibility, world landmarks, the detector's masks. */
  keypoints: PoseFrame[];
  /**
   * The person mask of each frame as training and the preview used it (0 = background … 255 =
   * person, the frame's size): the detector's, refined against the frame (options.refineMasks);
   * undefined for a frame without a mask.
   */
  personMasks: (Uint8Array | undefined)[];
  /**
   * Where `frames` come from in the captured frames (`sourceWidth` × `sourceHeight`, the body fit's
   * pixels): a point u there is (u − box.x)·scale in `frames`.
   */
  crop: PersonCrop & { sourceWidth: number; sourceHeight: number };
  /** Indices (into the captured sequence) of frames with no person. */
  droppedFrames: number[];
  /** The body fit (betas, poses F×72, trans F×3, camera) before training, in the captured frames' pixels (see `crop`). */
  bodyFit: BodyFit;
  /**
   * Poses after training's refinement, one Float32Array(72) per training frame (frames with a
   * usable mask; all frames when none has one), and their translations (3 numbers, metres).
   */
  poses: Float32Array[];
  trans: Float32Array[];
  /**
   * The refined poses as a motion any avatar can play (`saveMotion` writes it): y up, on the floor,
   * resampled evenly from the frames' timestamps (src/fit/fit-motion.ts). Held-out frames that pass
   * the quality checks join in at their `heldOutPoses`.
   */
  motion: Motion;
  /** The camera of every frame of `frames`: K 3×3 and view 4×4, column-major (view = identity); the body fit's camera moved into the crop. */
  camera: FitCamera;
  /** The dataset trainAvatar was given; `dataset.sourceFrames[k]` is the index into `frames` of its frame k (and of poses[k]). */
  dataset: FitDataset;
  /**
   * Per frame with a person (as `keypoints`): the body fit's reprojection error (pixels of the
   * captured frames), its orientation against the neighbouring frames, the 3D landmarks' against
   * theirs and against the 2D keypoints, how much of the head the mask holds, the mask–body IoU,
   * and whether it was trained on (`used`; `reason` when not). Frames failing a check are left out
   * of training (src/fit/frame-quality.ts).
   */
  frameQuality: FrameQuality[];
  /** Indices into `frames` / `keypoints` (and the body fit's frames) of the frames held out from training (options.holdOutEvery). */
  heldOut: number[];
  /**
   * Per held-out frame (as `heldOut`), the pose to score it at: fitted to the frame with the avatar
   * fixed (options.fitHeldOutPoses), with the image loss before and after; the body fit's for a
   * frame without a mask or with fitting off.
   */
  heldOutPoses: HeldOutPose[];
  /** Which sides of the body the training frames showed, with advice for the ones never seen (absent with instantAppearance: false). */
  coverage?: AppearanceCoverage;
}

/** The avatar at dataset frame 0's pose in its camera, as linear RGB (like training's previews); null when it cannot be drawn. */
async function previewPicture(avatar: Avatar, dataset: FitDataset, device: GPUDevice): Promise<{ width: number; height: number; rgb: Float32Array } | null> {
  const frame = dataset.frames[0]!;
  const camera = dataset.camera!;
  try {
    const image = await renderAvatarImage(avatar, { pose: frame.pose, trans: frame.trans, camera, background: [0, 0, 0], device });
    const rgb = new Float32Array(3 * camera.width * camera.height);
    for (let p = 0; p < camera.width * camera.height; p++) for (let c = 0; c < 3; c++) rgb[3 * p + c] = SRGB8_TO_LINEAR[image.data[4 * p + c]!]!;
    return { width: camera.width, height: camera.height, rgb };
  } catch (e) {
    // Only a picture: a GPU problem shows up (typed) when training starts.
    if (e instanceof AbortError) throw e;
    return null;
  }
}

/**
 * Fits an animatable Gaussian avatar to a video of one person (whole body in view, turning
 * slowly, arms a little away from the body). `source`: a video file (Blob), a `<video>` element
 * (sampled by seeking; left as found) or a live MediaStream (recorded for `durationSeconds`; its
 * tracks are the caller's and keep running).
 *
 * @throws AvatarInputError for bad source/options; NoPersonFoundError when fewer than `minFrames`
 *   frames show a person (the message says how many did); CameraAccessError when a stream cannot
 *   be played; WebGPUUnavailableError / GpuDeviceError from training; AbortError when `signal`
 *   aborts (in any phase — the detector it opened is closed, training's GPU buffers destroyed and
 *   its body disposed; the stream's tracks are the caller's).
 */
export async function fitFromVideo(source: MediaStream | HTMLVideoElement | Blob, options: FitFromVideoOptions = {}): Promise<FitResult> {
  // Bodies lent out while the call runs (the preview avatar's): the caller's when it resolves, freed when it rejects.
  const lent: BodyModel[] = [];
  const owned: { device?: GPUDevice } = {};
  try {
    const result = await fit(source, options, lent, owned);
    lent.length = 0;
    return result;
  } finally {
    for (const body of lent) body.dispose();
    // The result holds no GPU object: a device made for the call goes with it.
    owned.device?.destroy();
  }
}

async function fit(source: MediaStream | HTMLVideoElement | Blob, options: FitFromVideoOptions, lent: BodyModel[], owned: { device?: GPUDevice }): Promise<FitResult> {
  if (options === null || typeof options !== 'object') throw new AvatarInputError(`options: expected an object, got ${describeValue(options)}`);
  if (!isMediaStream(source) && !isVideoSource(source)) {
    throw new AvatarInputError(`source: expected a MediaStream, HTMLVideoElement or Blob (video file), got ${describeValue(source)}`);
  }
  if (options.signal !== undefined && !(options.signal instanceof AbortSignal)) throw new AvatarInputError(`options.signal: expected an AbortSignal, got ${describeValue(options.signal)}`);
  if (options.onProgress !== undefined && typeof options.onProgress !== 'function') throw new AvatarInputError(`options.onProgress: expected a function, got ${describeValue(options.onProgress)}`);
  // One device for every phase; its adapter picks the fit's size.
  const device = options.device ?? (owned.device = await requestGpuDevice({ label: 'gaussian-avatar fit' }));
  const settings = resolveFitSettings(options, device);
  const { frameCount, maxSize } = settings;
  if (options.cropToPerson !== undefined && typeof options.cropToPerson !== 'boolean') throw new AvatarInputError(`options.cropToPerson: expected a boolean, got ${describeValue(options.cropToPerson)}`);
  const cropToPerson = options.cropToPerson ?? true;
  // Detection and the body fit see the person at up to 4× the training size (cropped to it later).
  const captureSize = cropToPerson ? Math.max(maxSize, Math.min(4 * maxSize, 1280)) : maxSize;
  const minFrames = integerOption('minFrames', options.minFrames, 3, 1, 10_000);
  const holdOutEvery = integerOption('holdOutEvery', options.holdOutEvery, 0, 0, 10_000);
  if (holdOutEvery === 1) throw new AvatarInputError('options.holdOutEvery: expected 0 (none) or ≥ 2 (1 would hold out every frame), got number 1');
  // Checked up front (trainAvatar checks each option again): a typo must not cost a capture and a body fit.
  if (options.training !== undefined && (options.training === null || typeof options.training !== 'object')) {
    throw new AvatarInputError(`options.training: expected an object of trainAvatar options, got ${describeValue(options.training)}`);
  }
  const trainSettings = resolveTrainOptions({
    ...options.training, resolution: settings.resolution, stage1Iterations: settings.stage1Iterations, stage2Iterations: settings.stage2Iterations,
  });
  if (options.silhouetteFit !== undefined && typeof options.silhouetteFit !== 'boolean') throw new AvatarInputError(`options.silhouetteFit: expected a boolean, got ${describeValue(options.silhouetteFit)}`);
  if (options.refineMasks !== undefined && typeof options.refineMasks !== 'boolean') throw new AvatarInputError(`options.refineMasks: expected a boolean, got ${describeValue(options.refineMasks)}`);
  if (options.instantAppearance !== undefined && typeof options.instantAppearance !== 'boolean') throw new AvatarInputError(`options.instantAppearance: expected a boolean, got ${describeValue(options.instantAppearance)}`);
  if (options.fitHeldOutPoses !== undefined && typeof options.fitHeldOutPoses !== 'boolean') throw new AvatarInputError(`options.fitHeldOutPoses: expected a boolean, got ${describeValue(options.fitHeldOutPoses)}`);
  const { signal, onProgress } = options;
  throwIfAborted(signal, 'capture');

  // Phases 1–2: frames, and keypoints and masks (overlapped: capture-and-detect.ts).
  onProgress?.({ phase: 'capture', fraction: 0, settings });
  const { captured, detections } = await captureAndDetect(source, options, frameCount, captureSize);
  const usable = detections.frames;
  if (usable.length < minFrames) {
    throw new NoPersonFoundError(
      `frames: a person was found in ${usable.length} of ${captured.length} frame(s), at least ${minFrames} needed; stand back so the whole body is in view, in good light`,
    );
  }
  const byIndex = new Map(captured.map((f) => [f.index, f]));
  const usableFrames = usable.map((p) => byIndex.get(p.frameIndex)!);
  throwIfAborted(signal, 'keypoints');

  // Phase 3: body fit (on the default body, as training: the avatar refers to the default body, not a copy).
  onProgress?.({ phase: 'body-fit', fraction: 0 });
  const { width, height } = usable[0]!;
  const bodyFit = await inPhase('body-fit', signal, () => fitBodyToKeypoints(
    { width, height, frames: usable.map((p) => ({ landmarks: p.keypoints, worldLandmarks: p.worldLandmarks })) },
    {
      signal, ...(options.fitIterations !== undefined ? { iterations: options.fitIterations } : {}),
      ...(options.silhouetteFit !== false && usable.some((p) => p.mask) ? { masks: usable.map((p) => p.mask) } : {}),
      onProgress: (p) => onProgress?.({ phase: 'body-fit', fraction: p.fraction, loss: p.loss }),
    },
  ));
  // What the reprojection error cannot show (a twisted frame, a mask without the head): those frames are not trained on.
  const frameQuality = await inPhase('body-fit', signal, () => assessFitFramesOnDefaultBody(usable, bodyFit, { minUsed: minFrames }));
  throwIfAborted(signal, 'body-fit');

  // Frame the person: from here on, frames, detections and camera are those of the crop
  // (the whole frame scaled to maxSize when cropToPerson is off or nothing bounds the person).
  const framing = personCrop((cropToPerson ? personBox(usable) : null) ?? { x: 0, y: 0, width, height }, maxSize);
  const frames = usableFrames.map((f) => ({ ...f, image: cropImage(f.image, framing) }));
  const detected = usable.map((p) => cropPoseFrame(p, framing));
  const camera = cropCamera(bodyFit.camera, framing);
  // The detector's masks, snapped to the frames' edges; the edge pixels' colours without the wall.
  const mattes = detected.map((p, i) => (p.mask && options.refineMasks !== false ? refinePersonMask(frames[i]!.image, p.mask) : null));
  const personMasks = detected.map((p, i) => mattes[i]?.mask ?? p.mask);

  // Phases 4–5: training.
  const heldOut = holdOutEvery > 0 ? usable.map((_, i) => i).filter((i) => (i + 1) % holdOutEvery === 0) : [];
  // The frames as training takes them: without the wall's colour at the edges, with the refined masks.
  const inputs = detected.map((p, i) => ({ image: mattes[i]?.foreground ?? frames[i]!.image, timestamp: p.timestamp, ...(personMasks[i] ? { mask: personMasks[i] } : {}) }));
  const dataset = datasetFromFit(inputs, { ...bodyFit, camera }, undefined, (i) => !heldOut.includes(i) && frameQuality[i]!.used);
  // Instant appearance: a preview before any training, the coverage report, where training starts.
  if (options.instantAppearance !== false) onProgress?.({ phase: 'preview', fraction: 0 });
  const instant = options.instantAppearance === false ? null : await inPhase('preview', signal, async () => {
    const body = await createDefaultBody();
    lent.push(body);
    return instantAppearanceOfDataset(body, dataset, trainSettings.resolution);
  });
  if (instant && onProgress) {
    // A picture of the preview as the first training frame's camera sees it (what the panel shows until training's own previews).
    const picture = await inPhase('preview', signal, () => previewPicture(instant.avatar, dataset, device));
    onProgress({ phase: 'preview', fraction: 1, avatar: instant.avatar, coverage: instant.coverage, ...(picture ? { preview: picture } : {}) });
  }
  throwIfAborted(signal, 'preview');
  const startFromColors = instant !== null && colorInitProblem({ ...trainSettings, activation: 'relu' }) === null;
  onProgress?.({ phase: 'stage1', fraction: 0 });
  const clock = new TrainingClock(settings.stage1Iterations, trainSettings.poseConditioning === 'none' ? 0 : settings.stage2Iterations);
  // Training on the preview's body, so the two avatars share it (and it is the default body: stored by reference).
  const result = await trainAvatarDetailed(instant ? { ...dataset, body: instant.avatar.body } : dataset, {
    ...(startFromColors ? { initialColors: instant.colors } : {}),
    // The sides the clip never showed keep taking after the trained side they mirror.
    ...(instant ? { mirrorTwins: instant.mirrorTwins } : {}),
    ...options.training,
    resolution: settings.resolution,
    stage1Iterations: settings.stage1Iterations,
    stage2Iterations: settings.stage2Iterations,
    ...(options.previewEvery !== undefined ? { previewEvery: options.previewEvery } : {}),
    device,
    refinePoses: options.refinePoses ?? options.training?.refinePoses ?? true,
    refineReach: options.training?.refineReach ?? FIT_REFINE_REACH,
    maxOffset: options.training?.maxOffset ?? FIT_MAX_OFFSET,
    regularisation: { offsets: FIT_OFFSETS_WEIGHT, ...options.training?.regularisation },
    signal,
    onProgress: (p) => {
      const secondsLeft = clock.secondsLeft(p.stage, p.iteration);
      onProgress?.({
        phase: p.stage === 1 ? 'stage1' : 'stage2',
        fraction: p.iterations > 0 ? p.iteration / p.iterations : 1,
        loss: p.loss,
        ...(secondsLeft !== undefined ? { secondsLeft } : {}),
        ...(p.preview ? { preview: p.preview } : {}),
      });
    },
  });
  if (instant) result.avatar.bodySource = 'default';
  // trainAvatar resolves with a partly trained avatar on abort; fitFromVideo rejects instead (and frees its body).
  if (result.cancelled || signal?.aborted) {
    result.avatar.body.dispose();
    throw new AbortError(`fitFromVideo: aborted during stage${result.iterations[1] > 0 ? 2 : 1}`);
  }
  let posedHeldOut: HeldOutPose[] = [];
  if (heldOut.length > 0) {
    const fitPoses = options.fitHeldOutPoses !== false;
    if (fitPoses) onProgress?.({ phase: 'held-out', fraction: 0 });
    try {
      posedHeldOut = await inPhase('held-out', signal, () => heldOutPoses(result.avatar, inputs, { ...bodyFit, camera }, heldOut, {
        fit: fitPoses, device, ...(signal ? { signal } : {}),
        onProgress: (fraction, loss) => onProgress?.({ phase: 'held-out', fraction, loss }),
      }));
      throwIfAborted(signal, 'held-out');
    } catch (e) {
      // The preview's body (lent) is freed by fitFromVideo; training's own is freed here.
      if (!lent.includes(result.avatar.body)) result.avatar.body.dispose();
      throw e;
    }
  }
  // The motion: the training frames' refined poses and the held-out frames' (those passing the quality checks), in time order.
  const motionFrames = [
    ...dataset.sourceFrames.map((i, k) => ({ i, pose: result.poses[k]!, trans: result.trans[k]!, time: dataset.frames[k]!.time })),
    ...heldOut.map((i, k) => ({ i, pose: posedHeldOut[k]!.pose, trans: posedHeldOut[k]!.trans, time: detected[i]!.timestamp })).filter(({ i }) => frameQuality[i]!.used),
  ].sort((a, b) => a.i - b.i);
  return {
    avatar: result.avatar, settings, frames, keypoints: detected, personMasks, droppedFrames: detections.droppedFrames,
    crop: { ...framing, sourceWidth: width, sourceHeight: height },
    bodyFit, poses: result.poses, trans: result.trans, camera, dataset, heldOut, heldOutPoses: posedHeldOut, frameQuality, ...(instant ? { coverage: instant.coverage } : {}),
    motion: motionFromFit(result.avatar.body, result.avatar.betas, motionFrames.map((f) => f.pose), motionFrames.map((f) => f.trans), motionFrames.map((f) => f.time)),
  };
}
