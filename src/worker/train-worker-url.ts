/**
 * Creates the training worker (src/worker/train-worker.ts) as a module worker, the form bundlers
 * and web-test-runner follow (`new Worker(new URL(…), { type: 'module' })`).
 */
export function createTrainWorker(): Worker {
  return new Worker(new URL('./train-worker.ts', import.meta.url), { type: 'module', name: 'gaussian-avatar training' });
}
