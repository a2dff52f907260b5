/**
 * Frames from a video file (Blob) or an `HTMLVideoElement`, decoded by the browser's own media
 * stack: the video is seeked to each sample time and, once the decoded frame is presented, drawn
 * into a canvas at the output size. Sample times are the centres of `frameCount` equal slices of
 * [start, end), so a clip of any length gives exactly `frameCount` frames. Nothing leaves the
 * machine: a Blob is played from an object URL that is revoked when done.
 *
 * After each seek the frame is taken when the element's requestVideoFrameCallback reports it
 * presented (a callback for a frame presented before the seek is ignored), so the pixels drawn
 * are those of the frame actually decoded, and that frame's own `metadata.mediaTime` becomes the
 * CapturedFrame timestamp: the presentation time of the decoded frame, at or just before the
 * sample time (the frame on screen at the sample time). A seek that presents no new frame (to
 * the time already shown: browsers skip it) is detected by a short grace after `seeked`; the frame
 * on screen is then the last one presented, whose time is known (on the first seek, when none is
 * known yet, a seek 1 µs later presents it). Where there is no requestVideoFrameCallback (or the
 * page is hidden, when browsers present no frames), `seeked` alone marks the frame and the
 * timestamp is the sample time, which lies inside that frame's display interval.
 *
 * Why seeking rather than playing the clip and grabbing frames in requestVideoFrameCallback:
 * the sample count and times stay exact whatever the machine's load (a busy page drops frames
 * during playback), and it needs no real time. WebCodecs' VideoDecoder would need a container
 * demuxer (WebM/MP4) that the browser does not expose and the SDK would have to ship.
 */
import { AvatarFormatError, AvatarInputError, describeValue } from '../errors.js';
import {
  FrameCanvas, callbackOption, fitSize, integerOption, numberOption, signalOption, throwIfAborted, waitForEvent,
} from './frame-canvas.js';
import type { CapturedFrame, VideoFrames, VideoFramesOptions } from './types.js';

/** Longest wait for one seek or for metadata; a decoder that takes longer is treated as stuck. */
const MEDIA_TIMEOUT_MS = 30_000;
/** Seeking here makes a file without a duration in its header (MediaRecorder's WebM) reveal it. */
const FAR_AWAY_SECONDS = 1e7;
/**
 * How long after `seeked` a newly presented frame may take to be reported before the seek is
 * taken to have presented none. Browsers present within a rendering update (~16 ms); the margin
 * is for a busy main thread.
 */
const PRESENT_GRACE_MS = 250;
/** A seek this much past the time shown is a real one (not skipped) yet, barring a frame boundary right there, shows the same frame. */
const NUDGE_SECONDS = 1e-6;

/** `requestVideoFrameCallback`, which not every browser has: feature-detected. */
type FrameCallbackVideo = HTMLVideoElement & {
  requestVideoFrameCallback?: (callback: VideoFrameRequestCallback) => number;
  cancelVideoFrameCallback?: (handle: number) => void;
};

/**
 * Decodes `frameCount` frames evenly spread over `[start, end)` of `source`, scaled so the longest
 * side is at most `maxSize`. An element passed in is paused while decoding and its time and
 * paused state restored afterwards.
 *
 * @throws AvatarInputError for a bad source or options; AvatarFormatError when the browser cannot
 *   decode the video or it has no video track; AbortError when `signal` aborts.
 */
export async function extractVideoFrames(source: Blob | HTMLVideoElement, options: VideoFramesOptions = {}): Promise<VideoFrames> {
  if (options === null || typeof options !== 'object') {
    throw new AvatarInputError(`options: expected an object, got ${describeValue(options)}`);
  }
  const frameCount = integerOption(options.frameCount, 30, 'options.frameCount', 1, 100_000);
  const maxSize = integerOption(options.maxSize, 512, 'options.maxSize', 1, 16_384);
  const start = numberOption(options.start, 0, 'options.start', 0, Number.MAX_VALUE);
  if (options.end !== undefined) numberOption(options.end, 0, 'options.end', 0, Number.MAX_VALUE);
  const signal = signalOption(options.signal, 'options.signal');
  const onProgress = callbackOption(options.onProgress, 'options.onProgress');
  const onFrame = callbackOption(options.onFrame, 'options.onFrame');
  const isElement = typeof HTMLVideoElement !== 'undefined' && source instanceof HTMLVideoElement;
  if (!isElement && !(source instanceof Blob)) {
    throw new AvatarInputError(`source: expected a video file Blob or an HTMLVideoElement, got ${describeValue(source)}`);
  }
  throwIfAborted(signal, 'extractVideoFrames');

  const video = isElement ? (source as HTMLVideoElement) : document.createElement('video');
  const objectUrl = isElement ? undefined : URL.createObjectURL(source as Blob);
  const restore = isElement ? { time: video.currentTime, paused: video.paused } : undefined;
  try {
    if (objectUrl) {
      video.muted = true;
      video.playsInline = true;
      video.preload = 'auto';
      video.src = objectUrl;
    }
    video.pause();
    if (video.readyState < HTMLMediaElement.HAVE_METADATA) {
      await waitForEvent(video, 'loadedmetadata', { signal, what: 'extractVideoFrames', ...decodeFailure(video) });
    }
    if (!video.videoWidth || !video.videoHeight) {
      throw new AvatarFormatError('source: the video has no video track (videoWidth/videoHeight are 0)');
    }
    const presentation = await startPresentation(video, objectUrl !== undefined, signal);
    const duration = await knownDuration(video, presentation, signal);
    const end = Math.min(options.end ?? duration, duration);
    if (!(end > start)) {
      throw new AvatarInputError(`options.start/end: expected start < end ≤ duration ${duration.toFixed(3)} s, got [${start}, ${end}]`);
    }
    const size = fitSize(video.videoWidth, video.videoHeight, maxSize);
    const canvas = new FrameCanvas(size.width, size.height);
    const frames: CapturedFrame[] = [];
    const step = (end - start) / frameCount;
    for (let i = 0; i < frameCount; i++) {
      throwIfAborted(signal, 'extractVideoFrames');
      const time = start + (i + 0.5) * step;
      const presented = await seek(video, time, presentation, signal);
      const frame = { index: i, timestamp: presented ?? time, image: canvas.read(video) };
      frames.push(frame);
      onFrame?.(frame);
      onProgress?.({ phase: 'decode', done: i + 1, total: frameCount });
    }
    return { frames, sourceWidth: video.videoWidth, sourceHeight: video.videoHeight, duration };
  } finally {
    if (objectUrl) {
      video.removeAttribute('src');
      video.load();
      URL.revokeObjectURL(objectUrl);
    } else if (restore) {
      restoreElement(video, restore);
    }
  }
}

/** Error handling shared by the media waits: a decode error becomes AvatarFormatError. */
function decodeFailure(video: HTMLVideoElement) {
  return {
    errorEvent: 'error',
    onError: () => new AvatarFormatError(`source: the browser cannot decode this video (${video.error?.message || `media error ${video.error?.code ?? '?'}`})`),
    timeoutMs: MEDIA_TIMEOUT_MS,
    onTimeout: () => new AvatarFormatError(`source: the video did not load within ${MEDIA_TIMEOUT_MS / 1000} s`),
  };
}

/** What one extraction knows of the element's presented frames. */
interface Presentation {
  /** Whether presented frames are watched (requestVideoFrameCallback, page visible). */
  watched: boolean;
  /** Media time of the frame last presented after a seek of ours; undefined until one is seen. */
  last: number | undefined;
}

/**
 * Starts watching `video`'s presented frames where the browser reports them, after letting a frame
 * presented before this call (the first frame after loading) be reported, so that no callback of
 * an earlier presentation is taken for a seek's.
 */
async function startPresentation(video: FrameCallbackVideo, loading: boolean, signal: AbortSignal | undefined): Promise<Presentation> {
  const watched = typeof video.requestVideoFrameCallback === 'function' && document.visibilityState !== 'hidden';
  if (watched) {
    // A file loading here (preload 'auto') presents its first frame soon; an element passed in may
    // never load data before a seek (preload 'none'), so it is not waited for.
    if (loading && video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) {
      await waitForEvent(video, 'loadeddata', { signal, what: 'extractVideoFrames', ...decodeFailure(video) });
    }
    await twoRenderingUpdates();
  }
  return { watched, last: undefined };
}

/** Two rendering updates of the page (frame callbacks run in the first); a timer in case rendering stalls (hidden page). */
function twoRenderingUpdates(): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 100);
    requestAnimationFrame(() => requestAnimationFrame(() => (clearTimeout(timer), resolve())));
  });
}

/**
 * Seeks and waits until the frame at `time` is decoded and, where the browser reports it, presented.
 * Resolves with that frame's presentation time (`mediaTime`, seconds), or undefined where it cannot
 * be known (frames not watched, or no frame presented since the extraction began).
 */
async function seek(video: FrameCallbackVideo, time: number, presentation: Presentation, signal: AbortSignal | undefined, nudged = false): Promise<number | undefined> {
  const watch = presentation.watched && document.visibilityState !== 'hidden' ? watchPresentation(video) : undefined;
  try {
    const done = waitForEvent(video, 'seeked', { signal, what: 'extractVideoFrames', ...decodeFailure(video) });
    video.currentTime = time;
    await done;
    // Seeked, but the frame at the new time may not be decoded yet; no event marks that reliably
    // (loadeddata fires once per load), so poll readyState.
    const started = performance.now();
    while (video.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) {
      throwIfAborted(signal, 'extractVideoFrames');
      if (video.error) throw decodeFailure(video).onError();
      if (performance.now() - started > MEDIA_TIMEOUT_MS) throw new AvatarFormatError(`source: no frame decoded at ${time.toFixed(3)} s within ${MEDIA_TIMEOUT_MS / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    if (!watch) {
      // Nothing reports the presented frame: under load the element can still draw the previous
      // one right after `seeked` (seen: the clip's first frame drawn for a seek to 0.14 s), so
      // let the page render twice first.
      await twoRenderingUpdates();
      return undefined;
    }
    const mediaTime = await watch.presented(signal);
    if (mediaTime !== undefined) presentation.last = mediaTime;
  } finally {
    watch?.cancel();
  }
  if (presentation.last !== undefined || nudged) return presentation.last;
  // No frame presented yet: the element already stood at `time` (an element passed in), so the
  // browser skipped the seek. A seek a hair later is a real one and presents the frame.
  return seek(video, time + NUDGE_SECONDS, presentation, signal, true);
}

/**
 * Watches `video` for the first frame presented from now on (a callback for a frame presented
 * earlier, e.g. the first frame after loading, is skipped by its `presentationTime`).
 * `presented()` resolves with its `mediaTime`, or with undefined when none comes within
 * PRESENT_GRACE_MS of the call.
 */
function watchPresentation(video: FrameCallbackVideo): { presented(signal: AbortSignal | undefined): Promise<number | undefined>; cancel(): void } {
  const since = performance.now();
  let handle: number | undefined;
  let mediaTime: number | undefined;
  let notify: (() => void) | undefined;
  const onFrame: VideoFrameRequestCallback = (_now, metadata) => {
    handle = undefined;
    if (metadata.presentationTime < since) {
      handle = video.requestVideoFrameCallback!(onFrame);
      return;
    }
    mediaTime = metadata.mediaTime;
    notify?.();
  };
  handle = video.requestVideoFrameCallback!(onFrame);
  return {
    async presented(signal) {
      if (mediaTime !== undefined) return mediaTime;
      throwIfAborted(signal, 'extractVideoFrames');
      await new Promise<void>((resolve) => {
        const finish = () => {
          clearTimeout(timer);
          signal?.removeEventListener('abort', finish);
          notify = undefined;
          resolve();
        };
        const timer = setTimeout(finish, PRESENT_GRACE_MS);
        signal?.addEventListener('abort', finish, { once: true });
        notify = finish;
      });
      throwIfAborted(signal, 'extractVideoFrames');
      return mediaTime;
    },
    cancel() {
      if (handle !== undefined) video.cancelVideoFrameCallback?.(handle);
      handle = undefined;
    },
  };
}

/** The duration in seconds; for files that do not state it, found by seeking far past the end. */
async function knownDuration(video: HTMLVideoElement, presentation: Presentation, signal: AbortSignal | undefined): Promise<number> {
  if (!Number.isFinite(video.duration)) {
    await seek(video, FAR_AWAY_SECONDS, presentation, signal);
  }
  const duration = video.duration;
  if (!Number.isFinite(duration) || !(duration > 0)) {
    throw new AvatarFormatError(`source: the video's duration is unknown or zero (${duration})`);
  }
  return duration;
}

/** Puts an element passed in back as it was (time, paused state), without waiting. */
function restoreElement(video: HTMLVideoElement, state: { time: number; paused: boolean }): void {
  try {
    video.currentTime = state.time;
    if (!state.paused) void video.play().catch(() => undefined);
  } catch {
    // an element in a broken state stays as it is
  }
}
