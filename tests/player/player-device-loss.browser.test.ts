// GPU device loss: destroying the player's device (as a lost GPU would) fires 'devicelost' with a
// GpuDeviceError, then the player gets a new device, uploads the same avatar, keeps the time, fires
// 'recovered' and draws the body again — on the main thread and in the worker. Lost while playing,
// the clock holds through the recovery and frames come at the old rate again at once (the new
// device's first frame, which compiles its pipelines, is drawn before 'recovered').
import { expect } from 'chai';
import { GpuDeviceError } from '../../src/errors.js';
import { createPlayer, type PlayerEventDetail } from '../../src/player/create-player.js';
import { armsDownMotion, BACKGROUND, countForeground, makeCanvas, nextEvent, silhouetteBox, sleep, smallAvatar, splatMargin } from './player-fixtures.js';

for (const worker of [false, true]) {
  describe(`player device loss (${worker ? 'worker' : 'main thread'})`, () => {
    it('recovers: same avatar, same time, frames render again, playback continues', async () => {
      const avatar = await smallAvatar();
      const motion = armsDownMotion();
      const player = await createPlayer(makeCanvas(), { avatar, motion, worker, autoplay: false, loop: false, background: BACKGROUND });
      const errors: unknown[] = [];
      player.addEventListener('error', (e) => {
        errors.push((e as CustomEvent<PlayerEventDetail>).detail.error);
        e.preventDefault();
      });
      try {
        await player.seek(1.3);
        const before = countForeground(await player.testHooks.readPixels(), [0, 0, -1, -1]).outside;
        expect(before, 'avatar pixels before the loss').to.be.greaterThan(100);

        const lost = nextEvent<CustomEvent<PlayerEventDetail>>(player, 'devicelost');
        const recovered = nextEvent<CustomEvent<PlayerEventDetail>>(player, 'recovered');
        await player.testHooks.loseDevice();
        const lostError = (await lost).detail.error;
        expect(lostError).to.be.instanceOf(GpuDeviceError);
        expect(lostError!.message).to.match(/device lost/);
        await recovered;
        expect(player.currentTime, 'time kept').to.equal(1.3);
        expect(player.state.gaussianCount).to.equal(avatar.gaussians.count);

        const pixels = await player.testHooks.readPixels();
        const box = silhouetteBox(avatar, motion, player.state, splatMargin(avatar, player.state));
        const { inside, outside, boxArea } = countForeground(pixels, box);
        expect(outside, 'foreground outside the body box after recovery').to.equal(0);
        expect(inside / boxArea, 'body box filled after recovery').to.be.greaterThan(0.15);
        expect(inside, 'same amount of avatar as before').to.be.closeTo(before, before * 0.02);

        await player.play();
        await sleep(300);
        await player.pause();
        expect(player.currentTime, 'playback continues after recovery').to.be.greaterThan(1.3);
        expect(errors, 'error events').to.deep.equal([]);
      } finally {
        await player.destroy();
      }
    });

    it('lost while playing: the clock holds, and frames come at the old rate right after recovering', async () => {
      const avatar = await smallAvatar();
      const motion = armsDownMotion(); // 2 s, looping
      const player = await createPlayer(makeCanvas(), { avatar, motion, worker, autoplay: false, loop: true, background: BACKGROUND });
      let timeupdates = 0;
      player.addEventListener('timeupdate', () => timeupdates++);
      const errors: unknown[] = [];
      player.addEventListener('error', (e) => {
        errors.push((e as CustomEvent<PlayerEventDetail>).detail.error);
        e.preventDefault();
      });
      const duration = motion.frameCount / motion.fps;
      const since = (a: number, b: number) => (((b - a) % duration) + duration) % duration; // looped time from a to b
      /** Drawn frames (the player's counter) and timeupdates per second over `ms`, and the media time that passed. */
      const measure = async (ms: number) => {
        const [frames0, updates0, time0, start] = [await player.testHooks.framesDrawn(), timeupdates, player.currentTime, performance.now()];
        await sleep(ms);
        const [frames1, updates1, time1] = [await player.testHooks.framesDrawn(), timeupdates, player.currentTime];
        const seconds = (performance.now() - start) / 1000;
        return { frames: frames1 - frames0, updates: updates1 - updates0, fps: (frames1 - frames0) / seconds, advanced: since(time0, time1), seconds };
      };
      try {
        await player.play();
        await sleep(500);
        const before = await measure(1500);
        expect(before.frames, 'frames drawn before the loss').to.be.greaterThan(5);
        expect(Math.abs(before.updates - before.frames), 'one timeupdate per drawn frame').to.be.at.most(2);

        const lost = nextEvent<CustomEvent<PlayerEventDetail>>(player, 'devicelost');
        const recovered = nextEvent<CustomEvent<PlayerEventDetail>>(player, 'recovered');
        const timeAtLoss = player.currentTime;
        await player.testHooks.loseDevice();
        const lostAt = (await lost).detail.state.currentTime;
        const recoveredAt = (await recovered).detail.state.currentTime;
        expect(recoveredAt, 'the clock held during the recovery').to.equal(lostAt);
        expect(since(timeAtLoss, recoveredAt), 'time at recovery vs. time at the loss').to.be.at.most(0.2);

        const after = await measure(1500); // shorter than the 2 s loop, so the media time that passed is unambiguous
        expect(after.fps, `drawn frames per second in the 1.5 s after recovering (${before.fps.toFixed(1)} before)`).to.be.at.least(before.fps * 0.5);
        expect(Math.abs(after.updates - after.frames), 'one timeupdate per drawn frame').to.be.at.most(2);
        expect(after.advanced, 'media time in 1.5 s of playback after recovering').to.be.closeTo(after.seconds, 0.3);
        expect(errors, 'error events').to.deep.equal([]);
      } finally {
        await player.destroy();
      }
    });
  });
}
