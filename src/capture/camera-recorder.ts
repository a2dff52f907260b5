/**
 * Records a webcam clip as frames: a MediaStream (from getUserMedia, or one the app passes) plays
 * in a detached, muted video element; each new camera frame (requestVideoFrameCallback, or a timer
 * where that is missing) is drawn into a canvas at the output size, keeping at most `fps` frames a
 * second. Frames stay in memory on this machine.
 */
import { AbortError, AvatarInputError, CameraAccessError, describeValue } from '../errors.js';
import { FrameCanvas, callbackOption, fitSize, integerOption, numberOption, signalOption, throwIfAborted, waitForEvent } from './frame-canvas.js';
import type { CameraRecorderOptions, CapturedFrame } from './types.js';

const DEFAULT_CONSTRAINTS: MediaTrackConstraints = { width: 640, height: 480, facingMode: 'user' };
/** Longest wait for the first camera frame. */
const START_TIMEOUT_MS = 15_000;

/** A recording in progress. */
export interface CameraRecording {
  /** The stream being recorded (show it in a `<video>` for a preview). */
  readonly stream: MediaStream;
  /** Output frame size in pixels. */
  readonly width: number;
  readonly height: number;
  /** Frames kept so far. */
  readonly frameCount: number;
  /**
   * Resolves with the frames (timestamps in seconds since the first kept frame) when recording
   * stops: `stop()` or `maxFrames` reached; rejects with AbortError when `signal` aborts.
   */
  readonly frames: Promise<CapturedFrame[]>;
  /** Stops recording (and the camera, when the recorder opened it); resolves like `frames`. */
  stop(): Promise<CapturedFrame[]>;
}

/**
 * Opens the camera (or takes `options.stream`) and starts recording frames.
 *
 * @throws CameraAccessError when the camera is unavailable: permission denied, no camera, in use,
 *   or no `getUserMedia` (pages need a secure context); AvatarInputError for bad options;
 *   AbortError when `signal` is already aborted.
 */
export async function startCameraRecording(options: CameraRecorderOptions = {}): Promise<CameraRecording> {
  if (options === null || typeof options !== 'object') {
    throw new AvatarInputError(`options: expected an object, got ${describeValue(options)}`);
  }
  const fps = numberOption(options.fps, 10, 'options.fps', 0.01, 240);
  const maxFrames = integerOption(options.maxFrames, 300, 'options.maxFrames', 1, 100_000);
  const maxSize = integerOption(options.maxSize, 512, 'options.maxSize', 1, 16_384);
  const signal = signalOption(options.signal, 'options.signal');
  const onProgress = callbackOption(options.onProgress, 'options.onProgress');
  if (options.stream !== undefined && !(options.stream instanceof MediaStream)) {
    throw new AvatarInputError(`options.stream: expected a MediaStream, got ${describeValue(options.stream)}`);
  }
  if (options.stream && options.stream.getVideoTracks().length === 0) {
    throw new AvatarInputError('options.stream: expected a MediaStream with a video track, got none');
  }
  throwIfAborted(signal, 'startCameraRecording');

  const ownsStream = !options.stream;
  const stream = options.stream ?? (await openCamera(options.video ?? DEFAULT_CONSTRAINTS));
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = stream;
  const stopTracks = () => {
    if (ownsStream) for (const track of stream.getTracks()) track.stop();
  };
  try {
    const ready = waitForEvent(video, 'loadeddata', {
      signal, what: 'startCameraRecording', timeoutMs: START_TIMEOUT_MS,
      onTimeout: () => new CameraAccessError(`camera: no frame arrived within ${START_TIMEOUT_MS / 1000} s`),
    });
    await video.play();
    await ready;
  } catch (e) {
    video.srcObject = null;
    stopTracks();
    if (e instanceof AbortError || e instanceof CameraAccessError) throw e;
    throw new CameraAccessError(`camera: the stream could not be played (${(e as Error)?.message ?? e})`, { cause: e });
  }
  return new Recording(stream, video, fitSize(video.videoWidth, video.videoHeight, maxSize), { fps, maxFrames, signal, onProgress, stopTracks });
}

/** getUserMedia with its failures turned into CameraAccessError messages a person can act on. */
async function openCamera(constraints: MediaTrackConstraints | boolean): Promise<MediaStream> {
  if (typeof navigator === 'undefined' || !navigator.mediaDevices?.getUserMedia) {
    throw new CameraAccessError('camera: navigator.mediaDevices.getUserMedia is unavailable (the page must be served over https or from localhost)');
  }
  try {
    return await navigator.mediaDevices.getUserMedia({ video: constraints, audio: false });
  } catch (e) {
    const name = (e as DOMException)?.name;
    const detail = (e as Error)?.message ? ` (${(e as Error).message})` : '';
    if (name === 'NotAllowedError' || name === 'SecurityError') {
      throw new CameraAccessError(`camera: permission denied${detail} — allow camera access for this page, or use a video file instead`, { cause: e });
    }
    if (name === 'NotFoundError' || name === 'OverconstrainedError') {
      throw new CameraAccessError(`camera: no camera matches the request${detail}`, { cause: e });
    }
    if (name === 'NotReadableError' || name === 'AbortError') {
      throw new CameraAccessError(`camera: the camera could not be started; another application may be using it${detail}`, { cause: e });
    }
    throw new CameraAccessError(`camera: getUserMedia failed: ${name ?? 'error'}${detail}`, { cause: e });
  }
}

interface RecordingSettings {
  fps: number;
  maxFrames: number;
  signal: AbortSignal | undefined;
  onProgress: CameraRecorderOptions['onProgress'];
  stopTracks: () => void;
}

type VideoWithFrameCallback = HTMLVideoElement & {
  requestVideoFrameCallback?: (callback: (now: number) => void) => number;
  cancelVideoFrameCallback?: (handle: number) => void;
};

class Recording implements CameraRecording {
  readonly width: number;
  readonly height: number;
  readonly frames: Promise<CapturedFrame[]>;
  private readonly kept: CapturedFrame[] = [];
  private readonly canvas: FrameCanvas;
  private firstTime: number | undefined;
  private nextDue = 0;
  private stopped = false;
  private handle: number | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private settle!: (error?: Error) => void;
  private readonly onAbort = () => this.finish(new AbortError('startCameraRecording: aborted'));

  constructor(readonly stream: MediaStream, private readonly video: VideoWithFrameCallback, size: { width: number; height: number }, private readonly settings: RecordingSettings) {
    this.width = size.width;
    this.height = size.height;
    this.canvas = new FrameCanvas(size.width, size.height);
    this.frames = new Promise<CapturedFrame[]>((resolve, reject) => {
      this.settle = (error) => (error ? reject(error) : resolve(this.kept));
    });
    this.frames.catch(() => undefined); // an abort nobody awaits is not an unhandled rejection
    settings.signal?.addEventListener('abort', this.onAbort, { once: true });
    for (const track of stream.getVideoTracks()) track.addEventListener('ended', () => this.finish(), { once: true });
    this.schedule();
  }

  get frameCount(): number {
    return this.kept.length;
  }

  stop(): Promise<CapturedFrame[]> {
    this.finish();
    return this.frames;
  }

  /** Waits for the next camera frame: requestVideoFrameCallback, else a timer at twice `fps`. */
  private schedule(): void {
    if (this.stopped) return;
    if (this.video.requestVideoFrameCallback) {
      this.handle = this.video.requestVideoFrameCallback((now) => {
        this.take(now);
        this.schedule();
      });
    } else if (this.timer === undefined) {
      this.timer = setInterval(() => this.take(performance.now()), 500 / this.settings.fps);
    }
  }

  /** Keeps the current frame when one is due (`now` in ms, the performance clock). */
  private take(now: number): void {
    if (this.stopped || this.video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) return;
    this.firstTime ??= now;
    const t = (now - this.firstTime) / 1000;
    if (t + 1e-3 < this.nextDue) return;
    const interval = 1 / this.settings.fps;
    while (this.nextDue <= t + 1e-3) this.nextDue += interval;
    this.kept.push({ index: this.kept.length, timestamp: t, image: this.canvas.read(this.video) });
    this.settings.onProgress?.({ phase: 'record', done: this.kept.length, total: this.settings.maxFrames });
    if (this.kept.length >= this.settings.maxFrames) this.finish();
  }

  private finish(error?: Error): void {
    if (this.stopped) return;
    this.stopped = true;
    if (this.handle !== undefined) this.video.cancelVideoFrameCallback?.(this.handle);
    if (this.timer !== undefined) clearInterval(this.timer);
    this.settings.signal?.removeEventListener('abort', this.onAbort);
    this.video.pause();
    this.video.srcObject = null;
    this.settings.stopTracks();
    this.settle(error);
  }
}
