// Visibility: a player whose canvas is scrolled out of view, or whose page is hidden, draws nothing
// and its clock holds (currentTime stays, paused stays false, no timeupdate); seen again, it draws
// and plays on from the same time — on the main thread and in the worker. (A hidden page is
// simulated: document.visibilityState overridden and a 'visibilitychange' dispatched.)
import { expect } from 'chai';
import { createPlayer, type Player } from '../../src/player/create-player.js';
import { armsDownMotion, BACKGROUND, makeCanvas, nextEvent, sleep, smallAvatar } from './player-fixtures.js';

/** Time for the IntersectionObserver's report to reach the core (a frame or two, and a message). */
const SETTLE_MS = 500;

/** Hides the player (`hide`), checks that nothing is drawn and the time holds for 1 s, shows it again and checks that it plays on from there. */
async function checkHeldWhileUnseen(player: Player, hide: () => void, show: () => void): Promise<void> {
  let timeupdates = 0;
  player.addEventListener('timeupdate', () => timeupdates++);
  await nextEvent(player, 'timeupdate', 20000); // playing and drawing
  hide();
  await sleep(SETTLE_MS);
  const [frames0, updates0, time0] = [await player.testHooks.framesDrawn(), timeupdates, player.currentTime];
  await sleep(1000);
  expect(await player.testHooks.framesDrawn(), 'frames drawn while unseen').to.equal(frames0);
  expect(timeupdates, 'timeupdates while unseen').to.equal(updates0);
  expect(player.currentTime, 'the time held').to.equal(time0);
  expect(player.paused, 'still playing').to.equal(false);
  const resumed = nextEvent<CustomEvent>(player, 'timeupdate', 2000);
  show();
  const resumedAt = (await resumed).detail.state.currentTime;
  expect(resumedAt - time0, 'time of the first frame after coming back').to.be.within(0, 0.3);
  expect(await player.testHooks.framesDrawn()).to.be.greaterThan(frames0);
}

for (const worker of [false, true]) {
  describe(`player visibility (${worker ? 'worker' : 'main thread'})`, () => {
    it('scrolled out of view: no frames, the clock holds; back in view it plays on from there', async () => {
      const canvas = makeCanvas();
      // A 20 s motion, so the time checked never wraps.
      const motion = { ...armsDownMotion(), fps: 1 };
      const player = await createPlayer(canvas, { avatar: await smallAvatar(), motion, worker, autoplay: true, loop: true, background: BACKGROUND });
      try {
        await checkHeldWhileUnseen(
          player,
          () => Object.assign(canvas.style, { position: 'absolute', top: '-10000px' }),
          () => Object.assign(canvas.style, { position: '', top: '' }),
        );
      } finally {
        await player.destroy();
        canvas.remove();
      }
    });

    it('page hidden: no frames, the clock holds; shown again it plays on from there', async () => {
      const canvas = makeCanvas();
      const motion = { ...armsDownMotion(), fps: 1 };
      const player = await createPlayer(canvas, { avatar: await smallAvatar(), motion, worker, autoplay: true, loop: true, background: BACKGROUND });
      const setHidden = (hidden: boolean) => {
        if (hidden) Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => 'hidden' });
        else delete (document as { visibilityState?: unknown }).visibilityState; // back to the real getter
        document.dispatchEvent(new Event('visibilitychange'));
      };
      try {
        await checkHeldWhileUnseen(player, () => setHidden(true), () => setHidden(false));
      } finally {
        if (document.visibilityState === 'hidden') setHidden(false);
        await player.destroy();
        canvas.remove();
      }
    });
  });
}
