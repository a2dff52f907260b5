/**
 * Per-frame 2D keypoints, 3D world landmarks and a person mask from MediaPipe Pose
 * (`@mediapipe/pose`), run on this machine. The package's script, WASM and model files are served
 * with the SDK (the build copies them into `dist/mediapipe/`, scripts/copy-mediapipe.mjs) and are
 * loaded only from `baseUrl`; frames never leave the page. Runs on the main thread (MediaPipe needs
 * a DOM and WebGL for its image transforms); the networks run on the CPU (WASM) by default.
 */
import type { NormalizedLandmarkList, Options as MediaPipeOptions, Pose as MediaPipePose, Results } from '@mediapipe/pose';
import { AvatarInputError, NoPersonFoundError, describeValue } from '../errors.js';
import { callbackOption, integerOption, numberOption, signalOption, throwIfAborted } from './frame-canvas.js';
import { POSE_LANDMARK_COUNT } from './types.js';
import type { CapturedFrame, DetectPosesOptions, PoseDetections, PoseDetectorOptions, PoseFrame } from './types.js';

/** The script of `@mediapipe/pose` that defines `Pose` (it loads the WASM and models itself, through `locateFile`). */
const POSE_SCRIPT = 'pose.js';

/** Side (px) of the blank image that makes MediaPipe forget a tracked person. */
const BLANK_SIZE = 16;

/** An image MediaPipe can read. */
export type PoseInputImage = ImageData | HTMLCanvasElement | HTMLImageElement | HTMLVideoElement | ImageBitmap;

/** A loaded MediaPipe Pose graph, reusable over many frames; `close()` frees it. */
export interface PoseDetector {
  /**
   * Detects the person in one image; null when there is none. `frameIndex`/`timestamp` are
   * copied into the result.
   */
  detect(image: PoseInputImage, frame?: { frameIndex?: number; timestamp?: number }): Promise<PoseFrame | null>;
  /** Forgets the tracked person: the next frame is searched from scratch. */
  reset(): void;
  close(): Promise<void>;
}

/** The default `baseUrl`: `mediapipe/` next to this module in the built SDK. */
export function defaultMediaPipeBaseUrl(): string {
  return new URL('./mediapipe/', import.meta.url).href;
}

/**
 * Loads MediaPipe Pose from `options.baseUrl` and initialises it (downloads and compiles its WASM
 * and models from there, once per detector).
 */
export async function createPoseDetector(options: PoseDetectorOptions = {}): Promise<PoseDetector> {
  if (options === null || typeof options !== 'object') {
    throw new AvatarInputError(`options: expected an object, got ${describeValue(options)}`);
  }
  const baseUrl = resolveBaseUrl(options.baseUrl);
  const mpOptions: MediaPipeOptions & { useCpuInference?: boolean } = {
    modelComplexity: integerOption(options.modelComplexity, 1, 'options.modelComplexity', 0, 1) as 0 | 1,
    enableSegmentation: booleanOption(options.enableSegmentation, true, 'options.enableSegmentation'),
    minDetectionConfidence: numberOption(options.minDetectionConfidence, 0.5, 'options.minDetectionConfidence', 0, 1),
    minTrackingConfidence: numberOption(options.minTrackingConfidence, 0.5, 'options.minTrackingConfidence', 0, 1),
    useCpuInference: booleanOption(options.useCpuInference, true, 'options.useCpuInference'),
    smoothLandmarks: false, // the body fit smooths over time itself; raw per-frame landmarks
    smoothSegmentation: false,
    selfieMode: false,
  };
  const independentFrames = booleanOption(options.independentFrames, false, 'options.independentFrames');
  if (typeof document === 'undefined') {
    throw new AvatarInputError('createPoseDetector: MediaPipe Pose runs on a page\'s main thread (no document here)');
  }
  const PoseClass = await loadPoseClass(baseUrl);
  const pose = new PoseClass({ locateFile: (file: string) => new URL(file, baseUrl).href });
  pose.setOptions(mpOptions);
  try {
    await pose.initialize();
  } catch (e) {
    await pose.close().catch(() => undefined);
    throw new AvatarInputError(
      `options.baseUrl: MediaPipe Pose could not start from ${baseUrl} (${(e as Error)?.message ?? e}); check that @mediapipe/pose's files are served there and that WebGL is available`,
      { cause: e },
    );
  }
  return new MediaPipePoseDetector(pose, mpOptions.enableSegmentation === true, independentFrames);
}

/**
 * Runs pose detection over `frames` (in order, as one video): frames with no person are dropped
 * and listed in `droppedFrames`. `frames` may also be an async iterable of frames still being
 * captured (frame-stream.ts): each is detected as it arrives, and `options.total` (when known)
 * is the progress total. Pass `options.detector` to reuse a detector (its own options apply, and
 * it stays open); otherwise one is created from `options` and closed at the end.
 *
 * @throws NoPersonFoundError when no frame has a person; AvatarInputError for bad frames/options;
 *   AbortError when `signal` aborts (between frames); an iterable's own error.
 */
export async function detectPoses(
  frames: readonly CapturedFrame[] | AsyncIterable<CapturedFrame>,
  options: DetectPosesOptions & { detector?: PoseDetector; total?: number } = {},
): Promise<PoseDetections> {
  if (options === null || typeof options !== 'object') {
    throw new AvatarInputError(`options: expected an object, got ${describeValue(options)}`);
  }
  const streamed = !Array.isArray(frames) && frames !== null && typeof frames === 'object' && Symbol.asyncIterator in frames;
  if (!streamed && (!Array.isArray(frames) || frames.length === 0)) {
    throw new AvatarInputError(`frames: expected a non-empty array (or async iterable) of captured frames, got ${describeValue(frames)}`);
  }
  if (!streamed) (frames as readonly CapturedFrame[]).forEach(checkFrame);
  const signal = signalOption(options.signal, 'options.signal');
  const onProgress = callbackOption(options.onProgress, 'options.onProgress');
  const total = streamed ? options.total : (frames as readonly CapturedFrame[]).length;
  if (total !== undefined) integerOption(total, 1, 'options.total', 1, Number.MAX_SAFE_INTEGER);
  throwIfAborted(signal, 'detectPoses');
  const detector = options.detector ?? (await createPoseDetector(options));
  try {
    detector.reset();
    const found: PoseFrame[] = [];
    const droppedFrames: number[] = [];
    let i = 0;
    for await (const frame of frames) {
      throwIfAborted(signal, 'detectPoses');
      if (streamed) checkFrame(frame, i);
      const result = await detector.detect(frame.image, { frameIndex: frame.index ?? i, timestamp: frame.timestamp ?? 0 });
      if (result) found.push(result);
      else droppedFrames.push(frame.index ?? i);
      i++;
      onProgress?.({ phase: 'pose', done: i, total: Math.max(i, total ?? i) });
    }
    throwIfAborted(signal, 'detectPoses');
    if (i === 0) throw new AvatarInputError('frames: the iterable gave no frames');
    if (found.length === 0) {
      throw new NoPersonFoundError(`frames: no person found in any of the ${i} frame(s); the whole body should be in view`);
    }
    return { frames: found, droppedFrames };
  } finally {
    if (!options.detector) await detector.close();
  }
}

function checkFrame(frame: CapturedFrame, i: number): void {
  if (!frame || typeof frame !== 'object' || !(frame.image instanceof ImageData)) {
    throw new AvatarInputError(`frames[${i}].image: expected ImageData, got ${describeValue(frame?.image)}`);
  }
}

class MediaPipePoseDetector implements PoseDetector {
  private latest: Results | undefined;
  private canvas: HTMLCanvasElement | undefined;
  private maskCanvas: HTMLCanvasElement | undefined;
  private blankCanvas: HTMLCanvasElement | undefined;
  /** Whether MediaPipe is tracking a person from the last frame (it found one there). */
  private tracking = false;
  private closed = false;

  constructor(private readonly pose: MediaPipePose, private readonly segmentation: boolean, private readonly independentFrames: boolean) {
    pose.onResults((results) => {
      this.latest = results;
    });
  }

  async detect(image: PoseInputImage, frame: { frameIndex?: number; timestamp?: number } = {}): Promise<PoseFrame | null> {
    if (this.closed) throw new AvatarInputError('detector: it was closed');
    const { input, width, height } = this.asInput(image);
    if (this.independentFrames) await this.forgetTrackedPerson();
    this.latest = undefined;
    await this.pose.send({ image: input as HTMLCanvasElement });
    const results = this.latest as Results | undefined;
    const landmarks = results?.poseLandmarks;
    this.tracking = landmarks !== undefined && landmarks.length > 0;
    if (!results || !landmarks || landmarks.length < POSE_LANDMARK_COUNT) return null;
    const detected: PoseFrame = {
      frameIndex: frame.frameIndex ?? 0,
      timestamp: frame.timestamp ?? 0,
      width,
      height,
      keypoints: pixelKeypoints(landmarks, width, height),
      worldLandmarks: worldLandmarks(results.poseWorldLandmarks),
    };
    if (this.segmentation && results.segmentationMask) detected.mask = this.readMask(results.segmentationMask, width, height);
    return detected;
  }

  reset(): void {
    this.pose.reset();
    this.tracking = false;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pose.close();
  }

  /**
   * Makes MediaPipe search the next frame from scratch. `pose.reset()` would too, but it rebuilds
   * the graph and its WebGL context, which makes the next frame cost 2–3× a tracked one. Instead a
   * tiny blank image: the landmark model finds nobody in the tracked region, so MediaPipe drops it
   * and runs the person detector on the next frame, as on a fresh detector (same keypoints, world
   * landmarks and mask on real footage). Tiny, because its cost grows with its size, and a size
   * change costs MediaPipe no rebuild.
   */
  private async forgetTrackedPerson(): Promise<void> {
    if (!this.tracking) return;
    if (!this.blankCanvas) {
      this.blankCanvas = document.createElement('canvas');
      this.blankCanvas.width = this.blankCanvas.height = BLANK_SIZE;
      const context = this.blankCanvas.getContext('2d')!;
      context.fillStyle = '#000';
      context.fillRect(0, 0, BLANK_SIZE, BLANK_SIZE);
    }
    this.latest = undefined;
    await this.pose.send({ image: this.blankCanvas });
    // Somebody "found" in a blank image (never seen) would be tracked: reset after all.
    if ((this.latest as Results | undefined)?.poseLandmarks?.length) this.pose.reset();
    this.tracking = false;
  }

  /** ImageData goes through a canvas; other images are passed as they are. */
  private asInput(image: PoseInputImage): { input: Exclude<PoseInputImage, ImageData>; width: number; height: number } {
    if (image instanceof ImageData) {
      this.canvas ??= document.createElement('canvas');
      this.canvas.width = image.width;
      this.canvas.height = image.height;
      this.canvas.getContext('2d')!.putImageData(image, 0, 0);
      return { input: this.canvas, width: image.width, height: image.height };
    }
    if (typeof HTMLVideoElement !== 'undefined' && image instanceof HTMLVideoElement) {
      return { input: image, width: image.videoWidth, height: image.videoHeight };
    }
    if (typeof HTMLImageElement !== 'undefined' && image instanceof HTMLImageElement) {
      return { input: image, width: image.naturalWidth, height: image.naturalHeight };
    }
    if ((typeof HTMLCanvasElement !== 'undefined' && image instanceof HTMLCanvasElement) || (typeof ImageBitmap !== 'undefined' && image instanceof ImageBitmap)) {
      return { input: image, width: image.width, height: image.height };
    }
    throw new AvatarInputError(`image: expected ImageData, a canvas, an image, a video or an ImageBitmap, got ${describeValue(image)}`);
  }

  /** The mask image (confidence in its red channel) at the frame's size, as 0…255 bytes. */
  private readMask(mask: CanvasImageSource, width: number, height: number): Uint8Array {
    this.maskCanvas ??= document.createElement('canvas');
    this.maskCanvas.width = width;
    this.maskCanvas.height = height;
    const context = this.maskCanvas.getContext('2d', { willReadFrequently: true })!;
    context.clearRect(0, 0, width, height);
    context.drawImage(mask, 0, 0, width, height);
    const rgba = context.getImageData(0, 0, width, height).data;
    const out = new Uint8Array(width * height);
    for (let i = 0; i < out.length; i++) out[i] = rgba[i * 4]!;
    return out;
  }
}

/** Normalised landmarks (0…1 of the image) → Float32Array(33×3) of x px, y px, visibility. */
function pixelKeypoints(landmarks: NormalizedLandmarkList, width: number, height: number): Float32Array {
  const out = new Float32Array(POSE_LANDMARK_COUNT * 3);
  for (let k = 0; k < POSE_LANDMARK_COUNT; k++) {
    const p = landmarks[k]!;
    out[k * 3] = p.x * width;
    out[k * 3 + 1] = p.y * height;
    out[k * 3 + 2] = p.visibility ?? 0;
  }
  return out;
}

/** World landmarks → Float32Array(33×4) of x, y, z (m) and visibility; NaN where MediaPipe gave none. */
function worldLandmarks(landmarks: NormalizedLandmarkList | undefined): Float32Array {
  const out = new Float32Array(POSE_LANDMARK_COUNT * 4).fill(Number.NaN);
  if (!landmarks) return out;
  for (let k = 0; k < Math.min(POSE_LANDMARK_COUNT, landmarks.length); k++) {
    const p = landmarks[k]!;
    out.set([p.x, p.y, p.z, p.visibility ?? 0], k * 4);
  }
  return out;
}

function booleanOption(value: unknown, fallback: boolean, field: string): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new AvatarInputError(`${field}: expected a boolean, got ${describeValue(value)}`);
  return value;
}

function resolveBaseUrl(value: unknown): string {
  if (value === undefined) return defaultMediaPipeBaseUrl();
  if (typeof value !== 'string' && !(value instanceof URL)) {
    throw new AvatarInputError(`options.baseUrl: expected a URL string or URL, got ${describeValue(value)}`);
  }
  let url: URL;
  try {
    url = new URL(String(value), typeof location !== 'undefined' ? location.href : undefined);
  } catch {
    throw new AvatarInputError(`options.baseUrl: expected a URL, got "${String(value)}"`);
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url.href;
}

type PoseConstructor = new (config?: { locateFile?: (path: string, prefix?: string) => string }) => MediaPipePose;
const scriptLoads = new Map<string, Promise<PoseConstructor>>();

/** Loads `pose.js` from `baseUrl` with a script tag, once per URL; it defines `Pose` on the window. */
function loadPoseClass(baseUrl: string): Promise<PoseConstructor> {
  const src = new URL(POSE_SCRIPT, baseUrl).href;
  const existing = (globalThis as { Pose?: PoseConstructor }).Pose;
  if (existing) return Promise.resolve(existing);
  let load = scriptLoads.get(src);
  if (!load) {
    load = new Promise<PoseConstructor>((resolve, reject) => {
      const script = document.createElement('script');
      script.src = src;
      script.crossOrigin = 'anonymous';
      script.onload = () => {
        const loaded = (globalThis as { Pose?: PoseConstructor }).Pose;
        if (loaded) resolve(loaded);
        else reject(new AvatarInputError(`options.baseUrl: ${src} loaded but did not define Pose (is it @mediapipe/pose's pose.js?)`));
      };
      script.onerror = () => reject(new AvatarInputError(`options.baseUrl: could not load ${src} (copy @mediapipe/pose's files there; the build puts them in dist/mediapipe/)`));
      document.head.appendChild(script);
    });
    load.catch(() => scriptLoads.delete(src));
    scriptLoads.set(src, load);
  }
  return load;
}
