/**
 * Frames from a video file (Blob) or an `HTMLVideoElement`, decoded by the browser's own media
 * stack: the video is seeked to each sample time and the decoded frame drawn into a canvas at the
 * output size. Sample times are the centres of `frameCount` equal slices of [start, end), so a
 * clip of any length gives exactly `frameCount` frames. Nothing leaves the machine: a Blob is
 * played from an object URL that is revoked when done.
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
    const duration = await knownDuration(video, signal);
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
      await seek(video, time, signal);
      frames.push({ index: i, timestamp: time, image: canvas.read(video) });
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

/** Seeks and waits until the frame at `time` is decoded (the `seeked` event). */
async function seek(video: HTMLVideoElement, time: number, signal: AbortSignal | undefined): Promise<void> {
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
}

/** The duration in seconds; for files that do not state it, found by seeking far past the end. */
async function knownDuration(video: HTMLVideoElement, signal: AbortSignal | undefined): Promise<number> {
  if (!Number.isFinite(video.duration)) {
    await seek(video, FAR_AWAY_SECONDS, signal);
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
