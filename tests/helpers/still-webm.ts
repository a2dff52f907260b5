// Tiny WebM clips made in the test and the frame times they hold. Frames are encoded with WebCodecs
// (VP8) at timestamps set here and muxed with webm-muxer, so each frame's time is known by
// construction: a real-time MediaRecorder recording paced its frames by the machine's load.
import { ArrayBufferTarget, Muxer } from 'webm-muxer';

const CODEC = 'vp8';
/** Plenty for the tiny test clips: VP8 at this rate is near lossless there. */
const BITS_PER_SECOND = 4_000_000;
/** A keyframe at least this often, as a camera or MediaRecorder makes them: seeks decode from one. */
const KEYFRAME_EVERY_MS = 1000;

/**
 * A WebM of `frameCount` width×height frames, frame k drawn by `paint(context, k)` and shown from
 * frameTimeMs(k, frameMs) on. The file states no duration, as MediaRecorder writes a WebM (the
 * kind the SDK's own recording gives), so the browser ends the clip at the last frame's time.
 * Throws when the browser has no VP8 encoder or encoding fails.
 */
export async function encodeWebm(
  width: number, height: number, frameCount: number, frameMs: number, paint: (context: CanvasRenderingContext2D, k: number) => void,
): Promise<Blob> {
  if (!(frameMs >= 1)) throw new Error(`encodeWebm: frameMs must be at least 1 ms (the WebM's time unit), got ${frameMs}`);
  if (!Number.isInteger(frameCount) || frameCount <= 0) throw new Error(`encodeWebm: frameCount must be a positive integer, got ${frameCount}`);
  const config: VideoEncoderConfig = { codec: CODEC, width, height, bitrate: BITS_PER_SECOND, framerate: 1000 / frameMs, latencyMode: 'quality' };
  // A missing encoder is an error, never a reason to skip: the clips are every capture test's input.
  if (typeof VideoEncoder === 'undefined') throw new Error('encodeWebm: this browser has no WebCodecs VideoEncoder');
  const support = await VideoEncoder.isConfigSupported(config);
  if (!support.supported) throw new Error(`encodeWebm: this browser cannot encode ${CODEC} at ${width}×${height}`);

  const canvas = document.createElement('canvas');
  [canvas.width, canvas.height] = [width, height];
  const context = canvas.getContext('2d')!;
  // streaming: no Duration or Cues, Segment and Clusters of unknown size, as MediaRecorder writes them.
  const muxer = new Muxer({ target: new ArrayBufferTarget(), video: { codec: 'V_VP8', width, height, frameRate: 1000 / frameMs }, streaming: true });
  let failure: unknown;
  const encoder = new VideoEncoder({
    output: (chunk, meta) => {
      try {
        muxer.addVideoChunk(chunk, meta);
      } catch (e) {
        failure ??= e; // thrown here it would escape the test as an uncaught error
      }
    },
    error: (e) => (failure ??= e),
  });
  encoder.configure(config);
  const keyframeEvery = Math.max(1, Math.round(KEYFRAME_EVERY_MS / frameMs));
  try {
    for (let k = 0; k < frameCount; k++) {
      paint(context, k);
      const timestamp = frameTimeMs(k, frameMs) * 1000; // µs
      const frame = new VideoFrame(canvas, { timestamp, duration: frameTimeMs(k + 1, frameMs) * 1000 - timestamp });
      encoder.encode(frame, { keyFrame: k % keyframeEvery === 0 });
      frame.close(); // encode() holds its own reference
      // Bounded memory for long clips: let the encoder catch up.
      while (encoder.encodeQueueSize > 4 && failure === undefined) await new Promise((resolve) => encoder.addEventListener('dequeue', resolve, { once: true }));
      if (failure !== undefined) break;
    }
    if (failure === undefined) await encoder.flush();
  } finally {
    if (encoder.state !== 'closed') encoder.close();
  }
  if (failure !== undefined) throw new Error(`encodeWebm: encoding ${CODEC} failed: ${String(failure)}`);
  muxer.finalize();
  return new Blob([muxer.target.buffer], { type: 'video/webm' });
}

/**
 * When frame k of a clip made here is shown, in ms: k·frameMs rounded to the WebM's time unit (1 ms),
 * so these are exactly the times in the file.
 */
export function frameTimeMs(k: number, frameMs: number): number {
  return Math.round(k * frameMs);
}

/**
 * A WebM of a width×height canvas `seconds` long, one frame every `frameMs`: frame k is
 * `paint(context, t)` at its time t = frameTimeMs(k, frameMs) / 1000 s.
 */
export function recordCanvasWebm(
  width: number, height: number, seconds: number, paint: (context: CanvasRenderingContext2D, t: number) => void, frameMs = 40,
): Promise<Blob> {
  return encodeWebm(width, height, Math.ceil((seconds * 1000) / frameMs), frameMs, (context, k) => paint(context, frameTimeMs(k, frameMs) / 1000));
}

/** A WebM showing `image` for `seconds`: a still clip at 25 FPS. */
export function recordStillWebm(image: ImageData, seconds: number): Promise<Blob> {
  return recordCanvasWebm(image.width, image.height, seconds, (context) => context.putImageData(image, 0, 0));
}

/**
 * A WebM with one video frame per image, in order: frame k shows images[k] from frameTimeMs(k,
 * frameMs) on. All images must have the first one's size.
 */
export function recordFramesWebm(images: ImageData[], frameMs = 60): Promise<Blob> {
  const { width, height } = images[0]!;
  return encodeWebm(width, height, images.length, frameMs, (context, k) => context.putImageData(images[k]!, 0, 0));
}

// EBML ids (Matroska): containers walked into, and the elements read.
const SEGMENT = 0x18538067, INFO = 0x1549a966, CLUSTER = 0x1f43b675, BLOCK_GROUP = 0xa0;
const TIMECODE_SCALE = 0x2ad7b1, CLUSTER_TIMECODE = 0xe7, SIMPLE_BLOCK = 0xa3, BLOCK = 0xa1;

/**
 * Presentation times in seconds of the blocks (frames) of a WebM's first track, in file order,
 * read from the container: cluster timecode + the block's relative timecode, × TimecodeScale.
 * An independent record of when each frame is shown, for checking what a decoder reports.
 */
export async function webmFrameTimes(webm: Blob): Promise<number[]> {
  const bytes = new Uint8Array(await webm.arrayBuffer());
  let scale = 1e6; // ns per tick, Matroska's default
  let clusterTime = 0;
  const times: number[] = [];
  let o = 0;
  // A variable-length integer at `p`: its length, and its value with (size) or without (id) the marker bit.
  const vint = (p: number, keepMarker: boolean): { length: number; value: number; unknown: boolean } => {
    const first = bytes[p]!;
    let length = 1;
    while (length <= 8 && !(first & (0x80 >> (length - 1)))) length++;
    let value = keepMarker ? first : first & (0xff >> length);
    let allOnes = value === (0xff >> length);
    for (let k = 1; k < length; k++) {
      value = value * 256 + bytes[p + k]!;
      allOnes &&= bytes[p + k] === 0xff;
    }
    return { length, value, unknown: !keepMarker && allOnes };
  };
  const uint = (p: number, n: number) => {
    let v = 0;
    for (let k = 0; k < n; k++) v = v * 256 + bytes[p + k]!;
    return v;
  };
  while (o < bytes.length) {
    const id = vint(o, true);
    const size = vint(o + id.length, false);
    const data = o + id.length + size.length;
    if (id.value === SEGMENT || id.value === INFO || id.value === CLUSTER || id.value === BLOCK_GROUP) {
      o = data; // walk into containers (a streamed WebM writes Segment and Clusters with unknown sizes)
      continue;
    }
    if (size.unknown) throw new Error(`webmFrameTimes: element 0x${id.value.toString(16)} of unknown size at byte ${o}`);
    if (id.value === TIMECODE_SCALE) scale = uint(data, size.value);
    else if (id.value === CLUSTER_TIMECODE) clusterTime = uint(data, size.value);
    else if (id.value === SIMPLE_BLOCK || id.value === BLOCK) {
      const track = vint(data, false);
      if (track.value === 1) {
        const relative = (uint(data + track.length, 2) << 16) >> 16; // signed 16-bit
        times.push(((clusterTime + relative) * scale) / 1e9);
      }
    }
    o = data + size.value;
  }
  return times;
}
