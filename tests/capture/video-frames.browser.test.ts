// Frames from a video file: a small WebM made here (tests/helpers/still-webm.ts: WebCodecs VP8 at
// set frame times, so the clip is the same whatever the machine's load) of a canvas whose colour
// steps through a palette over time, decoded back by extractVideoFrames — frame count, size, the
// colour and time of the frame on screen at each sample time — and a clip whose frames show their
// own index in bars, whose frame times are read from the WebM itself: each returned frame is the
// one on screen at the sample time and its timestamp is that frame's presentation time, also when
// the element already stood at the first sample time, and the sample time where
// requestVideoFrameCallback is missing. Plus an element source, cancellation and typed errors.
import { expect } from 'chai';
import { extractVideoFrames } from '../../src/capture/video-frames.js';
import { AbortError, AvatarFormatError, AvatarInputError } from '../../src/errors.js';
import { frameTimeMs, recordCanvasWebm, recordFramesWebm, webmFrameTimes } from '../helpers/still-webm.js';

const PALETTE = [[230, 30, 30], [30, 200, 40], [40, 60, 220], [240, 220, 40]];
const STEP_MS = 300;

/** Index of the PALETTE colour shown at `t` seconds: each for STEP_MS. */
function paletteAt(t: number): number {
  return Math.min(PALETTE.length - 1, Math.floor((1000 * t) / STEP_MS));
}

/** A 64×48 WebM showing PALETTE[0], [1], … for STEP_MS each, a frame every 20 ms. */
function recordPaletteWebm(): Promise<Blob> {
  return recordCanvasWebm(64, 48, (PALETTE.length * STEP_MS) / 1000, (context, t) => {
    context.fillStyle = `rgb(${PALETTE[paletteAt(t)]!.join(',')})`;
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
  /** The palette clip's frame times (s), from the WebM. */
  let webmTimes: number[];
  before(async () => {
    webm = await recordPaletteWebm();
    webmTimes = await webmFrameTimes(webm);
  });

  it('samples N frames of a WebM at evenly spread times, scaled down: the frame on screen at each, its colour and time', async () => {
    const progress: number[] = [];
    const { frames, duration, sourceWidth, sourceHeight } = await extractVideoFrames(webm, {
      frameCount: 6, maxSize: 32, onProgress: (p) => progress.push(p.done),
    });
    console.log(`video: WebM ${webm.size} B, ${duration.toFixed(3)} s, colours ${frames.map((f) => nearestColour(f.image).join('±')).join(' ')}`);
    expect([sourceWidth, sourceHeight]).to.deep.equal([64, 48]);
    // The WebM states no duration (as MediaRecorder writes it): the browser ends it at its last frame.
    expect(duration).to.be.closeTo(webmTimes[webmTimes.length - 1]!, 1e-6);
    expect(frames).to.have.length(6);
    expect(progress).to.deep.equal([1, 2, 3, 4, 5, 6]);
    frames.forEach((f, i) => {
      expect(f.index).to.equal(i);
      const sampleTime = ((i + 0.5) * duration) / 6;
      const shown = webmTimes[frameAt(webmTimes, sampleTime)]!;
      expect(f.timestamp, `frame ${i}: the time of the clip frame on screen at ${sampleTime.toFixed(4)} s`).to.be.closeTo(shown, 1e-6);
      expect([f.image.width, f.image.height]).to.deep.equal([32, 24]);
      const [colour, distance] = nearestColour(f.image);
      expect(distance, `frame ${i}: distance to the nearest palette colour`).to.be.below(40);
      expect(colour, `frame ${i}: the palette colour of the clip frame at ${shown} s`).to.equal(paletteAt(shown));
    });
    // The samples span the palette, in time order.
    expect(frames.map((f) => nearestColour(f.image)[0])).to.deep.equal([0, 0, 1, 2, 2, 3]);
  });

  describe('timestamps: the presentation times of the frames drawn', () => {
    const FRAMES = 12;
    let clip: Blob;
    /** Frame k of the clip shows bars number k from times[k] (s), read from the WebM. */
    let times: number[];
    before(async () => {
      clip = await recordFramesWebm(Array.from({ length: FRAMES }, (_, k) => barsImage(k)), 60);
      times = await webmFrameTimes(clip);
    });
    /** The bars number on screen at `time`. */
    const imageAt = (time: number) => frameAt(times, time);

    it('the clip holds every frame once, 60 ms apart', () => {
      console.log(`bars clip: frame times ${times.map((t) => t.toFixed(3)).join(' ')} s`);
      expect(times).to.deep.equal(Array.from({ length: FRAMES }, (_, k) => frameTimeMs(k, 60) / 1000));
    });

    it('oversampled: each frame is the one on screen at the sample time, its timestamp that frame\'s time', async () => {
      const count = 2 * FRAMES + 5;
      const { frames, duration } = await extractVideoFrames(clip, { frameCount: count, maxSize: 32 });
      const shown = frames.map((f) => readBars(f.image));
      console.log(`bars clip: ${duration.toFixed(3)} s, shown ${shown.join(' ')}, timestamps ${frames.map((f) => f.timestamp.toFixed(3)).join(' ')}`);
      // No stated duration: the clip ends at its last frame, which is on screen for no sample.
      expect(duration).to.be.closeTo(times[FRAMES - 1]!, 1e-6);
      frames.forEach((f, i) => {
        const sampleTime = ((i + 0.5) * duration) / count;
        const k = imageAt(sampleTime);
        expect(shown[i], `frame ${i}: the clip frame on screen at ${sampleTime.toFixed(4)} s`).to.equal(k);
        expect(f.timestamp, `frame ${i} shows clip frame ${k}: its timestamp`).to.be.closeTo(times[k]!, 1e-6);
      });
      expect(new Set(shown).size, 'clip frames seen').to.equal(FRAMES - 1);
    });

    it('an element already standing at the first sample time (the browser skips that seek) still gets the frame\'s time', async () => {
      const video = document.createElement('video');
      video.muted = true;
      const url = URL.createObjectURL(clip);
      video.src = url;
      const seeked = () => new Promise((resolve) => video.addEventListener('seeked', resolve, { once: true }));
      try {
        await new Promise((resolve) => video.addEventListener('loadeddata', resolve, { once: true }));
        video.currentTime = 1e7; // the WebM states no duration (as MediaRecorder writes it): this reveals it
        await seeked();
        const count = 5;
        const first = (0.5 * video.duration) / count;
        video.currentTime = first;
        await seeked();
        const { frames } = await extractVideoFrames(video, { frameCount: count, maxSize: 32 });
        frames.forEach((f, i) => {
          const k = imageAt(((i + 0.5) * video.duration) / count);
          expect(readBars(f.image), `frame ${i}: the clip frame shown`).to.equal(k);
          expect(f.timestamp, `frame ${i}: clip frame ${k}'s time`).to.be.closeTo(times[k]!, 1e-6);
        });
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
          expect(readBars(f.image), `frame ${i}: the clip frame on screen at ${sampleTime.toFixed(4)} s`).to.equal(imageAt(sampleTime));
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
