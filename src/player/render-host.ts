/**
 * The page's render worker, shared by every worker player on the page: one Web Worker (and in it
 * one GPUDevice and one frame loop, see player-core.ts) however many players or elements there
 * are. Started on the first lease, its start-up watched once (worker-start.ts: signs of life
 * within the start timeout, `error` / `messageerror`, then its ready report with the WebGPU
 * check), and terminated when the last lease is released.
 *
 * A start that fails is shared by the players that waited for it and then forgotten, so a later
 * player tries again (a worker that cannot render here says so within a second).
 */
import * as Comlink from 'comlink';
import { defaultBodyBytes } from '../body/default-body-bytes.js';
import type { PlayerWorkerApi } from '../worker/player-worker-api.js';
import { createPlayerWorker } from '../worker/worker-url.js';
import { awaitWorkerStart } from '../worker/worker-start.js';

/**
 * A worker that keeps saying it is alive gets this many start timeouts to be ready (loading its
 * code unbundled, a slow WebGPU adapter request); one that goes silent is given up after one.
 */
const START_LIMIT_FACTOR = 6;

/** A player's hold on the page's render worker. */
export interface RenderWorkerLease {
  readonly api: Comlink.Remote<PlayerWorkerApi>;
  /** Gives the lease back (idempotent); the last one terminates the worker. */
  release(): void;
  /** Terminates the worker now, for every player on it (it stopped answering); later players get a new one. */
  abandon(): void;
}

interface Host {
  worker: Worker;
  api: Comlink.Remote<PlayerWorkerApi>;
  /** null once the worker can render, else why not. */
  started: Promise<string | null>;
  leases: number;
  closed: boolean;
}

let host: Host | undefined;

/**
 * Leases the page's render worker, starting it if needed; resolves with why not when no worker
 * can render: its start failed, it was silent for `startTimeoutMs` (no sign of life, or it stopped
 * answering), or alive but not ready within START_LIMIT_FACTOR × `startTimeoutMs`.
 */
export async function acquireRenderWorker(startTimeoutMs: number): Promise<RenderWorkerLease | string> {
  if (typeof Worker === 'undefined') return 'Worker is not available';
  let h = host;
  if (!h) {
    try {
      h = host = startHost(startTimeoutMs);
    } catch (e) {
      return `the worker could not be created: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  h.leases++;
  const problem = await h.started;
  if (problem) {
    h.leases--;
    if (host === h) host = undefined;
    return problem;
  }
  if (h.closed) return acquireRenderWorker(startTimeoutMs); // abandoned while this call waited
  let released = false;
  return {
    api: h.api,
    release() {
      if (released) return;
      released = true;
      if (--h.leases === 0) close(h);
    },
    abandon() {
      released = true;
      close(h);
    },
  };
}

function startHost(startTimeoutMs: number): Host {
  const worker = createPlayerWorker();
  const api = Comlink.wrap<PlayerWorkerApi>(worker);
  const h: Host = { worker, api, started: Promise.resolve(null), leases: 0, closed: false };
  h.started = (async () => {
    const outcome = await awaitWorkerStart(worker, startTimeoutMs, START_LIMIT_FACTOR * startTimeoutMs);
    let problem: string | null;
    if (!outcome.ready) problem = outcome.reason;
    else if (outcome.problem !== null) problem = outcome.problem;
    else {
      try {
        await api.receiveDefaultBody(defaultBodyBytes()); // the worker's bundle carries no copy of its own
        problem = null;
      } catch (e) {
        problem = `the worker failed to start: ${e instanceof Error ? e.message : String(e)}`;
      }
    }
    if (problem) close(h);
    return problem;
  })();
  return h;
}

function close(h: Host): void {
  if (h.closed) return;
  h.closed = true;
  if (host === h) host = undefined;
  h.api[Comlink.releaseProxy]();
  h.worker.terminate();
}
