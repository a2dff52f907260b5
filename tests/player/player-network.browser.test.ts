// The player makes no network request of its own: fetch and XMLHttpRequest are wrapped on the
// page, and the resource timeline (page and worker) gains nothing but the SDK's own code modules
// while players are created, play, load avatars and motions, and are destroyed.
import { expect } from 'chai';
import { saveAvatar } from '../../src/avatar/avatar-file.js';
import { createPlayer } from '../../src/player/create-player.js';
import { armsDownMotion, makeCanvas, nextEvent, smallAvatar } from './player-fixtures.js';

/** Same-origin code the test server serves (the worker's module graph is loaded this way from source). */
function isOwnCode(url: string): boolean {
  const u = new URL(url, location.href);
  return u.origin === location.origin && /\.(ts|js|mjs|wgsl)$/.test(u.pathname);
}

describe('player network use', () => {
  it('issues no fetch / XMLHttpRequest and loads nothing but its own code, in both thread modes', async () => {
    const avatar = await smallAvatar();
    const bytes = saveAvatar(avatar);
    const calls: string[] = [];
    const realFetch = window.fetch;
    const realOpen = XMLHttpRequest.prototype.open;
    window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
      calls.push(`fetch ${String(input instanceof Request ? input.url : input)}`);
      return realFetch(input, init);
    };
    XMLHttpRequest.prototype.open = function (this: XMLHttpRequest, method: string, url: string | URL, ...rest: unknown[]) {
      calls.push(`xhr ${method} ${String(url)}`);
      return (realOpen as (...a: unknown[]) => void).call(this, method, url, ...rest);
    } as typeof XMLHttpRequest.prototype.open;
    const resources: string[] = [];
    const observer = new PerformanceObserver((list) => list.getEntries().forEach((e) => resources.push(e.name)));
    observer.observe({ type: 'resource', buffered: false });
    try {
      for (const worker of [false, true]) {
        const player = await createPlayer(makeCanvas(), { avatar: bytes, motion: armsDownMotion(), worker });
        await nextEvent(player, 'timeupdate');
        await player.loadAvatar(avatar);
        await player.loadMotion(armsDownMotion());
        await player.seek(0.5);
        await player.testHooks.readPixels();
        if (worker) {
          const workerResources = await player.testHooks.resourceRequests();
          const foreign = workerResources.filter((url) => !isOwnCode(url));
          expect(foreign, 'worker requests other than its own code').to.deep.equal([]);
        }
        await player.destroy();
      }
    } finally {
      window.fetch = realFetch;
      XMLHttpRequest.prototype.open = realOpen;
      observer.disconnect();
    }
    expect(calls, 'fetch / XHR calls').to.deep.equal([]);
    expect(resources.filter((url) => !isOwnCode(url)), 'page requests other than code modules').to.deep.equal([]);
  });
});
