// Webcam recording with Chromium's fake camera (web-test-runner.config.mjs gives this file its
// own browser whose camera plays build/fake-camera.y4m, written from tests/helpers/y4m.ts):
// frame count and rate, size, the clip's colours; stop, abort, an app's own stream; and
// permission denial as a typed error.
import { expect } from 'chai';
import { startCameraRecording } from '../../src/capture/camera-recorder.js';
import { AbortError, AvatarInputError, CameraAccessError } from '../../src/errors.js';
import { FAKE_CAMERA } from '../helpers/y4m.js';

/** Index of the fake camera colour nearest the image's centre pixel, and its distance (max channel difference). */
function nearestColour(image: ImageData): [number, number] {
  const o = ((image.height >> 1) * image.width + (image.width >> 1)) * 4;
  let best = -1, bestDistance = Infinity;
  FAKE_CAMERA.colours.forEach((c, k) => {
    const d = Math.max(...c.map((v, i) => Math.abs(v - image.data[o + i]!)));
    if (d < bestDistance) [best, bestDistance] = [k, d];
  });
  return [best, bestDistance];
}

/** Rejects when `promise` takes longer than `ms` (a stuck recorder fails the test instead of hanging it). */
function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  return Promise.race([promise, new Promise<T>((_, reject) => setTimeout(() => reject(new Error(`no result within ${ms} ms`)), ms))]);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('startCameraRecording (fake camera)', () => {
  it('records maxFrames frames at the asked rate, scaled down, showing the camera\'s clip', async () => {
    const progress: number[] = [];
    const recording = await startCameraRecording({ video: { width: 64, height: 48 }, fps: 5, maxFrames: 6, maxSize: 32, onProgress: (p) => progress.push(p.done) });
    const frames = await within(recording.frames, 20_000);
    const times = frames.map((f) => f.timestamp);
    console.log(`camera: ${recording.width}×${recording.height}, times ${times.map((t) => t.toFixed(3)).join(' ')}, colours ${frames.map((f) => nearestColour(f.image).join('±')).join(' ')}`);
    expect([recording.width, recording.height]).to.deep.equal([32, 24]);
    expect(frames).to.have.length(6);
    expect(progress).to.deep.equal([1, 2, 3, 4, 5, 6]);
    expect(times[0]).to.equal(0);
    // Frame i is kept no earlier than its slot i/fps (a late frame does not shift later slots).
    for (let i = 1; i < times.length; i++) {
      expect(times[i]!, `time ${i}`).to.be.greaterThan(times[i - 1]!);
      expect(times[i]!, `time ${i}`).to.be.at.least(i * 0.2 - 1e-3);
    }
    expect(times[5]! / 5, 'mean interval (s)').to.be.within(0.19, 0.6);
    frames.forEach((f, i) => {
      expect(f.index).to.equal(i);
      expect([f.image.width, f.image.height]).to.deep.equal([32, 24]);
      expect(nearestColour(f.image)[1], `frame ${i}: distance to the nearest clip colour`).to.be.below(40);
    });
    expect(new Set(frames.map((f) => nearestColour(f.image)[0])).size, 'distinct clip colours seen').to.be.at.least(2);
    expect(recording.stream.getTracks().every((t) => t.readyState === 'ended'), 'camera stopped').to.equal(true);
  });

  it('stop() ends early with the frames so far and stops the camera', async () => {
    const recording = await startCameraRecording({ video: { width: 64, height: 48 }, fps: 10, maxFrames: 1000 });
    for (let waited = 0; recording.frameCount < 2 && waited < 10_000; waited += 50) await sleep(50);
    const frames = await within(recording.stop(), 5_000);
    expect(frames.length).to.be.at.least(2);
    expect(recording.frameCount).to.equal(frames.length);
    expect(recording.stream.getTracks().every((t) => t.readyState === 'ended')).to.equal(true);
    await sleep(300);
    expect(recording.frameCount, 'no frames after stop').to.equal(frames.length);
  });

  it('rejects with AbortError when the signal aborts, and stops the camera', async () => {
    const controller = new AbortController();
    const recording = await startCameraRecording({ video: { width: 64, height: 48 }, maxFrames: 1000, signal: controller.signal });
    await sleep(300);
    controller.abort();
    let error: unknown;
    try {
      await within(recording.frames, 5_000);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(AbortError);
    expect(recording.stream.getTracks().every((t) => t.readyState === 'ended')).to.equal(true);
  });

  it('records an app\'s own stream and leaves its tracks running', async () => {
    const canvas = document.createElement('canvas');
    [canvas.width, canvas.height] = [40, 40];
    const context = canvas.getContext('2d')!;
    const timer = setInterval(() => {
      context.fillStyle = 'rgb(20, 160, 200)';
      context.fillRect(0, 0, 40, 40);
    }, 30);
    const stream = canvas.captureStream(30);
    try {
      const recording = await startCameraRecording({ stream, fps: 10, maxFrames: 2, maxSize: 20 });
      const frames = await within(recording.frames, 10_000);
      expect(frames).to.have.length(2);
      expect([frames[0]!.image.width, frames[0]!.image.height]).to.deep.equal([20, 20]);
      expect(Array.from(frames[1]!.image.data.subarray(0, 3))).to.deep.equal([20, 160, 200]);
      expect(stream.getTracks().every((t) => t.readyState === 'live'), 'app tracks still live').to.equal(true);
    } finally {
      clearInterval(timer);
      for (const t of stream.getTracks()) t.stop();
    }
  });

  it('turns a denied permission into CameraAccessError (getUserMedia rejecting as a browser does on "Block")', async () => {
    // This browser grants the camera without a prompt (--use-fake-ui-for-media-stream), so the
    // denial is what getUserMedia rejects with when a person blocks the camera.
    const devices = navigator.mediaDevices;
    Object.defineProperty(devices, 'getUserMedia', { configurable: true, value: () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError')) });
    try {
      let error: unknown;
      try {
        await startCameraRecording();
      } catch (e) {
        error = e;
      }
      expect(error).to.be.instanceOf(CameraAccessError);
      expect((error as Error).message).to.match(/^camera: permission denied \(Permission denied\) — allow camera access/);
    } finally {
      delete (devices as { getUserMedia?: unknown }).getUserMedia;
    }
    expect(typeof navigator.mediaDevices.getUserMedia).to.equal('function');
  });

  it('rejects bad options with typed errors naming the field', async () => {
    const cases: [unknown, RegExp, Function][] = [
      [{ fps: 0 }, /^options\.fps: expected a number/, AvatarInputError],
      [{ maxFrames: 0 }, /^options\.maxFrames: expected an integer/, AvatarInputError],
      [{ stream: 'camera' }, /^options\.stream: expected a MediaStream, got string/, AvatarInputError],
      [{ stream: new MediaStream() }, /^options\.stream: expected a MediaStream with a video track/, AvatarInputError],
      [{ signal: AbortSignal.abort() }, /aborted/, AbortError],
    ];
    for (const [options, message, type] of cases) {
      let error: unknown;
      try {
        await startCameraRecording(options as object);
      } catch (e) {
        error = e;
      }
      expect(error, String(message)).to.be.instanceOf(type);
      expect((error as Error).message).to.match(message);
    }
  });
});
