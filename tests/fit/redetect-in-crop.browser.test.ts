// redetectMissedFrames: frames where the detector found nobody are looked at again inside the box
// around the person in the other frames; what it finds there is moved back into the whole frame.
// The stand-in detector finds a white rectangle only when it is at least a third of the image's
// height (as MediaPipe misses a person who is small in the frame) and reports its centre as
// keypoint 0 and its pixels as the mask.
import { expect } from 'chai';
import type { PoseDetector } from '../../src/capture/mediapipe-pose.js';
import type { CapturedFrame, PoseDetections, PoseFrame } from '../../src/capture/types.js';
import { uncropPoseFrame } from '../../src/fit/person-crop.js';
import { redetectMissedFrames } from '../../src/fit/redetect-in-crop.js';

const W = 96, H = 64;
type Rect = [number, number, number, number]; // x0, y0, x1, y1 (exclusive)

function frameWith(index: number, rect: Rect | null): CapturedFrame {
  const image = new ImageData(W, H);
  for (let p = 0; p < W * H; p++) image.data.set([40, 40, 40, 255], 4 * p);
  if (rect) for (let y = rect[1]; y < rect[3]; y++) for (let x = rect[0]; x < rect[2]; x++) image.data.set([255, 255, 255, 255], 4 * (y * W + x));
  return { index, timestamp: index / 10, image };
}

/** The detection of `rect` in an image of width × height, as the stand-in detector reports it. */
function detection(frameIndex: number, rect: Rect, width = W, height = H): PoseFrame {
  const keypoints = new Float32Array(33 * 3);
  keypoints.set([(rect[0] + rect[2]) / 2, (rect[1] + rect[3]) / 2, 1], 0);
  const mask = new Uint8Array(width * height);
  for (let y = rect[1]; y < rect[3]; y++) mask.fill(255, y * width + rect[0], y * width + rect[2]);
  return { frameIndex, timestamp: frameIndex / 10, width, height, keypoints, worldLandmarks: new Float32Array(33 * 4), mask };
}

function standInDetector(): PoseDetector & { calls: number; resets: number } {
  return {
    calls: 0,
    resets: 0,
    async detect(image, frame) {
      this.calls++;
      const { width, height, data } = image as ImageData;
      let x0 = width, y0 = height, x1 = -1, y1 = -1;
      for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
        if (data[4 * (y * width + x)]! < 200) continue;
        x0 = Math.min(x0, x); y0 = Math.min(y0, y); x1 = Math.max(x1, x + 1); y1 = Math.max(y1, y + 1);
      }
      if (x1 < 0 || (y1 - y0) * 3 < height) return null;
      return detection(frame?.frameIndex ?? 0, [x0, y0, x1, y1], width, height);
    },
    reset() {
      this.resets++;
    },
    async close() {},
  };
}

describe('redetectMissedFrames', () => {
  // The person (10 × 18 px in a 64 px high frame: too small for the stand-in) moves a little.
  const rects: Rect[] = [[40, 20, 50, 38], [43, 21, 53, 39], [46, 20, 56, 38]];
  const captured = new Map(rects.map((r, i) => [i, frameWith(i, r)]));

  it('finds the person in a dropped frame inside the box of the others, in whole-frame pixels', async () => {
    const detector = standInDetector();
    expect(await detector.detect(captured.get(1)!.image, { frameIndex: 1 }), 'the whole frame: missed').to.equal(null);
    detector.calls = 0;
    const first: PoseDetections = { frames: [detection(0, rects[0]!), detection(2, rects[2]!)], droppedFrames: [1] };
    const result = await redetectMissedFrames(captured, first, detector);
    expect(detector.calls).to.equal(1);
    expect(detector.resets, 'searched from scratch').to.equal(1);
    expect(result.droppedFrames).to.deep.equal([]);
    expect(result.frames.map((f) => f.frameIndex)).to.deep.equal([0, 1, 2]);
    const found = result.frames[1]!;
    expect([found.width, found.height]).to.deep.equal([W, H]);
    expect(Array.from(found.keypoints.subarray(0, 3))).to.deep.equal([48, 30, 1]);
    expect(Array.from(found.mask!)).to.deep.equal(Array.from(detection(1, rects[1]!).mask!));
    expect(found.timestamp).to.equal(0.1);
  });

  it('leaves a frame dropped when the second look finds nobody either', async () => {
    const withEmpty = new Map(captured);
    withEmpty.set(1, frameWith(1, null));
    const first: PoseDetections = { frames: [detection(0, rects[0]!), detection(2, rects[2]!)], droppedFrames: [1] };
    const result = await redetectMissedFrames(withEmpty, first, standInDetector());
    expect(result.droppedFrames).to.deep.equal([1]);
    expect(result.frames.map((f) => f.frameIndex)).to.deep.equal([0, 2]);
  });

  it('does not look again when nothing was dropped, nobody was found, or the person fills the frame', async () => {
    const detector = standInDetector();
    const none: PoseDetections = { frames: [detection(0, rects[0]!)], droppedFrames: [] };
    expect(await redetectMissedFrames(captured, none, detector)).to.equal(none);
    const nobody: PoseDetections = { frames: [], droppedFrames: [0, 1, 2] };
    expect(await redetectMissedFrames(captured, nobody, detector)).to.equal(nobody);
    const large: PoseDetections = { frames: [detection(0, [2, 2, 94, 62])], droppedFrames: [1] };
    expect(await redetectMissedFrames(captured, large, detector)).to.equal(large);
    expect(detector.calls).to.equal(0);
  });

  it('uncropPoseFrame moves keypoints by the box and pads the mask with background', () => {
    const inBox = detection(3, [1, 2, 3, 5], 4, 6);
    const back = uncropPoseFrame(inBox, { x: 10, y: 20, width: 4, height: 6 }, 32, 32);
    expect(Array.from(back.keypoints.subarray(0, 2))).to.deep.equal([12, 23.5]);
    let person = 0;
    back.mask!.forEach((v, p) => {
      if (v === 0) return;
      person++;
      const x = p % 32, y = Math.floor(p / 32);
      expect(x >= 11 && x < 13 && y >= 22 && y < 25, `mask pixel (${x}, ${y})`).to.equal(true);
    });
    expect(person).to.equal(6);
  });
});
