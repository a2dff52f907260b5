// <gaussian-avatar> scrolled out of view stops drawing: no frames, no timeupdate, the time held
// (paused stays false); scrolled back it plays on from the same time. timeupdate follows drawn
// frames: as many as the player drew.
import { expect } from 'chai';
import '../../components/index.js';
import { $player } from '../../components/gaussian-avatar-base.js';
import { nextEvent, sleep, smallAvatar } from '../player/player-fixtures.js';
import { makeElement } from './element-fixtures.js';

describe('<gaussian-avatar> visibility', () => {
  it('out of view: nothing drawn and the time holds; back in view it plays on from there', async () => {
    const el = makeElement({ autoplay: '', loop: '' });
    el.avatar = await smallAvatar();
    let timeupdates = 0;
    el.addEventListener('timeupdate', () => timeupdates++);
    const loaded = nextEvent(el, 'load');
    document.body.append(el);
    try {
      await loaded;
      await nextEvent(el, 'timeupdate', 20000);
      const player = el[$player]!;
      const [frames0, updates0] = [await player.testHooks.framesDrawn(), timeupdates];
      await sleep(1000);
      const drawn = (await player.testHooks.framesDrawn()) - frames0;
      expect(drawn, 'frames drawn in 1 s in view').to.be.greaterThan(3);
      expect(Math.abs(timeupdates - updates0 - drawn), 'one timeupdate per drawn frame').to.be.at.most(2);

      el.style.marginTop = '10000px'; // far below the viewport; the page does not scroll by itself
      await sleep(500);
      const [frames1, updates1, time1] = [await player.testHooks.framesDrawn(), timeupdates, el.currentTime];
      await sleep(1000);
      expect(await player.testHooks.framesDrawn(), 'frames drawn out of view').to.equal(frames1);
      expect(timeupdates, 'timeupdates out of view').to.equal(updates1);
      expect(el.currentTime, 'the time held').to.equal(time1);
      expect(el.paused).to.equal(false);

      const resumed = nextEvent<CustomEvent<{ currentTime: number; duration: number }>>(el, 'timeupdate', 2000);
      el.style.marginTop = '';
      const { currentTime, duration } = (await resumed).detail;
      const since = (((currentTime - time1) % duration) + duration) % duration;
      expect(since, 'time of the first frame back in view').to.be.at.most(0.3);
    } finally {
      el.remove();
    }
  });
});
