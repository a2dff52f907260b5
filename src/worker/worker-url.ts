/**
 * Creates the player's worker. From source (web-test-runner, bundlers that follow
 * `new Worker(new URL(…), { type: 'module' })`) it loads player-worker.ts as a module worker.
 * In dist/ this whole module is replaced by scripts/worker-plugin.mjs with one that starts the
 * worker from a Blob URL of the worker bundled into the build (self-contained: no file to host,
 * no fetch).
 */
export function createPlayerWorker(): Worker {
  return new Worker(new URL('./player-worker.ts', import.meta.url), { type: 'module', name: 'gaussian-avatar player' });
}
