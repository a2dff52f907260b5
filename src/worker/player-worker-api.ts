/**
 * The page's render worker's API, loaded by its entry (player-worker.ts) once it has said it is
 * alive: checks that it can render (exposePlayerWorker) and exposes (comlink) a factory for
 * PlayerCores, each drawing on an OffscreenCanvas that the page transferred with
 * transferControlToOffscreen. One worker serves every player of the page (src/player/render-host.ts);
 * its cores share one GPUDevice and one frame loop. The page talks to each core through the
 * returned proxy (create-player.ts).
 */
import * as Comlink from 'comlink';
import { receiveDefaultBodyBytes } from '../body/default-body-bytes.js';
import { PlayerCore } from '../player/player-core.js';
import type { PlayerCoreOptions, PlayerEventData } from '../player/player-types.js';

export interface PlayerWorkerApi {
  /** The default body asset from the page (this worker's bundle carries none). */
  receiveDefaultBody(bytes: Uint8Array): void;
  /** Creates the core on `canvas`; events go to `emit`. Resolves to a proxy of the core. */
  create(canvas: OffscreenCanvas, options: PlayerCoreOptions, emit: (event: PlayerEventData) => void): Promise<PlayerCore>;
}

const api: PlayerWorkerApi = {
  receiveDefaultBody(bytes) {
    receiveDefaultBodyBytes(bytes);
  },
  async create(canvas, options, emit) {
    const core = await PlayerCore.create(canvas, options, (event) => {
      // A lost page drops the message; the player has nothing to do about it.
      (emit(event) as unknown as Promise<void> | undefined)?.catch?.(() => undefined);
    });
    return Comlink.proxy(core);
  },
};

/** Exposes the API; resolves with null when this worker can render with WebGPU on an OffscreenCanvas, else why not. */
export async function exposePlayerWorker(): Promise<string | null> {
  Comlink.expose(api);
  if (typeof OffscreenCanvas === 'undefined') return 'OffscreenCanvas is not available in workers';
  const gpu = typeof navigator === 'undefined' ? undefined : navigator.gpu;
  if (!gpu) return 'navigator.gpu is not available in workers';
  try {
    return (await gpu.requestAdapter()) ? null : 'requestAdapter() returned null in the worker';
  } catch (e) {
    return `requestAdapter() failed in the worker: ${e instanceof Error ? e.message : String(e)}`;
  }
}
