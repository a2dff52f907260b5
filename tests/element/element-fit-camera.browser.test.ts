// <gaussian-avatar mode="fit"> recording from a camera: Chromium's fake camera (this file's name
// puts it in web-test-runner's fake-camera group, whose camera plays build/fake-camera.y4m from
// tests/helpers/y4m.ts: solid colours, no person). Record → the panel's preview plays the camera
// → Stop → the recording is fitted: its frames (the camera's colours, in time order) reach the
// keypoint stage, where no person is found, so the fit ends with the "no person found" message and
// a NoPersonFoundError event; the camera is closed and Record is offered again. A person in front of
// the camera is tested with video files (element-fit-mode, fit-from-video), not here.
import { expect } from 'chai';
import '../../components/index.js';
import type { GaussianAvatarElement } from '../../components/gaussian-avatar.js';
import { createPoseDetector, type PoseDetector } from '../../src/capture/mediapipe-pose.js';
import type { PoseInputImage } from '../../src/capture/mediapipe-pose.js';
import { NoPersonFoundError } from '../../src/errors.js';
import type { FitFromVideoProgress } from '../../src/fit/fit-from-video.js';
import { getTestDevice } from '../helpers/gpu-device.js';
import { FAKE_CAMERA } from '../helpers/y4m.js';
import { makeElement, until } from './element-fixtures.js';

const BASE_URL = '/node_modules/@mediapipe/pose/';
const FRAMES = 3;

function part(el: GaussianAvatarElement, name: string): HTMLElement | null {
  return el.shadowRoot!.querySelector(`[part~="${name}"]`);
}

/** Distance (max channel difference) from the centre pixel of `source` to the nearest fake camera colour. */
function distanceToCameraColours(source: CanvasImageSource, width: number, height: number): number {
  const canvas = Object.assign(document.createElement('canvas'), { width, height });
  const context = canvas.getContext('2d', { willReadFrequently: true })!;
  context.drawImage(source, 0, 0, width, height);
  const centre = context.getImageData(width >> 1, height >> 1, 1, 1).data;
  return Math.min(...FAKE_CAMERA.colours.map((c) => Math.max(...c.map((v, i) => Math.abs(v - centre[i]!)))));
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('<gaussian-avatar mode="fit"> with a camera (fake camera)', () => {
  let device: GPUDevice;
  let detector: PoseDetector;

  before(async () => {
    device = await getTestDevice();
    detector = await createPoseDetector({ baseUrl: BASE_URL, modelComplexity: 0, independentFrames: true });
  });
  after(async () => {
    await detector?.close();
  });

  it('records from the camera with a live preview, and Stop fits the recording: its frames reach keypoints, where no person is found', async () => {
    // The detector the fit uses, watched: the frames it is given are the recording's.
    const detected: { image: ImageData; timestamp: number; playing: boolean }[] = [];
    const watched: PoseDetector = {
      detect: (image: PoseInputImage, frame) => {
        detected.push({ image: image as ImageData, timestamp: frame?.timestamp ?? NaN, playing: !el.paused });
        return detector.detect(image, frame);
      },
      reset: () => detector.reset(),
      close: async () => undefined,
    };
    const el = makeElement({ mode: 'fit', autoplay: '', loop: '' });
    el.style.width = '240px';
    el.style.height = '420px';
    el.fitOptions = {
      frameCount: FRAMES, maxSize: 64, fitIterations: 120, resolution: 32, stage1Iterations: 12, stage2Iterations: 4, device, detector: watched,
    };
    const errors: Error[] = [];
    el.addEventListener('error', (e) => {
      e.preventDefault();
      errors.push((e as unknown as CustomEvent).detail.error);
    });
    const progress: FitFromVideoProgress[] = [];
    el.addEventListener('fitprogress', (e) => progress.push((e as CustomEvent<FitFromVideoProgress>).detail));
    document.body.append(el);
    try {
      await el.updateComplete;
      // The default avatar dances behind the panel until the recording starts.
      await until(() => !el.paused, 'the avatar playing before the recording', 120_000);
      const recordClicked = performance.now();
      part(el, 'fit-record')!.click();
      await until(() => part(el, 'fit-stop') !== null, 'the Stop button (recording)', 20_000);

      // The preview: the panel's video plays the camera's stream, showing its colours.
      const preview = el.shadowRoot!.querySelector('video')!;
      expect(preview !== null, 'preview video in the panel').to.equal(true);
      const stream = preview.srcObject as MediaStream;
      expect(stream).to.be.instanceOf(MediaStream);
      expect(stream.getVideoTracks().map((t) => t.readyState)).to.deep.equal(['live']);
      await until(() => preview.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && !preview.paused, 'the preview playing', 20_000);
      expect(distanceToCameraColours(preview, 16, 12), 'preview centre vs the camera clip\'s colours').to.be.below(40);
      expect(part(el, 'fit-cancel') !== null, 'Cancel offered while recording').to.equal(true);
      // (Booleans, not elements, in expectations: a failing one's DOM node does not serialise well.)
      expect(part(el, 'fit-preview') === null, 'no training preview while recording (there is none yet)').to.equal(true);

      // The avatar behind the panel is paused while recording (no GPU work beside capture).
      expect(el.paused, 'avatar paused while recording').to.equal(true);

      await sleep(1500); // a recording of ~1.5 s (15 camera frames at the fake camera's 10 fps)
      const recordingSeconds = (performance.now() - recordClicked) / 1000;
      part(el, 'fit-stop')!.click();
      // ~0.2 s a MediaPipe call on SwiftShader beside a paused player (2–30 s when a paused player kept redrawing): a margin of many times.
      await until(() => errors.length > 0, 'the fit of the recording to end', 90_000);
      await el.updateComplete;
      // Paused while MediaPipe ran; after the fit the avatar plays again if it played before.
      expect(detected.map((d) => d.playing), 'avatar playing during each keypoint call').to.deep.equal(detected.map(() => false));
      await until(() => !el.paused, 'the avatar playing again after the fit', 30_000);

      // The camera is closed and the panel is back to Record.
      expect(stream.getTracks().every((t) => t.readyState === 'ended'), 'camera tracks stopped').to.equal(true);
      expect(el.shadowRoot!.querySelector('video') === null, 'preview gone').to.equal(true);
      expect(part(el, 'fit-record')?.hasAttribute('disabled')).to.equal(false);

      // The recording was decoded into FRAMES frames of the camera's clip, in time order, and each went to the detector.
      console.log(`camera fit: ${detected.length} frames detected, timestamps ${detected.map((d) => d.timestamp.toFixed(3)).join(' ')} s, colour distances ${detected.map((d) => distanceToCameraColours(imageCanvas(d.image), d.image.width, d.image.height)).join(' ')}`);
      expect(progress.filter((p) => p.phase === 'capture').at(-1)?.fraction).to.equal(1);
      expect(progress.filter((p) => p.phase === 'keypoints').at(-1)?.fraction).to.equal(1);
      expect(progress.some((p) => p.phase === 'body-fit'), 'no body fit without a person').to.equal(false);
      expect(detected).to.have.length(FRAMES);
      for (const [i, d] of detected.entries()) {
        expect([d.image.width, d.image.height], `frame ${i} size`).to.deep.equal([64, 48]);
        expect(distanceToCameraColours(imageCanvas(d.image), d.image.width, d.image.height), `frame ${i}: centre vs the camera clip's colours`).to.be.below(40);
        // Presentation times of the decoded frames: two samples may show the same recorded frame
        // when the recorder got few frames (a busy machine), never an earlier one.
        if (i > 0) expect(d.timestamp, `frame ${i} timestamp`).to.be.at.least(detected[i - 1]!.timestamp);
      }
      // Record → Stop took recordingSeconds of wall time (the preview's start-up included).
      expect(detected.at(-1)!.timestamp, `last frame time (s): within the ${recordingSeconds.toFixed(1)} s recording`).to.be.within(0, recordingSeconds + 0.5);

      // The outcome: no person, said in the panel and fired as a typed error.
      expect(errors.map((e) => e.constructor)).to.deep.equal([NoPersonFoundError]);
      expect(errors[0]!.message).to.match(new RegExp(`^frames: a person was found in 0 of ${FRAMES} frame\\(s\\)`));
      expect(part(el, 'fit-message')?.textContent).to.match(new RegExp(`^No person found in enough frames: frames: a person was found in 0 of ${FRAMES} frame\\(s\\)`));
      expect(el.fitResult === null, 'no fit result').to.equal(true);
    } finally {
      el.remove();
    }
  });
});

/** `image` on a canvas (to draw it like a video frame). */
function imageCanvas(image: ImageData): HTMLCanvasElement {
  const canvas = Object.assign(document.createElement('canvas'), { width: image.width, height: image.height });
  canvas.getContext('2d')!.putImageData(image, 0, 0);
  return canvas;
}
