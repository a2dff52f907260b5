/**
 * The player's worker: exposes (comlink) a probe and a factory for a PlayerCore drawing on an
 * OffscreenCanvas that the page transferred with transferControlToOffscreen. The page talks to
 * the core through the returned proxy (src/player/create-player.ts).
 */
import * as Comlink from 'comlink';
import { receiveDefaultBodyBytes } from '../body/default-body-bytes.js';
import { PlayerCore } from '../player/player-core.js';
import type { PlayerCoreOptions, PlayerEventData } from '../player/player-types.js';

export interface PlayerWorkerApi {
  /** null when this worker can render with WebGPU on an OffscreenCanvas, else why not. */
  probe(): Promise<string | null>;
  /** The default body asset from the page (this worker's bundle carries none). */
  receiveDefaultBody(bytes: Uint8Array): void;
  /** Creates the core on `canvas`; events go to `emit`. Resolves to a proxy of the core. */
  create(canvas: OffscreenCanvas, options: PlayerCoreOptions, emit: (event: PlayerEventData) => void): Promise<PlayerCore>;
}

const api: PlayerWorkerApi = {
  async probe() {
    if (typeof OffscreenCanvas === 'undefined') return 'OffscreenCanvas is not available in workers';
    const gpu = typeof navigator === 'undefined' ? undefined : navigator.gpu;
    if (!gpu) return 'navigator.gpu is not available in workers';
    try {
      return (await gpu.requestAdapter()) ? null : 'requestAdapter() returned null in the worker';
    } catch (e) {
      return `requestAdapter() failed in the worker: ${e instanceof Error ? e.message : String(e)}`;
    }
  },
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

Comlink.expose(api);
