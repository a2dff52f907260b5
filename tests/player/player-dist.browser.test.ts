// The built, self-contained bundle (dist/gaussian-avatar.min.js, made by `npm run build`; `npm test`
// builds first) plays in a worker started from the worker source inlined into the bundle: no
// worker file next to it and no fetch of its own.
import { expect } from 'chai';
import { armsDownMotion, BACKGROUND, countForeground, makeCanvas, nextEvent } from './player-fixtures.js';

describe('dist bundle player', () => {
  it('creates a worker player from the inlined worker and draws the avatar', async () => {
    const url = new URL('../../dist/gaussian-avatar.min.js', import.meta.url).href;
    const sdk = await import(url);
    const avatar = await sdk.createDefaultAvatar({ resolution: 32 });
    const fetches: string[] = [];
    const realFetch = window.fetch;
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      fetches.push(String(input));
      return realFetch(input, init);
    };
    let player;
    try {
      player = await sdk.createPlayer(makeCanvas(), { avatar, motion: armsDownMotion(), worker: true, autoplay: true, background: BACKGROUND });
      expect(player.thread).to.equal('worker');
      await nextEvent(player, 'timeupdate');
      const pixels = await player.testHooks.readPixels();
      expect(countForeground(pixels, [0, 0, -1, -1]).outside, 'avatar pixels').to.be.greaterThan(100);
      const requested: string[] = await player.testHooks.resourceRequests();
      expect(requested, 'requests made inside the bundled worker').to.deep.equal([]);
    } finally {
      window.fetch = realFetch;
      await player?.destroy();
      avatar.body.dispose();
    }
    expect(fetches).to.deep.equal([]);
  });
});
