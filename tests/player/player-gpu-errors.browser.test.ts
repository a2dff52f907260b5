// GPU errors on a shared device are reported by the player that caused them, not by every player
// drawing with that device: each player's GPU work runs in its own error scopes
// (src/gpu/error-scope.ts). The player at fault gets one typed 'error' event and goes on drawing.
import { expect } from 'chai';
import { GpuDeviceError } from '../../src/errors.js';
import { createPlayer, type Player } from '../../src/player/create-player.js';
import { waitFor } from '../helpers/wait-for.js';
import { armsDownMotion, BACKGROUND, collectErrors, countForeground, makeCanvas, sleep, smallAvatar } from './player-fixtures.js';

for (const worker of [false, true]) {
  describe(`GPU errors on a shared device (${worker ? 'worker' : 'main thread'})`, () => {
    it('only the player that caused the error reports it, once, and it keeps drawing', async () => {
      const avatar = await smallAvatar();
      const players = await Promise.all([0, 1].map(() => createPlayer(makeCanvas(), { avatar, motion: armsDownMotion(), worker, autoplay: false, background: BACKGROUND })));
      try {
        const [faulty, bystander] = players as [Player, Player];
        const ids = await Promise.all(players.map((p) => p.testHooks.deviceId()));
        expect(ids[0], 'one device for both players').to.equal(ids[1]);
        const faultyErrors = collectErrors(faulty), bystanderErrors = collectErrors(bystander);

        await faulty.testHooks.injectGpuError();
        await faulty.testHooks.readPixels(); // draws the frame with the invalid command
        for (let k = 0; k < 3; k++) await bystander.testHooks.readPixels();
        await waitFor(async () => faultyErrors.length > 0, 'the faulty player reports its GPU error', 20000);
        await faulty.testHooks.readPixels();
        await sleep(300); // any error event still on its way to the bystander
        expect(faultyErrors, 'errors of the faulty player').to.have.length(1);
        expect(faultyErrors[0]).to.be.instanceOf(GpuDeviceError);
        expect(faultyErrors[0]!.message).to.match(/^GPU error during playback: /);
        expect(bystanderErrors.map((e) => e.message), 'errors reported by the other player on the device').to.deep.equal([]);

        // Both still draw the avatar.
        for (const player of players) {
          const { outside } = countForeground(await player.testHooks.readPixels(), [0, 0, -1, -1]);
          expect(outside, 'avatar pixels').to.be.greaterThan(100);
        }
      } finally {
        for (const player of players) await player.destroy();
      }
    });
  });
}
