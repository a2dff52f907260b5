// Frames from a video file: a small WebM recorded here with MediaRecorder from a canvas whose
// colour steps through a palette over time, decoded back by extractVideoFrames — frame count,
// size, colours in time order — and a clip whose frames show their own index in bars, whose frame
// times are read from the WebM itself: each returned frame's timestamp is the presentation time
// of the frame it shows (the one on screen at the sample time), also when the element already
// stood at the first sample time, and the sample time where requestVideoFrameCallback is missing.
// Plus an element source, cancellation and typed errors.
import { expect } from 'chai';
import { extractVideoFrames } from '../../src/capture/video-frames.js';
import { AbortError, AvatarFormatError, AvatarInputError } from '../../src/errors.js';
import { recordCanvasWebm, recordedImages, recordFramesWebm, webmFrameTimes } from '../helpers/still-webm.js';

const PALETTE = [[230, 30, 30], [30, 200, 40], [40, 60, 220], [240, 220, 40]];
const STEP_MS = 300;

/** Records a 64×48 WebM showing PALETTE[0], [1], … for STEP_MS each. */
function recordPaletteWebm(): Promise<Blob> {
  return recordCanvasWebm(64, 48, (PALETTE.length * STEP_MS) / 1000, (context, t) => {
    context.fillStyle = `rgb(${PALETTE[Math.min(PALETTE.length - 1, Math.floor((1000 * t) / STEP_MS))]!.join(',')})`;
    context.fillRect(0, 0, 64, 48);
  }, 20);
}

/** Index of the palette colour nearest the image's centre pixel, and its distance (max channel difference). */
function nearestColour(image: ImageData): [number, number] {
  const o = ((image.height >> 1) * image.width + (image.width >> 1)) * 4;
  let best = -1, bestDistance = Infinity;
  PALETTE.forEach((c, k) => {
    const d = Math.max(...c.map((v, i) => Math.abs(v - image.data[o + i]!)));
    if (d < bestDistance) [best, bestDistance] = [k, d];
  });
  return [best, bestDistance];
}

const BARS = 4;

/** A 64×48 frame showing `k` (0…15) in binary: bar b (left to right) white where bit b is set. */
function barsImage(k: number): ImageData {
  const image = new ImageData(64, 48);
  for (let y = 0; y < 48; y++) {
    for (let x = 0; x < 64; x++) {
      const v = (k >> Math.floor(x / 16)) & 1 ? 255 : 0;
      image.data.set([v, v, v, 255], (y * 64 + x) * 4);
    }
  }
  return image;
}

/** The number a barsImage shows, read at each bar's centre (any scale). */
function readBars(image: ImageData): number {
  let k = 0;
  for (let b = 0; b < BARS; b++) {
    const x = Math.floor(((b + 0.5) * image.width) / BARS), y = image.height >> 1;
    if (image.data[(y * image.width + x) * 4]! > 128) k |= 1 << b;
  }
  return k;
}

/** Index of the last frame shown at or before `time` (frame times ascending, seconds). */
function frameAt(times: number[], time: number): number {
  let k = 0;
  while (k + 1 < times.length && times[k + 1]! <= time) k++;
  return k;
}

describe('extractVideoFrames', () => {
  let webm: Blob;
  before(async () => {
    webm = await recordPaletteWebm();
  });

  it('samples N frames of a WebM at evenly spread times, scaled down, colours in time order', async () => {
    const progress: number[] = [];
    const { frames, duration, sourceWidth, sourceHeight } = await extractVideoFrames(webm, {
      frameCount: 6, maxSize: 32, onProgress: (p) => progress.push(p.done),
    });
    console.log(`video: WebM ${webm.size} B, ${duration.toFixed(3)} s, colours ${frames.map((f) => nearestColour(f.image).join('±')).join(' ')}`);
    expect([sourceWidth, sourceHeight]).to.deep.equal([64, 48]);
    expect(duration).to.be.within(0.9, 2.5);
    expect(frames).to.have.length(6);
    expect(progress).to.deep.equal([1, 2, 3, 4, 5, 6]);
    frames.forEach((f, i) => {
      expect(f.index).to.equal(i);
      // The frame on screen at the sample time was presented at or before it (within ~one frame at 30 FPS).
      expect(f.timestamp).to.be.within(((i + 0.5) * duration) / 6 - 0.1, ((i + 0.5) * duration) / 6 + 1e-3);
      expect([f.image.width, f.image.height]).to.deep.equal([32, 24]);
    });
    const colours = frames.map((f) => nearestColour(f.image));
    for (const [, distance] of colours) expect(distance, 'distance to the nearest palette colour').to.be.below(40);
    const order = colours.map(([k]) => k);
    for (let i = 1; i < order.length; i++) expect(order[i]!, `palette index order ${order}`).to.be.at.least(order[i - 1]!);
    expect(order[0]).to.be.at.most(1);
    expect(order[order.length - 1]).to.be.at.least(2);
  });

  describe('timestamps: the presentation times of the frames drawn', () => {
    const FRAMES = 12;
    let clip: Blob;
    let times: number[];
    /** The bars number each of the clip's frames shows. */
    let images: number[];
    before(async () => {
      clip = await recordFramesWebm(Array.from({ length: FRAMES }, (_, k) => barsImage(k)), 60);
      times = await webmFrameTimes(clip);
      images = recordedImages(times, FRAMES);
    });
    /** The bars number on screen at `time`. */
    const imageAt = (time: number) => images[frameAt(times, time)]!;
    /** The frame time nearest `time` among the frames showing bars number `k`. */
    const nearestTimeOf = (k: number, time: number) => times.filter((_, r) => images[r] === k).reduce((a, b) => (Math.abs(b - time) < Math.abs(a - time) ? b : a), Infinity);

    it('the clip holds every frame once (after the recorder\'s refresh frame, if any), at increasing times', () => {
      console.log(`bars clip: frame times ${times.map((t) => t.toFixed(3)).join(' ')} s, showing ${images.join(' ')}`);
      expect(images.slice(images.length - FRAMES)).to.deep.equal(Array.from({ length: FRAMES }, (_, k) => k));
      for (let k = 1; k < times.length; k++) expect(times[k]!).to.be.greaterThan(times[k - 1]!);
    });

    it('oversampled: each frame\'s timestamp is the time of the frame it shows, the one on screen at the sample time', async () => {
      const count = 2 * FRAMES + 5;
      const { frames, duration } = await extractVideoFrames(clip, { frameCount: count, maxSize: 32 });
      const shown = frames.map((f) => readBars(f.image));
      console.log(`bars clip: ${duration.toFixed(3)} s, shown ${shown.join(' ')}, timestamps ${frames.map((f) => f.timestamp.toFixed(3)).join(' ')}`);
      frames.forEach((f, i) => {
        const k = shown[i]!;
        expect(k, `frame ${i}: the number shown`).to.be.below(FRAMES);
        expect(f.timestamp, `frame ${i} shows clip frame ${k}: its timestamp`).to.be.closeTo(nearestTimeOf(k, f.timestamp), 1e-3);
        const sampleTime = ((i + 0.5) * duration) / count;
        // ±5 ms: a recorder under load stamps a frame a few ms off its pace (0.599 for 0.600 s), and
        // Chromium's seek then still shows the frame before it at 0.603 s (seen once under load).
        expect(imageAt(sampleTime + 5e-3) >= k && imageAt(sampleTime - 5e-3) <= k, `frame ${i}: clip frame ${k} is on screen at ${sampleTime.toFixed(4)} s (±5 ms)`).to.equal(true);
      });
      expect(new Set(shown).size, 'clip frames seen').to.be.at.least(FRAMES - 1);
    });

    it('an element already standing at the first sample time (the browser skips that seek) still gets the frame\'s time', async () => {
      const video = document.createElement('video');
      video.muted = true;
      const url = URL.createObjectURL(clip);
      video.src = url;
      const seeked = () => new Promise((resolve) => video.addEventListener('seeked', resolve, { once: true }));
      try {
        await new Promise((resolve) => video.addEventListener('loadeddata', resolve, { once: true }));
        video.currentTime = 1e7; // MediaRecorder's WebM states no duration: this reveals it
        await seeked();
        const count = 5;
        const first = (0.5 * video.duration) / count;
        video.currentTime = first;
        await seeked();
        const { frames } = await extractVideoFrames(video, { frameCount: count, maxSize: 32 });
        frames.forEach((f, i) => expect(f.timestamp, `frame ${i}`).to.be.closeTo(nearestTimeOf(readBars(f.image), f.timestamp), 1e-3));
        expect(readBars(frames[0]!.image)).to.equal(imageAt(first));
        expect(video.currentTime).to.be.closeTo(first, 1e-6);
      } finally {
        URL.revokeObjectURL(url);
      }
    });

    it('without requestVideoFrameCallback the timestamp is the sample time, which the frame shown covers', async () => {
      const video = document.createElement('video');
      Object.defineProperty(video, 'requestVideoFrameCallback', { value: undefined });
      video.muted = true;
      const url = URL.createObjectURL(clip);
      video.src = url;
      try {
        await new Promise((resolve) => video.addEventListener('loadeddata', resolve, { once: true }));
        const count = 7;
        const { frames, duration } = await extractVideoFrames(video, { frameCount: count, maxSize: 32 });
        frames.forEach((f, i) => {
          const sampleTime = ((i + 0.5) * duration) / count;
          expect(f.timestamp).to.be.closeTo(sampleTime, 1e-9);
          const k = readBars(f.image);
          expect(imageAt(sampleTime + 1e-3) >= k && imageAt(sampleTime - 1e-3) <= k, `frame ${i}: clip frame ${k} at ${sampleTime.toFixed(4)} s`).to.equal(true);
        });
      } finally {
        URL.revokeObjectURL(url);
      }
    });
  });

  it('samples a span [start, end) and keeps the source size when it is small enough', async () => {
    const { frames } = await extractVideoFrames(webm, { frameCount: 2, start: 0.1, end: 0.5, maxSize: 100 });
    expect(frames[0]!.timestamp).to.be.within(0.1, 0.2 + 1e-3);
    expect(frames[1]!.timestamp).to.be.within(0.3, 0.4 + 1e-3);
    expect([frames[0]!.image.width, frames[0]!.image.height]).to.deep.equal([64, 48]);
  });

  it('reads from a video element and puts its time back', async () => {
    const video = document.createElement('video');
    video.muted = true;
    const url = URL.createObjectURL(webm);
    video.src = url;
    await new Promise((resolve) => video.addEventListener('loadeddata', resolve, { once: true }));
    try {
      const { frames } = await extractVideoFrames(video, { frameCount: 3, maxSize: 16 });
      expect(frames).to.have.length(3);
      expect([frames[0]!.image.width, frames[0]!.image.height]).to.deep.equal([16, 12]);
      expect(video.currentTime).to.equal(0);
      expect(video.paused).to.equal(true);
    } finally {
      URL.revokeObjectURL(url);
    }
  });

  it('stops with AbortError when the signal aborts between frames', async () => {
    const controller = new AbortController();
    let done = 0;
    let error: unknown;
    try {
      await extractVideoFrames(webm, { frameCount: 5, onProgress: (p) => ((done = p.done), controller.abort()), signal: controller.signal });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(AbortError);
    expect(done).to.equal(1);
  });

  it('rejects bad sources and options with typed errors naming the field', async () => {
    const cases: [unknown, unknown, RegExp, Function][] = [
      ['clip.webm', {}, /^source: expected a video file Blob or an HTMLVideoElement, got string/, AvatarInputError],
      [webm, { frameCount: 0 }, /^options\.frameCount: expected an integer/, AvatarInputError],
      [webm, { maxSize: 1.5 }, /^options\.maxSize: expected an integer/, AvatarInputError],
      [webm, { start: -1 }, /^options\.start/, AvatarInputError],
      [webm, { start: 0.5, end: 0.5 }, /^options\.start\/end: expected start < end/, AvatarInputError],
      [webm, { signal: AbortSignal.abort() }, /aborted/, AbortError],
      [new Blob([new Uint8Array(4096).map((_, i) => (i * 7919) & 255)], { type: 'video/webm' }), {}, /^source: the browser cannot decode this video/, AvatarFormatError],
    ];
    for (const [source, options, message, type] of cases) {
      let error: unknown;
      try {
        await extractVideoFrames(source as Blob, options as object);
      } catch (e) {
        error = e;
      }
      expect(error, String(message)).to.be.instanceOf(type);
      expect((error as Error).message).to.match(message);
    }
  });
});
