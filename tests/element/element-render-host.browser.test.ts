// Six <gaussian-avatar> elements on one page share one render worker and one GPU device and all
// draw; when the render worker cannot start, the element says so ('renderfallback' with the
// reason, before 'load') and plays on the main thread.
import { expect } from 'chai';
import '../../components/index.js';
import type { GaussianAvatarElement } from '../../components/gaussian-avatar.js';
import { $player } from '../../components/gaussian-avatar-base.js';
import { countForeground, nextEvent, smallAvatar } from '../player/player-fixtures.js';
import { waitFor } from '../helpers/wait-for.js';
import { watchWorkers } from '../helpers/watch-workers.js';
import { makeElement, recordEvents } from './element-fixtures.js';

const playerOf = (el: GaussianAvatarElement) => {
  const player = el[$player];
  if (!player) throw new Error('the element has no player');
  return player;
};

describe('<gaussian-avatar> elements and the render worker', () => {
  it('six playing elements: one worker, one GPU device, every element draws frames', async () => {
    const workers = watchWorkers();
    const avatar = await smallAvatar();
    const elements = Array.from({ length: 6 }, () => makeElement({ autoplay: '', loop: '', background: '#00ff00' }));
    try {
      const loaded = elements.map((el) => nextEvent(el, 'load'));
      for (const el of elements) {
        el.avatar = avatar;
        document.body.append(el);
      }
      await Promise.all(loaded);
      const players = elements.map(playerOf);
      expect(players.map((p) => p.thread)).to.deep.equal(Array(6).fill('worker'));
      expect(workers.created, 'workers constructed').to.equal(1);
      const ids = await Promise.all(players.map((p) => p.testHooks.deviceId()));
      expect(ids, 'device ids').to.deep.equal(Array(6).fill(ids[0]));
      const frames = () => Promise.all(players.map((p) => p.testHooks.framesDrawn()));
      const start = await frames();
      await waitFor(async () => (await frames()).every((f, k) => f >= start[k] + 3), 'three new frames from every element');
      for (const el of elements) el.remove();
      await waitFor(() => workers.terminatedAt.length === 1, 'the worker terminated once the last element left', 20000);
    } finally {
      workers.restore();
      for (const el of elements) el.remove();
    }
  });

  it('a render worker that cannot start: renderfallback (with the reason) before load, and the element draws on the main thread', async () => {
    const workers = watchWorkers("throw new Error('no worker today');");
    const el = makeElement({ background: '#00ff00' });
    const events = recordEvents(el, ['renderfallback', 'load']);
    try {
      el.avatar = await smallAvatar();
      const loaded = nextEvent(el, 'load');
      document.body.append(el);
      await loaded;
      workers.restore();
      expect(events.map((e) => e.type)).to.deep.equal(['renderfallback', 'load']);
      expect((events[0].detail as { reason: string }).reason).to.match(/^the worker failed to start: .*no worker today/);
      const player = playerOf(el);
      expect(player.thread).to.equal('main');
      expect(countForeground(await player.testHooks.readPixels(), [0, 0, -1, -1]).outside, 'avatar pixels').to.be.greaterThan(100);
    } finally {
      workers.restore();
      el.remove();
    }
  });
});
