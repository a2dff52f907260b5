/// <reference types="mocha" />
/**
 * Many elements on one page: 1 and 6 `<gaussian-avatar>` elements play the same avatar (the
 * default body at UV resolution 128, ~10k Gaussians, 240×320 CSS px each, looping idle) at once.
 * Once every element has drawn a frame (the first one compiles the pipelines), and 2 s more, it
 * counts over a 6 s window, per element, the frames its player submitted
 * (test hook framesDrawn) and the `timeupdate` events it fired, and prints per case:
 *   workers started on the page (Worker constructor calls), ms from adding the elements to the
 *   last one's 'load' (start-up: workers, devices, avatar upload) and to every element's first
 *   drawn frame (plus pipeline compilation where 'load' does not wait for it), median ms per drawn frame per element
 *   (window / frames), frames drawn per second by all elements together, timeupdate events per
 *   second per element (median).
 * Never asserts speed.
 */
import '../../components/index.js';
import type { GaussianAvatarElement } from '../../components/gaussian-avatar.js';
import { $player } from '../../components/gaussian-avatar-base.js';
import { createDefaultAvatar } from '../../src/avatar/default-avatar.js';
import { getTestDevice } from '../helpers/gpu-device.js';
import { waitFor } from '../helpers/wait-for.js';
import { watchWorkers } from '../helpers/watch-workers.js';
import { adapterName } from './bench-helpers.js';

const COUNTS = [1, 6];
const WARM_UP_MS = 2000;
const WINDOW_MS = 6000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('shared rendering benchmark', () => {
  it('prints frame times with 1 and 6 playing elements', async () => {
    const name = adapterName(await getTestDevice());
    const avatar = await createDefaultAvatar({ resolution: 128 });
    const out = [
      `Many elements on ${name}: ${avatar.gaussians.count.toLocaleString('en-US')} Gaussians, 240×320 CSS px each, ${WINDOW_MS / 1000} s window from ${WARM_UP_MS / 1000} s after every element's first frame`,
      '| elements | workers | ms until all loaded | ms until all drew a frame | ms per drawn frame (median element) | frames/s, all elements | timeupdate/s per element |',
      '|---|---|---|---|---|---|---|',
    ];
    for (const n of COUNTS) {
      const workers = watchWorkers();
      const elements: GaussianAvatarElement[] = [];
      try {
        const loaded: Promise<unknown>[] = [];
        const appended = performance.now();
        for (let i = 0; i < n; i++) {
          const el = document.createElement('gaussian-avatar');
          el.style.width = '240px';
          el.style.height = '320px';
          el.setAttribute('loop', '');
          el.avatar = avatar;
          loaded.push(new Promise((resolve, reject) => {
            el.addEventListener('load', resolve, { once: true });
            el.addEventListener('error', (e) => reject((e as unknown as CustomEvent).detail.error), { once: true });
          }));
          elements.push(el);
          document.body.append(el);
        }
        await Promise.all(loaded);
        const loadMs = performance.now() - appended;
        await Promise.all(elements.map((el) => el.play()));
        // The first frame on a device compiles the pipelines (seconds here): timing starts after every element has drawn.
        const drawnAtPlay = await Promise.all(elements.map((el) => el[$player]!.testHooks.framesDrawn()));
        await waitFor(async () => (await Promise.all(elements.map((el) => el[$player]!.testHooks.framesDrawn()))).every((f, k) => f > drawnAtPlay[k]), 'a frame from every element', 600000);
        const drewMs = performance.now() - appended;
        await sleep(WARM_UP_MS);
        const updates = elements.map(() => 0);
        elements.forEach((el, k) => el.addEventListener('timeupdate', () => updates[k]++));
        const framesAt = () => Promise.all(elements.map((el) => el[$player]!.testHooks.framesDrawn()));
        const before = await framesAt();
        const t0 = performance.now();
        await sleep(WINDOW_MS);
        const after = await framesAt();
        const seconds = (performance.now() - t0) / 1000;
        const drawn = after.map((f, k) => f - before[k]);
        const msPerFrame = median(drawn.map((f) => (f > 0 ? (1000 * seconds) / f : Infinity)));
        const total = drawn.reduce((a, b) => a + b, 0) / seconds;
        out.push(`| ${n} | ${workers.created} | ${loadMs.toFixed(0)} | ${drewMs.toFixed(0)} | ${msPerFrame.toFixed(1)} | ${total.toFixed(1)} | ${median(updates.map((u) => u / seconds)).toFixed(1)} |`);
      } finally {
        workers.restore();
        for (const el of elements) el.remove();
        await sleep(500); // the players release their devices
      }
    }
    avatar.body.dispose();
    console.log(out.join('\n'));
  });
});
