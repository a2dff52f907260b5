// The keypoint stage: @mediapipe/pose runs offline (its script, WASM and models come from the
// package, served by the test server; no other request) and finds the rendered default avatar's
// joints where the body model puts them, its mask over its silhouette; an empty image gives the
// typed "no person" error and frames without a person are dropped and counted; with
// independentFrames a frame is detected as on a fresh detector, whatever came before it.
import { expect } from 'chai';
import { createFrameStream } from '../../src/capture/frame-stream.js';
import { createPoseDetector, detectPoses, type PoseDetector } from '../../src/capture/mediapipe-pose.js';
import type { CapturedFrame, PoseFrame } from '../../src/capture/types.js';
import { extractVideoFrames } from '../../src/capture/video-frames.js';
import { AbortError, AvatarInputError, NoPersonFoundError } from '../../src/errors.js';
import { emptyImage, renderPerson, type PersonImage } from './person-image.js';
import { recordStillWebm } from '../helpers/still-webm.js';

/** Where the test server serves the package's files (the build copies the same files to dist/mediapipe/). */
const BASE_URL = '/node_modules/@mediapipe/pose/';

/** MediaPipe landmark → SMPL joint, for the joints both define (MediaPipe's LEFT = the person's left = SMPL's left). */
const LANDMARK_TO_JOINT: Record<string, [number, number]> = {
  leftShoulder: [11, 16], rightShoulder: [12, 17], leftElbow: [13, 18], rightElbow: [14, 19],
  leftWrist: [15, 20], rightWrist: [16, 21], leftHip: [23, 1], rightHip: [24, 2],
  leftKnee: [25, 4], rightKnee: [26, 5], leftAnkle: [27, 7], rightAnkle: [28, 8],
};

function meanDifference(a: ImageData, b: ImageData): number {
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) if (i % 4 !== 3) sum += Math.abs(a.data[i]! - b.data[i]!);
  return sum / ((a.data.length / 4) * 3);
}

const frame = (image: ImageData, index: number): CapturedFrame => ({ index, timestamp: index / 10, image });

/** `person` in an image 2.5 times as wide (same background), at its left or right edge. */
function placedPerson(person: ImageData, side: 'left' | 'right'): ImageData {
  const out = emptyImage(Math.round(person.width * 2.5), person.height);
  const x0 = side === 'left' ? 0 : out.width - person.width;
  for (let y = 0; y < person.height; y++) {
    out.data.set(person.data.subarray(y * person.width * 4, (y + 1) * person.width * 4), (y * out.width + x0) * 4);
  }
  return out;
}

function meanKeypointDistance(a: PoseFrame, b: PoseFrame): number {
  let sum = 0;
  for (let k = 0; k < 33; k++) sum += Math.hypot(a.keypoints[k * 3]! - b.keypoints[k * 3]!, a.keypoints[k * 3 + 1]! - b.keypoints[k * 3 + 1]!);
  return sum / 33;
}

function maskIoU(a: Uint8Array, b: Uint8Array): number {
  let both = 0, either = 0;
  for (let i = 0; i < a.length; i++) {
    const [x, y] = [a[i]! >= 128, b[i]! >= 128];
    if (x && y) both++;
    if (x || y) either++;
  }
  return both / either;
}

describe('MediaPipe pose keypoints', () => {
  const requests: string[] = [];
  const observer = new PerformanceObserver((list) => requests.push(...list.getEntries().map((e) => e.name)));
  let detector: PoseDetector;
  let person: PersonImage;

  before(async () => {
    performance.setResourceTimingBufferSize(100_000);
    observer.observe({ type: 'resource', buffered: true });
    person = await renderPerson();
    detector = await createPoseDetector({ baseUrl: BASE_URL, modelComplexity: 0, independentFrames: true });
  });
  after(async () => {
    observer.disconnect();
    await detector?.close();
  });

  it('finds the rendered avatar: keypoints at the body\'s joints, world landmarks, mask over the silhouette', async () => {
    const t0 = performance.now();
    const result = await detectPoses([frame(person.image, 0)], { detector });
    console.log(`pose: 1 frame ${person.image.width}×${person.image.height} in ${(performance.now() - t0).toFixed(0)} ms`);
    expect(result.droppedFrames).to.deep.equal([]);
    expect(result.frames).to.have.length(1);
    const found = result.frames[0]!;
    expect([found.width, found.height, found.frameIndex]).to.deep.equal([person.image.width, person.image.height, 0]);
    expect(found.keypoints).to.be.instanceOf(Float32Array).with.length(99);
    expect(found.worldLandmarks).to.be.instanceOf(Float32Array).with.length(132);

    // Body height in pixels (head joint to ankles) sets the tolerance: 8% of it (MediaPipe put them within ~6 px of the joints here).
    const j = person.joints;
    const bodyHeight = (j[7 * 2 + 1]! + j[8 * 2 + 1]!) / 2 - j[15 * 2 + 1]!;
    const report: string[] = [];
    for (const [name, [k, joint]] of Object.entries(LANDMARK_TO_JOINT)) {
      const [x, y, visibility] = [found.keypoints[k * 3]!, found.keypoints[k * 3 + 1]!, found.keypoints[k * 3 + 2]!];
      const distance = Math.hypot(x - j[joint * 2]!, y - j[joint * 2 + 1]!);
      report.push(`${name} ${distance.toFixed(1)}px v=${visibility.toFixed(2)}`);
      expect(distance, `${name}: keypoint (${x.toFixed(1)}, ${y.toFixed(1)}) vs joint (${j[joint * 2]!.toFixed(1)}, ${j[joint * 2 + 1]!.toFixed(1)})`).to.be.below(0.08 * bodyHeight);
      expect(visibility, `${name} visibility`).to.be.greaterThan(0.5);
    }
    console.log(`pose: body ${bodyHeight.toFixed(0)} px; ${report.join(', ')}`);
    // The person faces the camera: their left (MediaPipe 11, SMPL +x) is on the image's right.
    expect(found.keypoints[11 * 3]!).to.be.greaterThan(found.keypoints[12 * 3]!);

    // World landmarks: metres, origin between the hips, y down.
    const w = (k: number, c: number) => found.worldLandmarks[k * 4 + c]!;
    const hipCentre = [0, 1, 2].map((c) => (w(23, c) + w(24, c)) / 2);
    expect(Math.hypot(...hipCentre), 'hip centre distance from the origin (m)').to.be.below(0.1);
    const shoulderToAnkle = (w(27, 1) + w(28, 1)) / 2 - (w(11, 1) + w(12, 1)) / 2;
    expect(shoulderToAnkle, 'shoulders above ankles by (m), y down').to.be.within(0.9, 1.8);

    // Mask: compare with the rendered silhouette (pixels unlike the background).
    expect(found.mask).to.be.instanceOf(Uint8Array).with.length(person.image.width * person.image.height);
    let both = 0, either = 0;
    const d = person.image.data;
    for (let i = 0; i < found.mask!.length; i++) {
      const body = Math.abs(d[i * 4]! - 237) + Math.abs(d[i * 4 + 1]! - 237) + Math.abs(d[i * 4 + 2]! - 237) > 24;
      const masked = found.mask![i]! > 127;
      if (body && masked) both++;
      if (body || masked) either++;
    }
    console.log(`pose: mask IoU ${(both / either).toFixed(3)}`);
    expect(both / either, 'mask IoU with the silhouette').to.be.greaterThan(0.6);
  });

  it('drops frames without a person and keeps the order', async () => {
    const result = await detectPoses([frame(person.image, 0), frame(emptyImage(), 1), frame(person.image, 2)], { detector });
    expect(result.droppedFrames).to.deep.equal([1]);
    expect(result.frames.map((f) => [f.frameIndex, f.timestamp])).to.deep.equal([[0, 0], [2, 0.2]]);
  });

  it('detects frames of an async iterable as they arrive (capture and detection overlapped), with progress', async () => {
    const stream = createFrameStream();
    const progress: string[] = [];
    const detecting = detectPoses(stream, { detector, total: 3, onProgress: (p) => progress.push(`${p.done}/${p.total}`) });
    stream.push(frame(person.image, 0));
    await new Promise((r) => setTimeout(r, 20));
    stream.push(frame(emptyImage(), 1));
    stream.push(frame(person.image, 2));
    stream.end();
    const result = await detecting;
    expect(result.droppedFrames).to.deep.equal([1]);
    expect(result.frames.map((f) => f.frameIndex)).to.deep.equal([0, 2]);
    expect(progress).to.deep.equal(['1/3', '2/3', '3/3']);
    const failing = createFrameStream();
    failing.fail(new Error('decoder stuck'));
    let error: unknown;
    try {
      await detectPoses(failing, { detector });
    } catch (e) {
      error = e;
    }
    expect((error as Error)?.message).to.equal('decoder stuck');
  });

  it('runs end to end from a video file: WebM of the person → frames → keypoints', async () => {
    const webm = await recordStillWebm(person.image, 1.2);
    const { frames } = await extractVideoFrames(webm, { frameCount: 3 });
    expect([frames[0]!.image.width, frames[0]!.image.height]).to.deep.equal([person.image.width, person.image.height]);
    const difference = frames.map((f) => meanDifference(f.image, person.image));
    console.log(`pose: WebM ${webm.size} B, mean |decoded − rendered| per channel ${difference.map((d) => d.toFixed(1)).join(' ')}`);
    for (const d of difference) expect(d, 'mean difference of a decoded frame from the rendered image (8-bit steps)').to.be.below(8);
    const result = await detectPoses(frames, { detector });
    expect(result.droppedFrames).to.deep.equal([]);
    expect(result.frames.map((f) => f.frameIndex)).to.deep.equal([0, 1, 2]);
    const j = person.joints;
    for (const found of result.frames) {
      for (const [k, joint] of [[11, 16], [12, 17], [25, 4], [26, 5]]) {
        expect(Math.hypot(found.keypoints[k! * 3]! - j[joint! * 2]!, found.keypoints[k! * 3 + 1]! - j[joint! * 2 + 1]!), `landmark ${k}`).to.be.below(12);
      }
    }
  });

  it('independentFrames: a frame after another is detected as on a fresh detector, not tracked from the one before', async () => {
    // The person at the left of a wide image (A), then at its right (B): tracking would look for
    // B's person in A's region, find nobody there and return nothing (or a wrong pose).
    const [a, b] = [placedPerson(person.image, 'left'), placedPerson(person.image, 'right')];
    const fresh = await createPoseDetector({ baseUrl: BASE_URL, modelComplexity: 0 });
    try {
      const alone = await fresh.detect(b);
      expect(alone, 'B on a fresh detector').to.not.equal(null);
      // The case tells tracking apart: the tracking detector, having seen A, misses B's person.
      fresh.reset();
      expect(await fresh.detect(a), 'A').to.not.equal(null);
      const tracked = await fresh.detect(b);
      console.log(`pose: B after A, tracked: ${tracked ? `mean keypoint distance ${meanKeypointDistance(tracked, alone!).toFixed(1)} px` : 'no person'}`);
      expect(tracked === null || meanKeypointDistance(tracked, alone!) > 10, 'tracking from A changes B').to.equal(true);

      detector.reset();
      const first = await detector.detect(a);
      const second = await detector.detect(b);
      expect(first, 'A').to.not.equal(null);
      expect(second, 'B after A, independentFrames').to.not.equal(null);
      const keypointDistance = meanKeypointDistance(second!, alone!);
      let worldDistance = 0;
      for (let i = 0; i < alone!.worldLandmarks.length; i++) worldDistance = Math.max(worldDistance, Math.abs(second!.worldLandmarks[i]! - alone!.worldLandmarks[i]!));
      const iou = maskIoU(second!.mask!, alone!.mask!);
      console.log(`pose: B after A, independentFrames vs fresh: keypoints ${keypointDistance.toFixed(3)} px, world landmarks ≤ ${worldDistance.toFixed(4)}, mask IoU ${iou.toFixed(4)}`);
      expect(keypointDistance, 'mean keypoint distance (px)').to.be.below(0.5);
      expect(worldDistance, 'largest world-landmark difference (m, visibility)').to.be.below(0.01);
      expect(iou, 'mask IoU').to.be.above(0.98);
    } finally {
      await fresh.close();
    }
  });

  it('rejects an empty image with NoPersonFoundError', async () => {
    let error: unknown;
    try {
      await detectPoses([frame(emptyImage(), 0), frame(emptyImage(), 1)], { detector });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(NoPersonFoundError);
    expect((error as Error).message).to.match(/no person found in any of the 2 frame/);
  });

  it('rejects bad input, a base URL without MediaPipe\'s files, and honours an aborted signal', async () => {
    const bad: [unknown, unknown, RegExp, Function][] = [
      [[], {}, /^frames: expected a non-empty array/, AvatarInputError],
      [[{ index: 0, timestamp: 0, image: 'x' }], {}, /^frames\[0\]\.image: expected ImageData/, AvatarInputError],
      [[frame(emptyImage(), 0)], { signal: AbortSignal.abort() }, /aborted/, AbortError],
      [[frame(emptyImage(), 0)], { modelComplexity: 2 }, /^options\.modelComplexity: expected an integer in \[0, 1\]/, AvatarInputError],
      [[frame(emptyImage(), 0)], { minDetectionConfidence: NaN }, /^options\.minDetectionConfidence/, AvatarInputError],
    ];
    for (const [frames, options, message, type] of bad) {
      let error: unknown;
      try {
        await detectPoses(frames as CapturedFrame[], options as object);
      } catch (e) {
        error = e;
      }
      expect(error, String(message)).to.be.instanceOf(type);
      expect((error as Error).message).to.match(message);
    }
    let error: unknown;
    try {
      await createPoseDetector({ baseUrl: '/no-mediapipe-here/' });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(AvatarInputError);
    expect((error as Error).message).to.match(/^options\.baseUrl: MediaPipe Pose could not start from http:\/\/[^/]+\/no-mediapipe-here\//);
  });

  it('fetched MediaPipe\'s files from the base URL and made no request outside this origin', () => {
    expect(requests.some((url) => url.includes('/node_modules/@mediapipe/pose/pose_landmark_lite.tflite'))).to.equal(true);
    expect(requests.some((url) => url.includes('/node_modules/@mediapipe/pose/pose.js'))).to.equal(true);
    const foreign = requests.filter((url) => new URL(url).origin !== location.origin);
    expect(foreign, 'requests to other origins').to.deep.equal([]);
  });
});
