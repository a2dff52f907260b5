// Which thread renders: a worker where the page can hand the canvas over (auto), the main thread
// where it cannot (no transferControlToOffscreen here, simulated), and a typed error when a worker
// is required but impossible.
import { expect } from 'chai';
import { WebGPUUnavailableError } from '../../src/errors.js';
import { createPlayer } from '../../src/player/create-player.js';
import { armsDownMotion, BACKGROUND, countForeground, makeCanvas, smallAvatar } from './player-fixtures.js';

/** A canvas that, like one in a browser without OffscreenCanvas, cannot be transferred to a worker. */
function untransferableCanvas(): HTMLCanvasElement {
  const canvas = makeCanvas();
  Object.defineProperty(canvas, 'transferControlToOffscreen', { value: undefined });
  return canvas;
}

describe('player thread choice', () => {
  it('auto: renders in a worker when it can', async () => {
    const player = await createPlayer(makeCanvas(), { avatar: await smallAvatar(), motion: armsDownMotion(), autoplay: false });
    try {
      expect(player.thread).to.equal('worker');
    } finally {
      await player.destroy();
    }
  });

  it('auto: falls back to the main thread when the canvas cannot go to a worker, and draws there', async () => {
    const player = await createPlayer(untransferableCanvas(), { avatar: await smallAvatar(), motion: armsDownMotion(), autoplay: false, background: BACKGROUND });
    try {
      expect(player.thread).to.equal('main');
      expect(player.renderFallback, 'why (also in the renderfallback event)').to.equal('canvas.transferControlToOffscreen is not available');
      const pixels = await player.testHooks.readPixels();
      expect(countForeground(pixels, [0, 0, -1, -1]).outside, 'avatar pixels').to.be.greaterThan(100);
    } finally {
      await player.destroy();
    }
  });

  it('worker: true where no worker can render rejects with WebGPUUnavailableError', async () => {
    let caught: unknown;
    try {
      await createPlayer(untransferableCanvas(), { avatar: await smallAvatar(), worker: true });
    } catch (e) {
      caught = e;
    }
    expect(caught).to.be.instanceOf(WebGPUUnavailableError);
    expect((caught as Error).message).to.match(/^options\.worker: .*transferControlToOffscreen/);
  });
});
