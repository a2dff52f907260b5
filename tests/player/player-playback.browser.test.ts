// Play / pause / seek semantics of the player's clock, on the main thread and in the worker:
// seek sets (clamps or wraps) the time, play advances it at playbackRate, pause stops it, the end
// of a non-looping motion fires pause + ended, and the frame on the canvas follows the time.
import { expect } from 'chai';
import { createPlayer, type Player, type PlayerEventDetail } from '../../src/player/create-player.js';
import { armsDownMotion, BACKGROUND, collectErrors, makeCanvas, nextEvent, sleep, smallAvatar } from './player-fixtures.js';

/** armsDownMotion: 20 frames at 10 fps. */
const DURATION = 2;

for (const worker of [false, true]) {
  describe(`player clock (${worker ? 'worker' : 'main thread'})`, () => {
    let player: Player;
    let errors: Error[];

    // One player per thread mode (creating one compiles every pipeline: slow on SwiftShader);
    // each test starts from the same state.
    before(async () => {
      const avatar = await smallAvatar();
      player = await createPlayer(makeCanvas(), { avatar, motion: armsDownMotion(), worker, autoplay: false, loop: false, background: BACKGROUND });
      errors = collectErrors(player);
      // The first frame compiles every pipeline (tens of seconds on a loaded SwiftShader), and a
      // main-thread player gets no animation frames while the GPU is busy: wait for it here.
      await player.testHooks.readPixels();
    });

    beforeEach(async () => {
      await player.pause();
      await player.setLoop(false);
      await player.setPlaybackRate(1);
      await player.loadMotion(armsDownMotion());
    });

    afterEach(() => {
      expect(errors.map(String), 'error events').to.deep.equal([]);
    });

    after(async () => {
      await player.destroy();
    });

    it('starts paused at 0 with duration = frameCount / fps, and seek sets a time that stays while paused', async () => {
      expect(player.thread).to.equal(worker ? 'worker' : 'main');
      expect(player.paused).to.equal(true);
      expect(player.loop).to.equal(false);
      expect(player.currentTime).to.equal(0);
      expect(player.duration).to.equal(DURATION);
      await player.seek(1.25);
      expect(player.currentTime).to.equal(1.25);
      await sleep(300);
      expect(player.currentTime).to.equal(1.25);
      expect(player.paused).to.equal(true);
    });

    it('paused, it draws a frame when something changes (a seek) and none of its own', async () => {
      await sleep(500); // a frame asked for before this test may still be drawn
      const idle = await player.testHooks.framesDrawn();
      await sleep(800);
      expect(await player.testHooks.framesDrawn(), 'frames drawn while paused, nothing changing').to.equal(idle);
      await player.seek(0.5);
      const start = performance.now();
      while ((await player.testHooks.framesDrawn()) === idle && performance.now() - start < 20_000) await sleep(50);
      expect(await player.testHooks.framesDrawn(), 'frames drawn after a seek').to.be.above(idle);
      await sleep(800);
      expect(await player.testHooks.framesDrawn(), 'frames drawn after the seek\'s frame').to.equal(idle + 1);
    });

    it('seek clamps without loop and wraps with loop', async () => {
      await player.seek(-1);
      expect(player.currentTime).to.equal(0);
      await player.seek(100);
      expect(player.currentTime).to.equal(DURATION);
      await player.setLoop(true);
      expect(player.loop).to.equal(true);
      await player.seek(2.5);
      expect(player.currentTime).to.be.closeTo(0.5, 1e-12);
      await player.seek(-0.5);
      expect(player.currentTime).to.be.closeTo(1.5, 1e-12);
    });

    it('play advances the time at playbackRate (timeupdate events), pause stops it', async () => {
      await player.setPlaybackRate(2);
      expect(player.playbackRate).to.equal(2);
      const updates: number[] = [];
      player.addEventListener('timeupdate', (e) => updates.push((e as CustomEvent<PlayerEventDetail>).detail.state.currentTime));
      const t0 = performance.now();
      const ticking = nextEvent(player, 'timeupdate');
      await player.play();
      expect(player.paused).to.equal(false);
      await ticking;
      await sleep(300);
      await player.pause();
      const elapsed = (performance.now() - t0) / 1000;
      const t = player.currentTime;
      expect(t, 'time advanced').to.be.greaterThan(0);
      expect(t, `at most rate × wall time (${elapsed} s)`).to.be.at.most(2 * elapsed + 1e-9);
      expect(updates.length, 'timeupdate events').to.be.greaterThan(0);
      for (let i = 1; i < updates.length; i++) expect(updates[i]).to.be.at.least(updates[i - 1]);
      await sleep(300);
      expect(player.currentTime, 'paused time stays').to.equal(t);
      expect(player.paused).to.equal(true);
    });

    it('a non-looping motion ends: pause then ended at currentTime = duration; play() starts over', async () => {
      await player.setPlaybackRate(4);
      await player.seek(1.6);
      const order: string[] = [];
      player.addEventListener('pause', () => order.push('pause'));
      const ended = nextEvent(player, 'ended', 30000).then(() => order.push('ended'));
      await player.play();
      await ended;
      expect(order).to.deep.equal(['pause', 'ended']);
      expect(player.paused).to.equal(true);
      expect(player.currentTime).to.equal(DURATION);
      await player.play();
      expect(player.currentTime, 'restarted').to.be.lessThan(0.5);
      await player.pause();
    });

    it('a looping motion wraps around instead of ending', async () => {
      await player.setLoop(true);
      await player.setPlaybackRate(4);
      await player.seek(1.9);
      let ended = false;
      player.addEventListener('ended', () => (ended = true));
      await player.play();
      // Wait until the clock has wrapped (time below where it started), at most 10 s.
      const start = performance.now();
      while (player.currentTime >= 1.9 && performance.now() - start < 10000) await sleep(50);
      await player.pause();
      expect(player.currentTime).to.be.lessThan(1.9);
      expect(player.currentTime).to.be.at.least(0);
      expect(ended).to.equal(false);
    });

    it('the canvas shows the pose of the current time (same time → same pixels, other time → other pixels)', async () => {
      await player.seek(0);
      const a = await player.testHooks.readPixels();
      await player.seek(1.9);
      const b = await player.testHooks.readPixels();
      await player.seek(0);
      const again = await player.testHooks.readPixels();
      expect(Array.from(again.data)).to.deep.equal(Array.from(a.data));
      let differing = 0;
      for (let i = 0; i < a.data.length; i += 4) if (a.data[i] !== b.data[i] || a.data[i + 1] !== b.data[i + 1] || a.data[i + 2] !== b.data[i + 2]) differing++;
      expect(differing, 'pixels that changed between t = 0 and t = 1.9').to.be.greaterThan(200);
    });

    it('loadMotion restarts at 0 with the new duration; resize changes the canvas size (× devicePixelRatio)', async () => {
      await player.seek(1);
      const m = armsDownMotion();
      const changed = nextEvent(player, 'motionchange');
      await player.loadMotion({ ...m, fps: 20 });
      await changed;
      expect(player.currentTime).to.equal(0);
      expect(player.duration).to.equal(1);
      await player.resize(40, 30, 1.5);
      expect([player.state.width, player.state.height]).to.deep.equal([60, 45]);
      const pixels = await player.testHooks.readPixels();
      expect([pixels.width, pixels.height]).to.deep.equal([60, 45]);
    });
  });
}

describe('player defaults', () => {
  it('plays the default idle motion (4 s, looping, autoplay) when none is given', async () => {
    const avatar = await smallAvatar();
    const player = await createPlayer(makeCanvas(), { avatar, worker: false });
    try {
      expect(player.duration).to.equal(4);
      expect(player.loop).to.equal(true);
      expect(player.paused).to.equal(false);
      await nextEvent(player, 'timeupdate');
    } finally {
      await player.destroy();
    }
  });
});
