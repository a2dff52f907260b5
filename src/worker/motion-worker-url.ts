/**
 * Creates the motion worker (src/worker/motion-worker.ts). From source (web-test-runner, bundlers
 * that follow `new Worker(new URL(…), { type: 'module' })`) it loads motion-worker.ts as a module
 * worker. In dist/ this whole module is replaced by scripts/worker-plugin.mjs with one that starts
 * the worker from a Blob URL of the worker bundled into the build (no file to host, no fetch).
 */
export function createMotionWorker(): Worker {
  return new Worker(new URL('./motion-worker.ts', import.meta.url), { type: 'module', name: 'gaussian-avatar motion' });
}
