// Frames from a video file: a small WebM recorded here with MediaRecorder from a canvas whose
// colour steps through a palette over time, decoded back by extractVideoFrames — frame count,
// size, evenly spread timestamps, colours in time order — plus an element source, cancellation
// and typed errors.
import { expect } from 'chai';
import { extractVideoFrames } from '../../src/capture/video-frames.js';
import { AbortError, AvatarFormatError, AvatarInputError } from '../../src/errors.js';

const PALETTE = [[230, 30, 30], [30, 200, 40], [40, 60, 220], [240, 220, 40]];
const STEP_MS = 300;

/** Records a 64×48 WebM showing PALETTE[0], [1], … for STEP_MS each. */
async function recordPaletteWebm(): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = 64;
  canvas.height = 48;
  const context = canvas.getContext('2d')!;
  const paint = (k: number) => {
    context.fillStyle = `rgb(${PALETTE[k]!.join(',')})`;
    context.fillRect(0, 0, 64, 48);
  };
  paint(0);
  const recorder = new MediaRecorder(canvas.captureStream(30), { mimeType: 'video/webm;codecs=vp8' });
  const chunks: Blob[] = [];
  recorder.ondataavailable = (e) => chunks.push(e.data);
  const stopped = new Promise((resolve) => (recorder.onstop = resolve));
  recorder.start();
  const t0 = performance.now();
  await new Promise<void>((resolve) => {
    const timer = setInterval(() => {
      const k = Math.floor((performance.now() - t0) / STEP_MS);
      if (k >= PALETTE.length) {
        clearInterval(timer);
        resolve();
      } else {
        paint(k);
      }
    }, 20);
  });
  recorder.stop();
  await stopped;
  return new Blob(chunks, { type: 'video/webm' });
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
      expect(f.timestamp).to.be.closeTo(((i + 0.5) * duration) / 6, 1e-9);
      expect([f.image.width, f.image.height]).to.deep.equal([32, 24]);
    });
    const colours = frames.map((f) => nearestColour(f.image));
    for (const [, distance] of colours) expect(distance, 'distance to the nearest palette colour').to.be.below(40);
    const order = colours.map(([k]) => k);
    for (let i = 1; i < order.length; i++) expect(order[i]!, `palette index order ${order}`).to.be.at.least(order[i - 1]!);
    expect(order[0]).to.be.at.most(1);
    expect(order[order.length - 1]).to.be.at.least(2);
  });

  it('samples a span [start, end) and keeps the source size when it is small enough', async () => {
    const { frames } = await extractVideoFrames(webm, { frameCount: 2, start: 0.1, end: 0.5, maxSize: 100 });
    expect(frames[0]!.timestamp).to.be.closeTo(0.2, 1e-9);
    expect(frames[1]!.timestamp).to.be.closeTo(0.4, 1e-9);
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
