// Many players, one page: they share one render worker and one GPU device (closed with the last
// player), all of them draw; and a render worker that fails or stalls at start-up is noticed by a
// real signal (its error event, no sign of life within the 5 s start timeout, silence, no ready
// report within the limit) and the player falls back to the main thread with 'renderfallback'.
import { expect } from 'chai';
import { createPlayer, type Player, type PlayerEventDetail } from '../../src/player/create-player.js';
import { workerStartMessage } from '../../src/worker/worker-start.js';
import { waitFor } from '../helpers/wait-for.js';
import { watchWorkers } from '../helpers/watch-workers.js';
import { armsDownMotion, BACKGROUND, countForeground, makeCanvas, nextEvent, sleep, smallAvatar } from './player-fixtures.js';

const SMALL = [48, 64] as const;

describe('players on one page share the render worker and the GPU device', () => {
  it('six worker players: one worker, one device, all six draw; the last destroy closes the worker', async () => {
    const workers = watchWorkers();
    const players: Player[] = [];
    try {
      const avatar = await smallAvatar();
      players.push(...await Promise.all(Array.from({ length: 6 }, () => createPlayer(makeCanvas(...SMALL), { avatar, motion: armsDownMotion() }))));
      expect(players.map((p) => p.thread)).to.deep.equal(Array(6).fill('worker'));
      expect(workers.created, 'workers constructed').to.equal(1);
      const ids = await Promise.all(players.map((p) => p.testHooks.deviceId()));
      expect(ids[0], 'a device').to.be.greaterThan(0);
      expect(ids, 'device ids').to.deep.equal(Array(6).fill(ids[0]));
      const start = await Promise.all(players.map((p) => p.testHooks.framesDrawn()));
      await waitFor(async () => (await Promise.all(players.map((p) => p.testHooks.framesDrawn()))).every((f, k) => f >= start[k] + 3), 'three new frames from every player');
      for (const player of players.slice(0, 5)) await player.destroy();
      expect(workers.terminatedAt.length, 'worker terminated while a player remains').to.equal(0);
      await players[5].destroy();
      expect(workers.terminatedAt.length, 'worker terminated with the last player').to.equal(1);
    } finally {
      workers.restore();
      for (const player of players) await player.destroy();
    }
  });

  it('six main-thread players share one device; after the last is destroyed a new player gets a new one', async () => {
    const avatar = await smallAvatar();
    const players = await Promise.all(Array.from({ length: 6 }, () => createPlayer(makeCanvas(...SMALL), { avatar, motion: armsDownMotion(), worker: false })));
    let next: Player | undefined;
    try {
      const ids = await Promise.all(players.map((p) => p.testHooks.deviceId()));
      expect(ids, 'device ids').to.deep.equal(Array(6).fill(ids[0]));
      const start = await Promise.all(players.map((p) => p.testHooks.framesDrawn()));
      await waitFor(async () => (await Promise.all(players.map((p) => p.testHooks.framesDrawn()))).every((f, k) => f >= start[k] + 3), 'three new frames from every player');
      for (const player of players) await player.destroy();
      next = await createPlayer(makeCanvas(...SMALL), { avatar, worker: false, autoplay: false });
      expect(await next.testHooks.deviceId(), 'a new device once the old one was released').to.equal(ids[0] + 1);
    } finally {
      for (const player of players) await player.destroy();
      await next?.destroy();
    }
  });
});

describe('render worker start-up', () => {
  /** Creates a player while `script` stands in for the worker; resolves with it, its fallback event and the worker log. */
  async function startWith(script: string, options: { workerTimeoutMs?: number } = {}) {
    const workers = watchWorkers(script);
    const events: CustomEvent<PlayerEventDetail>[] = [];
    let player: Player;
    try {
      player = await createPlayer(makeCanvas(), { avatar: await smallAvatar(), motion: armsDownMotion(), autoplay: false, background: BACKGROUND, ...options });
    } finally {
      workers.restore();
    }
    player.addEventListener('renderfallback', (e) => events.push(e as CustomEvent<PlayerEventDetail>));
    await nextEvent(player, 'renderfallback', 10000);
    return { player, events, workers };
  }

  it('a worker that never shows a sign of life is given up after 5 s (default); the player draws on the main thread', async () => {
    const { player, events, workers } = await startWith('await new Promise(() => {});');
    try {
      expect(workers.created).to.equal(1);
      const waited = workers.terminatedAt[0] - workers.createdAt[0];
      expect(waited, 'ms from the worker\'s creation to giving it up').to.be.within(4950, 6000);
      expect(player.thread).to.equal('main');
      expect(player.renderFallback).to.match(/did not start within 5000 ms \(no sign of life/);
      expect(events.map((e) => e.detail.reason)).to.deep.equal([player.renderFallback]);
      expect(countForeground(await player.testHooks.readPixels(), [0, 0, -1, -1]).outside, 'avatar pixels').to.be.greaterThan(100);
    } finally {
      await player.destroy();
    }
  });

  it('a worker whose script throws is given up at once (error event); the next player starts a worker again', async () => {
    const { player, workers } = await startWith("throw new Error('broken worker script');");
    let next: Player | undefined;
    try {
      expect(workers.terminatedAt[0] - workers.createdAt[0], 'ms to notice the error').to.be.below(2000);
      expect(player.thread).to.equal('main');
      expect(player.renderFallback).to.match(/^the worker failed to start: .*broken worker script/);
      next = await createPlayer(makeCanvas(...SMALL), { avatar: await smallAvatar(), autoplay: false });
      expect(next.thread, `a failed start is not remembered (${next.renderFallback})`).to.equal('worker');
    } finally {
      await player.destroy();
      await next?.destroy();
    }
  });

  it('a worker that said it was alive and then went silent is given up one start timeout later', async () => {
    const { player, workers } = await startWith(`postMessage(${JSON.stringify(workerStartMessage.alive())});`, { workerTimeoutMs: 1500 });
    try {
      expect(workers.terminatedAt[0] - workers.createdAt[0], 'ms to give it up').to.be.within(1450, 2500);
      expect(player.thread).to.equal('main');
      expect(player.renderFallback).to.equal('the worker stopped answering during its start-up (silent for 1500 ms)');
    } finally {
      await player.destroy();
    }
  });

  it('a worker that stays alive but never gets ready (a slow WebGPU check) is given up after 6 start timeouts', async () => {
    const alive = JSON.stringify(workerStartMessage.alive());
    const { player, workers } = await startWith(`postMessage(${alive}); setInterval(() => postMessage(${alive}), 200);`, { workerTimeoutMs: 500 });
    try {
      expect(workers.terminatedAt[0] - workers.createdAt[0], 'ms to give it up').to.be.within(2950, 4000);
      expect(player.thread).to.equal('main');
      expect(player.renderFallback).to.equal('the worker was alive but not ready within 3000 ms (loading its code or checking WebGPU)');
    } finally {
      await player.destroy();
    }
  });

  it('a worker that cannot render here says so in its ready report: the player falls back at once', async () => {
    const report = JSON.stringify(workerStartMessage.ready('navigator.gpu is not available in workers'));
    const { player, workers } = await startWith(`postMessage(${report});`);
    try {
      expect(workers.terminatedAt[0] - workers.createdAt[0], 'ms to give it up').to.be.below(2000);
      expect(player.renderFallback).to.equal('navigator.gpu is not available in workers');
    } finally {
      await player.destroy();
    }
  });

  it('worker: false never fires renderfallback', async () => {
    const player = await createPlayer(makeCanvas(...SMALL), { avatar: await smallAvatar(), worker: false, autoplay: false });
    let fired = false;
    player.addEventListener('renderfallback', () => (fired = true));
    try {
      await sleep(200);
      expect(fired).to.equal(false);
      expect(player.renderFallback).to.equal(null);
    } finally {
      await player.destroy();
    }
  });
});
