// <gaussian-avatar> in real Chromium: it draws the avatar where the body is, fires its events in
// order, reflects its attributes, and survives a bad URL or a corrupt file with the previous
// avatar still playing.
import { expect } from 'chai';
import '../../components/index.js';
import type { GaussianAvatarElement } from '../../components/gaussian-avatar.js';
import { $player } from '../../components/gaussian-avatar-base.js';
import { DEFAULT_ALT } from '../../components/features/accessibility.js';
import { AvatarFormatError, AvatarInputError } from '../../src/errors.js';
import { idleMotion } from '../../src/player/idle-motion.js';
import { armsDownMotion, countForeground, nextEvent, silhouetteBox, smallAvatar, splatMargin } from '../player/player-fixtures.js';
import {
  BOX_HEIGHT, BOX_WIDTH, corruptAvatarUrl, makeElement, motionUrl, recordEvents, smallAvatarUrl, until, type RecordedEvent,
} from './element-fixtures.js';

const playerOf = (el: GaussianAvatarElement) => {
  const player = el[$player];
  if (!player) throw new Error('the element has no player');
  return player;
};

describe('<gaussian-avatar> renders', () => {
  it('draws the avatar inside the posed body box and nothing outside it, at the box size', async () => {
    const avatar = await smallAvatar();
    const el = makeElement({ background: '#00ff00' });
    el.avatar = avatar;
    const loaded = nextEvent(el, 'load');
    document.body.append(el);
    try {
      await loaded;
      const player = playerOf(el);
      expect(el.paused).to.equal(true); // no autoplay
      expect(player.state.gaussianCount).to.equal(avatar.gaussians.count);
      for (const theta of [0, 0.8]) {
        if (theta) await player.setOrbit({ theta });
        const pixels = await player.testHooks.readPixels();
        expect([pixels.width, pixels.height]).to.deep.equal([BOX_WIDTH * devicePixelRatio, BOX_HEIGHT * devicePixelRatio]);
        const box = silhouetteBox(avatar, idleMotion(), player.state, splatMargin(avatar, player.state));
        const { inside, outside, boxArea } = countForeground(pixels, box);
        expect(outside, `foreground pixels outside the body's box ${box}`).to.equal(0);
        expect(inside / boxArea, `foreground fraction of the body's box ${box} (${inside}/${boxArea})`).to.be.greaterThan(0.15);
      }
    } finally {
      el.remove();
    }
  });

  it('camera-orbit moves the camera; a resize of the box resizes the image', async () => {
    const el = makeElement({ background: 'rgb(0, 255, 0)', 'camera-orbit': '90deg 60deg 110%' });
    el.avatar = await smallAvatar();
    const loaded = nextEvent(el, 'load');
    document.body.append(el);
    try {
      await loaded;
      const player = playerOf(el);
      await until(() => Math.abs(player.orbit.theta - Math.PI / 2) < 1e-9, 'camera-orbit to reach the player');
      expect(player.orbit.phi).to.be.closeTo(Math.PI / 6, 1e-9); // 60° from above = 30° up
      const framedRadius = player.orbit.radius / 1.1;
      el.setAttribute('camera-orbit', '-30deg 90deg auto');
      await until(() => Math.abs(player.orbit.theta + Math.PI / 6) < 1e-9, 'the new camera-orbit');
      expect(player.orbit.phi).to.be.closeTo(0, 1e-9);
      expect(player.orbit.radius).to.be.closeTo(framedRadius, 1e-9);
      el.style.width = '80px';
      await until(() => player.state.width === Math.round(80 * devicePixelRatio), 'the image to follow the box');
      expect(player.state.height).to.equal(Math.round(BOX_HEIGHT * devicePixelRatio));
    } finally {
      el.remove();
    }
  });
});

describe('<gaussian-avatar> events', () => {
  it('progress from 0 to 1, then load, then play, then timeupdates with time moving forward', async () => {
    const el = makeElement({ src: await smallAvatarUrl(), motion: motionUrl(), autoplay: '', loop: '' });
    const events = recordEvents(el, ['progress', 'load', 'play', 'pause', 'timeupdate', 'error']);
    document.body.append(el);
    try {
      await until(() => events.filter((e) => e.type === 'timeupdate').length >= 4, 'four timeupdates');
      const types = events.map((e) => e.type);
      expect(types).to.not.include('error');
      expect(types[0]).to.equal('progress');
      const fractions = events.filter((e) => e.type === 'progress').map((e) => (e.detail as { fraction: number }).fraction);
      expect(fractions[0]).to.equal(0);
      expect(fractions.at(-1)).to.equal(1);
      for (let i = 1; i < fractions.length; i++) expect(fractions[i]).to.be.at.least(fractions[i - 1]);
      expect(types.indexOf('load')).to.be.greaterThan(types.lastIndexOf('progress'));
      expect(types.indexOf('play')).to.be.greaterThan(types.indexOf('load'));
      expect(types.indexOf('timeupdate')).to.be.greaterThan(types.indexOf('play'));
      const times = events.filter((e) => e.type === 'timeupdate').map((e) => (e.detail as { currentTime: number }).currentTime);
      expect(times.at(-1)!).to.be.greaterThan(times[0]);
      expect(el.paused).to.equal(false);
      expect(el.duration).to.equal(2); // armsDownMotion: 20 frames at 10 fps
      expect((events.find((e) => e.type === 'timeupdate')!.detail as { duration: number }).duration).to.equal(2);

      const paused = nextEvent(el, 'pause');
      await el.pause();
      await paused;
      expect(el.paused).to.equal(true);
      el.currentTime = 1.25;
      await until(() => el.currentTime === 1.25, 'the seek');
      const played = nextEvent(el, 'play');
      await el.play();
      await played;
      expect(el.paused).to.equal(false);
    } finally {
      el.remove();
    }
  });

  it('a bad motion URL fires error; the avatar still loads and plays the idle', async () => {
    const el = makeElement({ motion: '/no/such/motion.json', autoplay: '' });
    el.avatar = await smallAvatar();
    const events = recordEvents(el, ['load', 'play', 'error']);
    el.addEventListener('error', (e) => e.preventDefault());
    document.body.append(el);
    try {
      await until(() => events.some((e) => e.type === 'play'), 'play');
      expect(events.map((e) => e.type)).to.deep.equal(['error', 'load', 'play']);
      const { error } = events[0].detail as { error: Error };
      expect(error).to.be.instanceOf(AvatarInputError);
      expect(error.message).to.match(/^motion: could not fetch "\/no\/such\/motion\.json": HTTP 404/);
      expect(el.duration).to.equal(4); // the idle
    } finally {
      el.remove();
    }
  });

  it('without loop, playback stops at the end: pause then ended', async () => {
    const el = makeElement({ autoplay: '', 'playback-rate': '4' });
    el.avatar = await smallAvatar();
    await el.loadMotion(armsDownMotion());
    const events = recordEvents(el, ['load', 'play', 'pause', 'ended']);
    document.body.append(el);
    try {
      await until(() => events.some((e) => e.type === 'ended'), 'ended', 60000);
      expect(events.map((e) => e.type)).to.deep.equal(['load', 'play', 'pause', 'ended']);
      expect(el.currentTime).to.equal(2);
      expect(el.playbackRate).to.equal(4);
    } finally {
      el.remove();
    }
  });
});

describe('<gaussian-avatar> attributes', () => {
  it('properties reflect to attributes and back; role and label for assistive technology', async () => {
    const el = makeElement();
    el.avatar = await smallAvatar();
    const loaded = nextEvent(el, 'load');
    document.body.append(el);
    try {
      await loaded;
      expect(el.getAttribute('role')).to.equal('img');
      expect(el.getAttribute('aria-label')).to.equal(DEFAULT_ALT);
      expect(el.tabIndex).to.equal(0);
      expect(el.mode).to.equal('playback');
      el.autoplay = true;
      el.loop = true;
      el.src = 'a.gavatar';
      el.motion = 'dance.json';
      el.cameraOrbit = '10deg 80deg 3m';
      el.background = '#123';
      el.alt = 'A dancer';
      el.mode = 'fit';
      el.playbackRate = 0.5;
      el.addEventListener('error', (e) => e.preventDefault()); // a.gavatar and dance.json are not served here
      await el.updateComplete;
      expect(el.hasAttribute('autoplay')).to.equal(true);
      expect(el.hasAttribute('loop')).to.equal(true);
      expect(el.getAttribute('src')).to.equal('a.gavatar');
      expect(el.getAttribute('motion')).to.equal('dance.json');
      expect(el.getAttribute('camera-orbit')).to.equal('10deg 80deg 3m');
      expect(el.getAttribute('background')).to.equal('#123');
      expect(el.getAttribute('alt')).to.equal('A dancer');
      expect(el.getAttribute('aria-label')).to.equal('A dancer');
      expect(el.getAttribute('mode')).to.equal('fit');
      expect(el.getAttribute('playback-rate')).to.equal('0.5');
      el.removeAttribute('loop');
      el.setAttribute('playback-rate', '2');
      el.setAttribute('camera-orbit', '0deg 90deg');
      await el.updateComplete;
      expect(el.loop).to.equal(false);
      expect(el.cameraOrbit).to.equal('0deg 90deg');
      await until(() => el.playbackRate === 2, 'the rate to reach the player');
      expect(playerOf(el).loop).to.equal(false);
      expect(() => (el.playbackRate = 17)).to.throw(AvatarInputError, /playback-rate: expected a number in 0…16/);
    } finally {
      el.remove();
    }
  });

  it('a bad attribute value fires error naming the attribute', async () => {
    const el = makeElement();
    el.avatar = await smallAvatar();
    const loaded = nextEvent(el, 'load');
    document.body.append(el);
    try {
      await loaded;
      el.addEventListener('error', (e) => e.preventDefault()); // expected errors: keep the console quiet
      for (const [name, value] of [['camera-orbit', '30px'], ['background', 'hotpink'], ['playback-rate', 'fast']]) {
        const error = nextEvent<CustomEvent<{ error: Error }>>(el, 'error');
        el.setAttribute(name, value);
        const { detail } = await error;
        expect(detail.error).to.be.instanceOf(AvatarInputError);
        expect(detail.error.message).to.match(new RegExp(`^${name}: expected`));
      }
    } finally {
      el.remove();
    }
  });
});

describe('<gaussian-avatar> errors keep the previous avatar playing', () => {
  it('a bad URL, then a corrupt file: error events, and the avatar loaded before keeps playing', async () => {
    const avatar = await smallAvatar();
    const el = makeElement({ autoplay: '', loop: '', background: '#00ff00' });
    el.avatar = avatar;
    const events: RecordedEvent[] = recordEvents(el, ['load', 'error']);
    el.addEventListener('error', (e) => e.preventDefault());
    document.body.append(el);
    try {
      await until(() => events.length > 0, 'load');
      expect(events.map((e) => e.type)).to.deep.equal(['load']);
      const player = playerOf(el);
      const cases: [string, typeof AvatarInputError, RegExp][] = [
        ['/no/such/avatar.gavatar', AvatarInputError, /^src: could not fetch "\/no\/such\/avatar\.gavatar": HTTP 404/],
        [corruptAvatarUrl(), AvatarFormatError, /./],
      ];
      for (const [src, ErrorClass, message] of cases) {
        const before = events.length;
        el.src = src;
        await until(() => events.length > before, `an event after src=${src}`);
        expect(events.slice(before).map((e) => e.type)).to.deep.equal(['error']);
        const { error } = events[before].detail as { error: Error };
        expect(error).to.be.instanceOf(ErrorClass);
        expect(error.message).to.match(message);
        // Still the same player, the same avatar, and the clock still runs.
        expect(el[$player]).to.equal(player);
        const t0 = el.currentTime;
        await until(() => el.currentTime !== t0, 'time to move on');
        expect(el.paused).to.equal(false);
        expect(player.state.gaussianCount).to.equal(avatar.gaussians.count);
        const pixels = await player.testHooks.readPixels();
        const box = silhouetteBox(avatar, idleMotion(), player.state, splatMargin(avatar, player.state));
        expect(countForeground(pixels, box).inside).to.be.greaterThan(0);
      }
      // A good file after the bad ones loads.
      const before = events.length;
      el.src = await smallAvatarUrl();
      await until(() => events.length > before, 'load of the good file');
      expect(events.slice(before).map((e) => e.type)).to.deep.equal(['load']);
    } finally {
      el.remove();
    }
  });

  it('loadAvatar and loadMotion reject with typed errors', async () => {
    const el = makeElement();
    el.avatar = await smallAvatar();
    const loaded = nextEvent(el, 'load');
    document.body.append(el);
    try {
      await loaded;
      const fails = async (p: Promise<unknown>) => {
        try {
          await p;
        } catch (e) {
          return e as Error;
        }
        throw new Error('expected a rejection');
      };
      expect(await fails(el.loadAvatar(new Uint8Array([1, 2, 3])))).to.be.instanceOf(AvatarFormatError);
      expect(await fails(el.loadAvatar(42 as unknown as string))).to.be.instanceOf(AvatarInputError);
      expect(await fails(el.loadMotion(new TextEncoder().encode('{ "not": "a motion" }')))).to.be.instanceOf(AvatarFormatError);
      expect(await fails(el.loadMotion('/no/such/motion.bvh'))).to.be.instanceOf(AvatarInputError);
      expect(playerOf(el).duration).to.equal(4); // still the idle
    } finally {
      el.remove();
    }
  });
});
