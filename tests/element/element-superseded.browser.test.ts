// Superseded loads: changing `src` or `motion` again while a load is on its way aborts the older
// load's fetch (its signal is aborted) and the older load fires nothing — not 'load', not 'error' —
// even though it would have ended in an error (the slow URL answers with noise, see
// scripts/slow-response.mjs). loadAvatar() of a superseded load rejects with AbortError.
import { expect } from 'chai';
import '../../components/index.js';
import { $player } from '../../components/gaussian-avatar-base.js';
import { AbortError } from '../../src/errors.js';
import { sleep, smallAvatar } from '../player/player-fixtures.js';
import { makeElement, motionUrl, recordEvents, smallAvatarUrl, until } from './element-fixtures.js';

/** A URL the test server answers after `ms` with 4 KB of noise (neither a .gavatar nor a motion). */
const slowUrl = (ms: number, tag: string) => `/__test__/slow?ms=${ms}&tag=${tag}`;
const SLOW_MS = 2500;

/** Records the AbortSignal of each fetch of a URL containing `part`, calling the real fetch. */
function watchFetches(part: string): { signals: (AbortSignal | undefined)[]; restore(): void } {
  const realFetch = window.fetch;
  const signals: (AbortSignal | undefined)[] = [];
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    if (String(input instanceof Request ? input.url : input).includes(part)) signals.push(init?.signal ?? undefined);
    return realFetch.call(window, input, init);
  };
  return { signals, restore: () => void (window.fetch = realFetch) };
}

describe('<gaussian-avatar> superseded loads', () => {
  it('src changed while the first file downloads: that fetch is aborted, one load, no error', async () => {
    const fetches = watchFetches('__test__/slow');
    const el = makeElement({ src: slowUrl(SLOW_MS, 'src') });
    const events = recordEvents(el, ['load', 'error']);
    el.addEventListener('error', (e) => e.preventDefault());
    try {
      document.body.append(el);
      await el.updateComplete;
      await until(() => fetches.signals.length === 1, 'the slow fetch to start', 10000);
      el.src = await smallAvatarUrl();
      await until(() => events.length > 0, 'load');
      expect(fetches.signals[0]!.aborted, 'the slow fetch was aborted').to.equal(true);
      await sleep(SLOW_MS + 500); // past the moment the slow answer would have come
      expect(events.map((e) => e.type)).to.deep.equal(['load']);
      expect(el[$player]!.state.gaussianCount).to.equal((await smallAvatar()).gaussians.count);
    } finally {
      fetches.restore();
      el.remove();
    }
  });

  it('loadAvatar superseded by a later one rejects with AbortError; only the later one loads', async () => {
    const fetches = watchFetches('__test__/slow');
    const el = makeElement();
    el.avatar = await smallAvatar();
    const events = recordEvents(el, ['load', 'error']);
    el.addEventListener('error', (e) => e.preventDefault());
    try {
      document.body.append(el);
      await until(() => events.length > 0, 'the first load');
      const first = el.loadAvatar(slowUrl(SLOW_MS, 'loadAvatar'));
      await until(() => fetches.signals.length === 1, 'the slow fetch to start', 10000);
      const second = el.loadAvatar(await smallAvatarUrl());
      let rejected: unknown;
      await first.catch((e) => (rejected = e));
      expect(rejected).to.be.instanceOf(AbortError);
      await second;
      expect(fetches.signals[0]!.aborted, 'the slow fetch was aborted').to.equal(true);
      await sleep(SLOW_MS + 500);
      expect(events.map((e) => e.type)).to.deep.equal(['load', 'load']);
    } finally {
      fetches.restore();
      el.remove();
    }
  });

  it('motion changed while the first motion downloads: that fetch is aborted, no error, the later motion plays', async () => {
    const fetches = watchFetches('__test__/slow');
    const el = makeElement({ motion: slowUrl(SLOW_MS, 'motion') });
    el.avatar = await smallAvatar();
    const events = recordEvents(el, ['load', 'error']);
    el.addEventListener('error', (e) => e.preventDefault());
    try {
      document.body.append(el);
      await el.updateComplete;
      await until(() => fetches.signals.length === 1, 'the slow fetch to start', 10000);
      el.motion = motionUrl();
      await until(() => events.length > 0, 'load');
      expect(fetches.signals[0]!.aborted, 'the slow fetch was aborted').to.equal(true);
      await until(() => el.duration === 2, 'the later motion (2 s) in the player', 10000);
      await sleep(SLOW_MS + 500);
      expect(events.map((e) => e.type)).to.deep.equal(['load']);
      expect(el.duration).to.equal(2);
    } finally {
      fetches.restore();
      el.remove();
    }
  });
});
