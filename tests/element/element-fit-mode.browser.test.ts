// <gaussian-avatar mode="fit">: the panel (guide, record, file picker, one progress bar per phase,
// the fit's size and time left, loss plot), a real fit from a tiny WebM of the rendered default avatar (progress events, the
// loss plot drawn, fitcomplete with the avatar, Save / Download motion / Play — the new avatar
// under the fitted motion, playing), and errors shown as a message and
// fired as typed 'error' events: no person in the clip, camera permission denied (getUserMedia
// replaced by one that rejects with NotAllowedError, as a browser does), a cancelled fit.
import { expect } from 'chai';
import '../../components/index.js';
import type { GaussianAvatarElement } from '../../components/gaussian-avatar.js';
import { FIT_GUIDE } from '../../components/features/fit-mode.js';
import { AbortError, CameraAccessError, NoPersonFoundError } from '../../src/errors.js';
import type { FitFromVideoProgress } from '../../src/fit/fit-from-video.js';
import { emptyImage, renderPerson } from '../capture/person-image.js';
import { getTestDevice } from '../helpers/gpu-device.js';
import { recordStillWebm } from '../helpers/still-webm.js';
import { makeElement, until } from './element-fixtures.js';

const BASE_URL = '/node_modules/@mediapipe/pose/';

function part(el: GaussianAvatarElement, name: string): HTMLElement | null {
  return el.shadowRoot!.querySelector(`[part~="${name}"]`);
}

/** Number of pixels of `canvas` that are not fully transparent. */
function drawnPixels(canvas: HTMLCanvasElement): number {
  const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
  let n = 0;
  for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) n++;
  return n;
}

describe('<gaussian-avatar mode="fit">', () => {
  let personClip: Blob;
  let emptyClip: Blob;
  let device: GPUDevice;

  before(async () => {
    device = await getTestDevice();
    personClip = await recordStillWebm((await renderPerson(96, 128)).image, 1.2);
    emptyClip = await recordStillWebm(emptyImage(96, 128), 1.2);
  });

  function fitElement(): GaussianAvatarElement {
    const el = makeElement({ mode: 'fit' });
    el.style.width = '240px';
    el.style.height = '420px';
    el.fitOptions = {
      frameCount: 3, maxSize: 128, fitIterations: 120, resolution: 32, stage1Iterations: 12, stage2Iterations: 4, previewEvery: 6,
      device, poseDetector: { baseUrl: BASE_URL, modelComplexity: 0 },
    };
    el.addEventListener('error', (e) => e.preventDefault());
    document.body.append(el);
    return el;
  }

  it('shows the guide, record, file picker and a progress bar per phase only in fit mode', async () => {
    const el = fitElement();
    try {
      await el.updateComplete;
      expect(part(el, 'fit-guide')?.textContent).to.equal(FIT_GUIDE);
      expect(part(el, 'fit-record')?.textContent).to.equal('Record');
      expect(part(el, 'fit-file')?.getAttribute('type')).to.equal('file');
      const bars = [...el.shadowRoot!.querySelectorAll('[part~="fit-progress"]')].map((b) => b.getAttribute('data-phase'));
      expect(bars).to.deep.equal(['capture', 'keypoints', 'body-fit', 'stage1', 'stage2']);
      el.mode = 'playback';
      await el.updateComplete;
      expect(part(el, 'fit-panel') === null, 'no fit panel in playback mode').to.equal(true); // a boolean: a failing DOM node does not serialise well
    } finally {
      el.remove();
    }
  });

  it('fits a clip: fitprogress per phase, bars filled, loss plotted, fitcomplete with the avatar, Play switches to playback', async () => {
    const el = fitElement();
    const progress: FitFromVideoProgress[] = [];
    el.addEventListener('fitprogress', (e) => progress.push((e as CustomEvent<FitFromVideoProgress>).detail));
    const complete = new Promise<CustomEvent>((resolve) => el.addEventListener('fitcomplete', (e) => resolve(e as CustomEvent), { once: true }));
    try {
      await el.updateComplete;
      const result = await el.fitFromFile(personClip);
      const event = await complete;
      expect(event.detail.avatar).to.equal(result.avatar);
      expect(el.fitResult).to.equal(result);
      expect(new Set(progress.map((p) => p.phase))).to.deep.equal(new Set(['capture', 'keypoints', 'body-fit', 'preview', 'stage1', 'stage2']));
      await el.updateComplete;
      // The coverage report: the front-facing clip never shows the back; the panel and fitcomplete say so.
      expect(event.detail.coverage).to.equal(result.coverage);
      expect(result.coverage!.summary).to.match(/^Never seen: .*back/);
      expect(part(el, 'fit-coverage')?.textContent).to.equal(result.coverage!.summary);
      // The fit's size (the options given; the preset for this adapter fills nothing here) and, while training, the time left.
      const presetName = result.settings.preset === 'light' ? 'Light fit' : 'Full fit';
      expect(part(el, 'fit-status')?.textContent).to.equal(`${presetName}: 3 frames at 128 px, 12 + 4 training iterations`);
      const stage1Left = progress.find((p) => p.phase === 'stage1' && p.secondsLeft !== undefined)?.secondsLeft;
      expect(stage1Left, 'stage 1 progress says how long training has left').to.be.a('number').and.be.above(0);
      for (const bar of el.shadowRoot!.querySelectorAll<HTMLProgressElement>('[part~="fit-progress"]')) {
        expect(bar.value, `progress bar ${bar.getAttribute('data-phase')}`).to.equal(1);
      }
      expect(drawnPixels(part(el, 'fit-loss') as HTMLCanvasElement), 'loss plot pixels').to.be.above(10);
      expect(drawnPixels(part(el, 'fit-preview') as HTMLCanvasElement), 'preview pixels').to.be.above(10);
      expect(part(el, 'fit-save')?.textContent).to.equal('Save avatar');
      expect(part(el, 'fit-save-motion')?.textContent).to.equal('Download motion');
      const loaded = new Promise((resolve) => el.addEventListener('load', resolve, { once: true }));
      part(el, 'fit-play')!.click();
      await loaded;
      expect(el.mode).to.equal('playback');
      expect(el.avatar).to.equal(result.avatar);
      // …under the fitted motion, and playing it in a loop (not paused): time moves.
      await until(() => Math.abs(el.duration - result.motion.frameCount / result.motion.fps) < 1e-9, `the fitted motion's duration (${el.duration} s)`, 30000);
      expect(el.loop).to.equal(true);
      await until(() => !el.paused && el.currentTime > 0, `playback to run (paused ${el.paused}, t = ${el.currentTime})`, 30000);
      expect(part(el, 'fit-panel') === null, 'no fit panel in playback mode').to.equal(true); // a boolean: a failing DOM node does not serialise well
    } finally {
      el.remove();
    }
  });

  it('no person in the clip: a message in the panel and a NoPersonFoundError event', async () => {
    const el = fitElement();
    const errors: Error[] = [];
    el.addEventListener('error', (e) => errors.push((e as unknown as CustomEvent).detail.error));
    try {
      await el.updateComplete;
      let rejected: unknown;
      await el.fitFromFile(emptyClip).catch((e) => (rejected = e));
      expect(rejected).to.be.instanceOf(NoPersonFoundError);
      expect(errors.map((e) => e.constructor)).to.deep.equal([NoPersonFoundError]);
      await el.updateComplete;
      expect(part(el, 'fit-message')?.textContent).to.match(/^No person found in enough frames: frames: a person was found in 0 of 3 frame\(s\)/);
      expect(part(el, 'fit-record')?.hasAttribute('disabled')).to.equal(false);
    } finally {
      el.remove();
    }
  });

  it('camera permission denied: a message and a CameraAccessError event; a cancelled fit: AbortError', async () => {
    const el = fitElement();
    const errors: Error[] = [];
    el.addEventListener('error', (e) => errors.push((e as unknown as CustomEvent).detail.error));
    const original = navigator.mediaDevices.getUserMedia;
    navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));
    try {
      await el.updateComplete;
      part(el, 'fit-record')!.click();
      await until(() => errors.length === 1, 'the camera error');
      expect(errors[0]).to.be.instanceOf(CameraAccessError);
      expect(errors[0]!.message).to.equal('camera: permission denied');
      await el.updateComplete;
      expect(part(el, 'fit-message')?.textContent).to.match(/^The camera is unavailable: camera: permission denied\. Allow camera access/);
      const fit = el.fitFromFile(personClip);
      await el.updateComplete;
      (part(el, 'fit-cancel') as HTMLButtonElement).click();
      let rejected: unknown;
      await fit.catch((e) => (rejected = e));
      expect(rejected).to.be.instanceOf(AbortError);
      await el.updateComplete;
      expect(part(el, 'fit-message')?.textContent).to.equal('Fitting was cancelled.');
      expect(errors.length, 'a cancel fires no error event').to.equal(1);
    } finally {
      navigator.mediaDevices.getUserMedia = original;
      el.remove();
    }
  });
});
