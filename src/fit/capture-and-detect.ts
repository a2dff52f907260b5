/**
 * fitFromVideo's first two phases, overlapped: the frames of the clip, and the person's keypoints
 * and mask in each. A video's frame k is detected while it seeks to frame k + 1 (the seek waits on
 * the browser's decoder, detection runs MediaPipe's WASM on this thread), through a frame stream
 * (src/capture/frame-stream.ts). A failing detector stops the capture; a failing capture ends
 * detection with its error; an abort names the phase the clip was in.
 */
import { startCameraRecording, type CameraRecording } from '../capture/camera-recorder.js';
import { createFrameStream } from '../capture/frame-stream.js';
import { createPoseDetector, detectPoses, type PoseDetector } from '../capture/mediapipe-pose.js';
import type { CapturedFrame, PoseDetections, PoseFrame } from '../capture/types.js';
import { extractVideoFrames } from '../capture/video-frames.js';
import { AvatarInputError, NoPersonFoundError, describeValue } from '../errors.js';
import type { FitFromVideoOptions } from './fit-from-video.js';
import { inPhase, throwIfAborted } from './fit-phases.js';
import { redetectMissedFrames } from './redetect-in-crop.js';

export function isMediaStream(value: unknown): value is MediaStream {
  return typeof MediaStream !== 'undefined' && value instanceof MediaStream;
}

export function isVideoSource(value: unknown): value is Blob | HTMLVideoElement {
  return (typeof Blob !== 'undefined' && value instanceof Blob) || (typeof HTMLVideoElement !== 'undefined' && value instanceof HTMLVideoElement);
}

/**
 * The clip's `frameCount` frames (at up to `captureSize` px) and the detections in them; frames
 * with nobody are listed in `detections.droppedFrames` (all of them when nobody is found anywhere).
 */
export async function captureAndDetect(
  source: MediaStream | HTMLVideoElement | Blob, options: FitFromVideoOptions, frameCount: number, captureSize: number,
): Promise<{ captured: CapturedFrame[]; detections: PoseDetections }> {
  const { signal, onProgress } = options;
  // A live stream is recorded in real time, and MediaPipe's start-up (seconds of WASM compilation
  // on this thread) would cost the recording frames (17 of 24 on bench:variants); its frames
  // arrive only when the recording ends anyway, so the detector is made ready first. A file's
  // frames are seeked, and detection starts while they are.
  const preparedDetector = isMediaStream(source) && !options.detector ? await prepareDetector(options) : undefined;
  const stream = createFrameStream();
  // Detection failing stops the capture (and the other way round, through the stream).
  // (The caller's abort reaches it too; AbortSignal.any is newer than WebGPU in some browsers.)
  const stopCapture = new AbortController();
  const forwardAbort = () => stopCapture.abort(signal?.reason);
  signal?.addEventListener('abort', forwardAbort, { once: true });
  let captureDone = false;
  // Every captured frame by index, for the second look at the frames where nobody was found.
  const byIndex = new Map<number, CapturedFrame>();
  const capturing = inPhase('capture', signal, () => captureFrames(
    source, { ...options, signal: stopCapture.signal }, frameCount, captureSize, (f) => {
      byIndex.set(f.index, f);
      stream.push(f);
    },
  )).finally(() => signal?.removeEventListener('abort', forwardAbort)).then((frames) => {
    captureDone = true;
    stream.end();
    onProgress?.({ phase: 'keypoints', fraction: 0 });
    return frames;
  }, (e: unknown) => {
    stream.fail(e);
    throw e;
  });
  const detecting = inPhase('keypoints', signal, async () => {
    const detector = options.detector ?? preparedDetector ?? (await createPoseDetector(detectorOptions(options)));
    try {
      throwIfAborted(signal, 'keypoints');
      const found = await detectPoses(stream, {
        detector, signal, total: frameCount,
        onProgress: (p) => captureDone && onProgress?.({ phase: 'keypoints', fraction: p.done / p.total }),
      }).catch((e: unknown) => {
        // No person anywhere is the same failure as too few: reported below with the counts.
        if (e instanceof NoPersonFoundError) return null;
        throw e;
      });
      return found && (await redetectMissedFrames(byIndex, found, detector, () => throwIfAborted(signal, 'keypoints')));
    } finally {
      if (!options.detector) await detector.close();
    }
  }).catch((e: unknown) => {
    stopCapture.abort();
    throw e;
  });
  const [captureOutcome, detectOutcome] = await settledInOrder(capturing, detecting).catch((e: unknown) => {
    // Aborted: name the phase the clip was in (the detector may notice the abort first).
    throwIfAborted(signal, captureDone ? 'keypoints' : 'capture');
    throw e;
  });
  const captured = captureOutcome.value;
  const detections = detectOutcome.value ?? { frames: [] as PoseFrame[], droppedFrames: captured.map((f) => f.index) };
  return { captured, detections };
}

/** The detector fitFromVideo opens when it is given none: independent frames unless told otherwise. */
function detectorOptions(options: FitFromVideoOptions) {
  return { independentFrames: true, ...options.poseDetector };
}

/** A detector opened before the capture (closed again when the call was aborted meanwhile). */
async function prepareDetector(options: FitFromVideoOptions): Promise<PoseDetector> {
  streamSeconds(options); // a typo must not cost the detector's start-up
  const detector = await inPhase('capture', options.signal, () => createPoseDetector(detectorOptions(options)));
  if (options.signal?.aborted) {
    await detector.close();
    throwIfAborted(options.signal, 'capture');
  }
  return detector;
}

/**
 * Waits for both to settle; throws the error of the one that failed first (the other's failure
 * follows from it: a stopped capture, an ended stream), else gives both values.
 */
async function settledInOrder<A, B>(a: Promise<A>, b: Promise<B>): Promise<[{ value: A }, { value: B }]> {
  let first: { error: unknown } | undefined;
  const note = (e: unknown) => {
    first ??= { error: e };
    throw e;
  };
  const [ra, rb] = await Promise.allSettled([a.catch(note), b.catch(note)]);
  if (first) throw first.error;
  return [{ value: (ra as PromiseFulfilledResult<A>).value }, { value: (rb as PromiseFulfilledResult<B>).value }];
}

/** options.durationSeconds, checked. */
function streamSeconds(options: FitFromVideoOptions): number {
  const seconds = options.durationSeconds ?? 10;
  if (typeof seconds !== 'number' || !(seconds > 0 && seconds <= 600)) {
    throw new AvatarInputError(`options.durationSeconds: expected a number in (0, 600], got ${describeValue(seconds)}`);
  }
  return seconds;
}

/** A live stream's recording ends at the latest this long after its seconds from the start, should no frame come. */
const FIRST_FRAME_GRACE_MS = 1000;

/** The frames of `source`, each handed to `onFrame` as soon as it is there (a stream's when its recording ends). */
async function captureFrames(
  source: MediaStream | HTMLVideoElement | Blob, options: FitFromVideoOptions, frameCount: number, maxSize: number, onFrame: (frame: CapturedFrame) => void,
): Promise<CapturedFrame[]> {
  const { signal, onProgress } = options;
  if (isMediaStream(source)) {
    const seconds = streamSeconds(options);
    const fps = Math.max(0.01, frameCount / seconds);
    // The seconds count from the first frame kept (the camera's first frame may come a moment after
    // the recording starts), so `frameCount` frames fit in them: at 0, 1/fps, … (frameCount − 1)/fps.
    let timer: ReturnType<typeof setTimeout> | undefined, fallback: ReturnType<typeof setTimeout> | undefined;
    let recording: CameraRecording | undefined;
    const stop = () => void recording?.stop().catch(() => undefined);
    const stopLater = () => {
      timer ??= setTimeout(stop, seconds * 1000);
    };
    try {
      // The stream is the caller's: the recorder does not stop its tracks.
      recording = await startCameraRecording({
        stream: source, fps, maxFrames: frameCount, maxSize, signal,
        onProgress: (p) => {
          stopLater();
          onProgress?.({ phase: 'capture', fraction: p.done / p.total });
        },
      });
      // Should the frames stall, the recording still ends about on time.
      fallback = setTimeout(stop, seconds * 1000 + FIRST_FRAME_GRACE_MS);
      const frames = await recording.frames;
      frames.forEach(onFrame);
      return frames;
    } finally {
      clearTimeout(timer);
      clearTimeout(fallback);
    }
  }
  const { frames } = await extractVideoFrames(source, {
    frameCount, maxSize, signal, onFrame, onProgress: (p) => onProgress?.({ phase: 'capture', fraction: p.done / p.total }),
  });
  return frames;
}

