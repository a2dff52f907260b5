// <gaussian-avatar> lifecycle: with no src it shows the default avatar; taken out of the page it
// releases its player, and put back it starts a new one with the same avatar. (The default
// avatar runs last: on SwiftShader a new worker player started after a destroyed default-avatar
// worker player waits a long time for its adapter, which would only slow the other test.)
import { expect } from 'chai';
import '../../components/index.js';
import { $player } from '../../components/gaussian-avatar-base.js';
import { createDefaultAvatar } from '../../src/avatar/default-avatar.js';
import { nextEvent, smallAvatar } from '../player/player-fixtures.js';
import { makeElement, smallAvatarUrl } from './element-fixtures.js';

describe('<gaussian-avatar> lifecycle', () => {
  it('removed, it destroys its player; put back, it loads again on a new one', async () => {
    const avatar = await smallAvatar();
    const el = makeElement();
    el.avatar = avatar;
    let loaded = nextEvent(el, 'load');
    document.body.append(el);
    await loaded;
    const first = el[$player]!;
    el.remove();
    expect(el[$player]).to.equal(null);
    let destroyedError: unknown;
    try {
      await first.play();
    } catch (e) {
      destroyedError = e;
    }
    expect(String(destroyedError)).to.match(/player: expected a live player, got one that was destroyed/);
    loaded = nextEvent(el, 'load');
    document.body.append(el);
    try {
      await loaded;
      const second = el[$player]!;
      expect(second).to.not.equal(first);
      expect(second.state.gaussianCount).to.equal(avatar.gaussians.count);
      expect(el.shadowRoot!.querySelectorAll('canvas').length).to.equal(1);
    } finally {
      el.remove();
    }
  });
  it('the avatar property overrides src; setting it to null goes back to src', async () => {
    const fromSrc = await smallAvatar();
    const given = await createDefaultAvatar({ resolution: 24 });
    const el = makeElement({ src: await smallAvatarUrl() });
    let loaded = nextEvent(el, 'load');
    document.body.append(el);
    try {
      await loaded;
      expect(el[$player]!.state.gaussianCount).to.equal(fromSrc.gaussians.count);
      loaded = nextEvent(el, 'load');
      el.avatar = given;
      await loaded;
      expect(el.avatar).to.equal(given);
      expect(el[$player]!.state.gaussianCount).to.equal(given.gaussians.count);
      expect(given.gaussians.count).to.not.equal(fromSrc.gaussians.count);
      loaded = nextEvent(el, 'load');
      el.avatar = null;
      await loaded;
      expect(el.avatar).to.equal(null);
      expect(el[$player]!.state.gaussianCount).to.equal(fromSrc.gaussians.count);
    } finally {
      el.remove();
      given.body.dispose();
    }
  });

  it('without src or avatar it plays the default avatar', async () => {
    const el = makeElement({ autoplay: '' });
    const loaded = nextEvent(el, 'load', 300000);
    const played = nextEvent(el, 'play', 300000);
    document.body.append(el);
    try {
      await loaded;
      await played;
      const reference = await createDefaultAvatar();
      const count = reference.gaussians.count;
      reference.body.dispose();
      expect(el[$player]!.state.gaussianCount).to.equal(count);
      expect(el.avatar).to.equal(null);
      expect(el.duration).to.equal(4); // the player's idle: 120 frames at 30 fps
    } finally {
      el.remove();
    }
  });

});
