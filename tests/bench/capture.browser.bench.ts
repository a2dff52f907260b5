/// <reference types="mocha" />
/**
 * Capture speed: decoding frames from a WebM (encoded here, tests/helpers/still-webm.ts, 320×240, 2 s) by
 * seeking, per frame; and MediaPipe Pose per frame on the rendered default avatar (lite and full
 * models, CPU inference), after a warm-up frame. Printed with the browser's user agent; never
 * asserts speed.
 */
import { extractVideoFrames } from '../../src/capture/video-frames.js';
import { createPoseDetector } from '../../src/capture/mediapipe-pose.js';
import { renderPerson } from '../capture/person-image.js';
import { recordCanvasWebm } from '../helpers/still-webm.js';

function recordWebm(width: number, height: number, seconds: number): Promise<Blob> {
  return recordCanvasWebm(width, height, seconds, (context, t) => {
    context.fillStyle = `hsl(${(t * 180) % 360} 70% 50%)`;
    context.fillRect(0, 0, width, height);
    context.fillStyle = '#fff';
    context.fillRect(((t / seconds) * width) | 0, height / 4, 20, height / 2);
  }, 33);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

describe('capture bench', () => {
  it('prints decode and pose time per frame', async () => {
    const rows: string[] = [];
    const webm = await recordWebm(320, 240, 2);
    for (const frameCount of [10, 30]) {
      const t0 = performance.now();
      await extractVideoFrames(webm, { frameCount, maxSize: 256 });
      rows.push(`decode WebM 320×240 → ${frameCount} frames at 256 px | ${((performance.now() - t0) / frameCount).toFixed(1)} ms/frame`);
    }
    const person = await renderPerson(288, 384);
    for (const modelComplexity of [0, 1] as const) {
      const t0 = performance.now();
      const detector = await createPoseDetector({ baseUrl: '/node_modules/@mediapipe/pose/', modelComplexity });
      const init = performance.now() - t0;
      await detector.detect(person.image); // warm-up
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const s = performance.now();
        await detector.detect(person.image);
        times.push(performance.now() - s);
      }
      await detector.close();
      rows.push(`pose ${modelComplexity ? 'full' : 'lite'} 288×384 (CPU inference) | init ${init.toFixed(0)} ms, ${median(times).toFixed(0)} ms/frame (median of 5)`);
    }
    console.log(`capture bench — ${navigator.userAgent}\n${rows.join('\n')}`);
  });
});
