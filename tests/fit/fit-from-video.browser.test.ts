// fitFromVideo end to end on a tiny clip: a WebM recorded here (MediaRecorder) from a canvas
// showing the default avatar rendered by the project's renderer (A-pose, from the front) → frames
// → real MediaPipe keypoints and masks → body fit → a few training iterations → an avatar that
// saves, loads and renders. Then cancellation in every phase (AbortError; a detector passed in is
// not used after the abort, the trainer's avatar body is freed), too few usable frames (typed
// error with the counts) and bad input. Sizes are tiny for SwiftShader: 96×128 frames, R = 32.
import { expect } from 'chai';
import { saveAvatar, loadAvatar } from '../../src/avatar/avatar-file.js';
import { createPoseDetector, type PoseDetector } from '../../src/capture/mediapipe-pose.js';
import { AbortError, AvatarInputError, NoPersonFoundError } from '../../src/errors.js';
import { fitFromVideo, type FitFromVideoOptions, type FitFromVideoProgress, type FitPhase } from '../../src/fit/fit-from-video.js';
import { createAvatarRenderer } from '../../src/render/avatar-renderer.js';
import { emptyImage, renderPerson } from '../capture/person-image.js';
import { getTestDevice } from '../helpers/gpu-device.js';
import { recordStillWebm } from '../helpers/still-webm.js';

const BASE_URL = '/node_modules/@mediapipe/pose/';

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a rejection, got a result');
}

/** Fraction of pixels whose colour differs from the background by more than 0.1 in some channel. */
async function coveredFraction(device: GPUDevice, avatar: Parameters<typeof createAvatarRenderer>[1], camera: { width: number; height: number; K: Float32Array; view: Float32Array }, pose: Float32Array, trans: Float32Array): Promise<number> {
  const { width, height } = camera;
  const renderer = createAvatarRenderer(device, avatar, { width, height });
  const texture = device.createTexture({ size: [width, height], format: 'rgba8unorm', usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_SRC });
  const bytesPerRow = Math.ceil((width * 4) / 256) * 256;
  const readback = device.createBuffer({ size: bytesPerRow * height, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  try {
    const encoder = device.createCommandEncoder();
    renderer.encodeFrame(encoder, texture.createView(), 'rgba8unorm', { pose, trans, camera, background: [0, 0, 0] });
    encoder.copyTextureToBuffer({ texture }, { buffer: readback, bytesPerRow }, [width, height]);
    device.queue.submit([encoder.finish()]);
    await readback.mapAsync(GPUMapMode.READ);
    const bytes = new Uint8Array(readback.getMappedRange());
    let covered = 0;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const o = y * bytesPerRow + x * 4;
        if (Math.max(bytes[o]!, bytes[o + 1]!, bytes[o + 2]!) > 25) covered++;
      }
    }
    readback.unmap();
    return covered / (width * height);
  } finally {
    texture.destroy();
    readback.destroy();
    renderer.destroy();
  }
}

describe('fitFromVideo', () => {
  let device: GPUDevice;
  let personClip: Blob;
  let emptyClip: Blob;
  let detector: PoseDetector;
  const tiny = (): FitFromVideoOptions => ({
    frameCount: 3, maxSize: 128, fitIterations: 120, resolution: 32, stage1Iterations: 12, stage2Iterations: 4, device,
  });

  before(async () => {
    device = await getTestDevice();
    const person = await renderPerson(96, 128);
    personClip = await recordStillWebm(person.image, 1.2);
    emptyClip = await recordStillWebm(emptyImage(96, 128), 1.2);
    detector = await createPoseDetector({ baseUrl: BASE_URL, modelComplexity: 0, independentFrames: true });
  });
  after(async () => {
    await detector?.close();
  });

  it('turns a WebM of a person into an avatar that saves, loads and renders where the person stood', async () => {
    const progress: FitFromVideoProgress[] = [];
    const t0 = performance.now();
    const result = await fitFromVideo(personClip, {
      ...tiny(), poseDetector: { baseUrl: BASE_URL, modelComplexity: 0 }, previewEvery: 6, onProgress: (p) => progress.push(p),
    });
    console.log(`fitFromVideo: ${((performance.now() - t0) / 1000).toFixed(1)} s, ${result.keypoints.length} usable frames, fit error ${Array.from(result.bodyFit.perFrameError, (e) => e.toFixed(1)).join(' ')} px, ${result.avatar.gaussians.count} Gaussians`);
    // Phases in order, each reported, fractions in 0…1.
    const order: FitPhase[] = ['capture', 'keypoints', 'body-fit', 'stage1', 'stage2'];
    const seen = progress.map((p) => order.indexOf(p.phase));
    expect(seen.every((k, i) => k >= 0 && (i === 0 || k >= seen[i - 1]!)), 'phases in order').to.equal(true);
    expect(new Set(progress.map((p) => p.phase))).to.deep.equal(new Set(order));
    for (const p of progress) expect(p.fraction).to.be.within(0, 1);
    expect(progress.some((p) => p.phase === 'stage1' && p.loss !== undefined && Number.isFinite(p.loss))).to.equal(true);
    expect(progress.some((p) => p.preview !== undefined && p.preview.rgb.length === p.preview.width * p.preview.height * 3)).to.equal(true);
    // Intermediates.
    expect(result.droppedFrames).to.deep.equal([]);
    expect(result.frames.length).to.equal(3);
    expect(result.keypoints.map((k) => k.frameIndex)).to.deep.equal(result.frames.map((f) => f.index));
    expect([result.camera.width, result.camera.height]).to.deep.equal([96, 128]);
    for (const e of result.bodyFit.perFrameError) expect(e, 'body fit reprojection error (px)').to.be.below(8);
    expect(result.dataset.frames.length).to.equal(3);
    expect(result.dataset.frames.every((f) => f.mask instanceof Float32Array)).to.equal(true);
    expect(result.poses.length).to.equal(3);
    // The avatar: saves, loads back the same Gaussians, and renders over a good part of the image.
    const avatar = result.avatar;
    try {
      expect(avatar.gaussians.count).to.be.above(100);
      expect(avatar.network).to.not.equal(undefined);
      const bytes = await saveAvatar(avatar);
      const loaded = await loadAvatar(bytes);
      try {
        expect(loaded.gaussians.count).to.equal(avatar.gaussians.count);
      } finally {
        loaded.body.dispose();
      }
      const covered = await coveredFraction(device, avatar, result.camera, result.poses[0]!, result.trans[0]!);
      console.log(`fitFromVideo: rendered avatar covers ${(covered * 100).toFixed(1)} % of the frame`);
      expect(covered).to.be.above(0.03);
    } finally {
      avatar.body.dispose();
    }
  });

  for (const phase of ['capture', 'keypoints', 'body-fit', 'stage1', 'stage2'] as const) {
    it(`cancelling during ${phase} rejects with AbortError and stops there`, async () => {
      const controller = new AbortController();
      const after: FitPhase[] = [];
      let detectCallsAtAbort = -1;
      let detectCalls = 0;
      const spy: PoseDetector = {
        detect: (image, frame) => {
          detectCalls++;
          return detector.detect(image, frame);
        },
        reset: () => detector.reset(),
        close: async () => {
          throw new Error('fitFromVideo closed a detector it was given');
        },
      };
      const error = await rejection(fitFromVideo(personClip, {
        ...tiny(), detector: spy, signal: controller.signal,
        onProgress: (p) => {
          if (controller.signal.aborted) after.push(p.phase);
          else if (p.phase === phase && (p.fraction > 0 || phase === 'capture')) {
            detectCallsAtAbort = detectCalls;
            controller.abort();
          }
        },
      }));
      expect(error).to.be.instanceOf(AbortError);
      expect(error.message).to.equal(`fitFromVideo: aborted during ${phase}`);
      expect(detectCallsAtAbort, 'the abort happened').to.be.at.least(0);
      // Nothing runs after the abort: no later phase reports, no more detections.
      const order = ['capture', 'keypoints', 'body-fit', 'stage1', 'stage2'];
      for (const p of after) expect(order.indexOf(p)).to.be.at.most(order.indexOf(phase));
      expect(detectCalls - detectCallsAtAbort, 'detections after the abort').to.equal(0);
    });
  }

  it('a clip with too few frames showing a person gives NoPersonFoundError with the counts', async () => {
    const error = await rejection(fitFromVideo(emptyClip, { ...tiny(), detector }));
    expect(error).to.be.instanceOf(NoPersonFoundError);
    expect(error.message).to.match(/^frames: a person was found in 0 of 3 frame\(s\), at least 3 needed/);
    const fewer = await rejection(fitFromVideo(personClip, { ...tiny(), detector, minFrames: 4 }));
    expect(fewer).to.be.instanceOf(NoPersonFoundError);
    // MediaPipe (tracking across frames) finds the person in 2 or 3 of these decoded frames from run to run.
    expect(fewer.message).to.match(/^frames: a person was found in [1-3] of 3 frame\(s\), at least 4 needed/);
  });

  it('records a live MediaStream for durationSeconds and leaves its tracks running (they are the caller\'s)', async () => {
    const person = await renderPerson(96, 128);
    const canvas = document.createElement('canvas');
    [canvas.width, canvas.height] = [96, 128];
    const context = canvas.getContext('2d')!;
    const stream = canvas.captureStream(30);
    const timer = setInterval(() => context.putImageData(person.image, 0, 0), 40);
    try {
      // minFrames above frameCount: stops after keypoints with the counts, which shows what was recorded.
      const error = await rejection(fitFromVideo(stream, { ...tiny(), detector, durationSeconds: 1.5, minFrames: 10 }));
      expect(error).to.be.instanceOf(NoPersonFoundError);
      expect(error.message).to.match(/^frames: a person was found in [1-3] of 3 frame\(s\), at least 10 needed/);
      expect(stream.getVideoTracks()[0]!.readyState).to.equal('live');
    } finally {
      clearInterval(timer);
      for (const track of stream.getTracks()) track.stop();
    }
  });

  it('bad source and options give AvatarInputError naming the field', async () => {
    const cases: [unknown, unknown, RegExp][] = [
      ['video.webm', {}, /^source: expected a MediaStream, HTMLVideoElement or Blob \(video file\), got/],
      [personClip, { frameCount: 0 }, /^options\.frameCount: expected an integer in 1…10000, got number 0/],
      [personClip, { minFrames: 1.5 }, /^options\.minFrames: expected an integer in 1…10000/],
      [personClip, { signal: 'stop' }, /^options\.signal: expected an AbortSignal/],
      [personClip, null, /^options: expected an object/],
    ];
    for (const [source, options, message] of cases) {
      const error = await rejection(fitFromVideo(source as Blob, options as FitFromVideoOptions));
      expect(error, String(message)).to.be.instanceOf(AvatarInputError);
      expect(error.message).to.match(message);
    }
  });
});
