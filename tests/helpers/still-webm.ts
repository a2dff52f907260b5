// Tiny WebM clips made in the test (MediaRecorder, VP8) and the frame times they really hold.

/**
 * A WebM of a width×height canvas recorded for `seconds` at the canvas stream's own pace (30 fps),
 * `paint(context, t)` called first with t = 0 and then every `paintEveryMs` with the seconds since
 * the recording started.
 */
export async function recordCanvasWebm(
  width: number, height: number, seconds: number, paint: (context: CanvasRenderingContext2D, t: number) => void, paintEveryMs = 40,
): Promise<Blob> {
  const canvas = document.createElement('canvas');
  [canvas.width, canvas.height] = [width, height];
  const context = canvas.getContext('2d')!;
  const recorder = new MediaRecorder(canvas.captureStream(30), { mimeType: 'video/webm;codecs=vp8', videoBitsPerSecond: 4_000_000 });
  const chunks: Blob[] = [];
  recorder.ondataavailable = (e) => chunks.push(e.data);
  const stopped = new Promise((resolve) => (recorder.onstop = resolve));
  paint(context, 0);
  recorder.start();
  const t0 = performance.now();
  for (let t = 0; t < seconds; t = (performance.now() - t0) / 1000) {
    paint(context, t);
    await new Promise((resolve) => setTimeout(resolve, paintEveryMs));
  }
  recorder.stop();
  await stopped;
  return new Blob(chunks, { type: 'video/webm' });
}

/** A WebM showing `image` for `seconds`: a still clip, frames at the canvas stream's own pace. */
export function recordStillWebm(image: ImageData, seconds: number): Promise<Blob> {
  return recordCanvasWebm(image.width, image.height, seconds, (context) => context.putImageData(image, 0, 0));
}

/**
 * A WebM with one video frame per image, in order, `frameMs` apart (each frame pushed by hand with
 * requestFrame at t0 + k·frameMs, so none is repeated and timer lateness does not accumulate; the
 * recorder stamps it with its capture time; the last one is held frameMs too). All images must
 * have the first one's size.
 */
export async function recordFramesWebm(images: ImageData[], frameMs = 60): Promise<Blob> {
  const canvas = document.createElement('canvas');
  [canvas.width, canvas.height] = [images[0]!.width, images[0]!.height];
  const context = canvas.getContext('2d')!;
  context.putImageData(images[0]!, 0, 0);
  const stream = canvas.captureStream(0);
  const track = stream.getVideoTracks()[0] as CanvasCaptureMediaStreamTrack;
  const recorder = new MediaRecorder(stream, { mimeType: 'video/webm;codecs=vp8', videoBitsPerSecond: 4_000_000 });
  const chunks: Blob[] = [];
  recorder.ondataavailable = (e) => chunks.push(e.data);
  const stopped = new Promise((resolve) => (recorder.onstop = resolve));
  recorder.start();
  const t0 = performance.now();
  const until = (due: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, due - performance.now())));
  for (let k = 0; k < images.length; k++) {
    await until(t0 + k * frameMs);
    context.putImageData(images[k]!, 0, 0);
    track.requestFrame();
  }
  await until(t0 + images.length * frameMs);
  recorder.stop();
  await stopped;
  for (const t of stream.getTracks()) t.stop();
  return new Blob(chunks, { type: 'video/webm' });
}

/**
 * Which of recordFramesWebm's images each frame of its clip shows, given the clip's frame times
 * (webmFrameTimes). Chromium's MediaRecorder may open the clip with one frame more than was
 * requested: the canvas track's refresh frame, a repeat of the first image at time 0 (seen in 21
 * of 25 recordings with the CPU busy, rarely on a quiet machine). Any other count is an error.
 */
export function recordedImages(frameTimes: readonly number[], imageCount: number): number[] {
  const extra = frameTimes.length - imageCount;
  if (extra !== 0 && extra !== 1) throw new Error(`recordedImages: the clip holds ${frameTimes.length} frames for ${imageCount} images`);
  return frameTimes.map((_, k) => Math.max(0, k - extra));
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
      o = data; // walk into containers (MediaRecorder writes Segment and Clusters with unknown sizes)
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
