/**
 * GPU errors attributed to the code that caused them. A device's uncaptured errors reach every
 * listener on it: on a shared device (several players, or a page's own device) one player's error
 * would be reported by all. Work run inside error scopes reports its own errors and no one else's.
 */

export interface ScopedGpuWork<T> {
  /** What `work` returned. */
  result: T;
  /** The first validation or out-of-memory error `work` caused, or null (also null when the device is lost). */
  error: Promise<GPUError | null>;
}

/** Opens the validation and out-of-memory error scopes that `popGpuErrorScopes` closes. */
export function pushGpuErrorScopes(device: GPUDevice): void {
  device.pushErrorScope('out-of-memory');
  device.pushErrorScope('validation');
}

/**
 * Closes both scopes of `pushGpuErrorScopes` (always both: a scope left open would swallow later
 * errors) and resolves with the first error they caught, validation before out-of-memory, or null
 * (also null when the device is lost).
 */
export function popGpuErrorScopes(device: GPUDevice): Promise<GPUError | null> {
  const validation = device.popErrorScope();
  const memory = device.popErrorScope();
  return Promise.all([validation, memory]).then(([v, m]) => v ?? m, () => null);
}

/**
 * Runs `work` (synchronous GPU calls) inside validation and out-of-memory error scopes. The scopes
 * are popped whether or not `work` throws; a throw is passed on.
 */
export function captureGpuErrors<T>(device: GPUDevice, work: () => T): ScopedGpuWork<T> {
  pushGpuErrorScopes(device);
  let outcome: { result: T } | { thrown: unknown };
  try {
    outcome = { result: work() };
  } catch (thrown) {
    outcome = { thrown };
  }
  const error = popGpuErrorScopes(device);
  if ('thrown' in outcome) throw outcome.thrown;
  return { result: outcome.result, error };
}
