// GPU device loss: destroying the player's device (as a lost GPU would) fires 'devicelost' with a
// GpuDeviceError, then the player gets a new device, uploads the same avatar, keeps the time, fires
// 'recovered' and draws the body again — on the main thread and in the worker.
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
  });
}
