/**
 * The page's render worker's entry: tiny, so that it says it is alive as soon as the worker runs
 * (worker-start.ts), then loads the API (player-worker-api.ts), checks WebGPU there and reports ready.
 */
import { runWorkerStart } from './worker-start.js';

runWorkerStart(async () => (await import('./player-worker-api.js')).exposePlayerWorker());
