/**
 * `parseMotionInWorker`: parseMotion in a Web Worker of its own, for files large enough to stall
 * the page (the element uses it above PARSE_IN_WORKER_BYTES). Where workers cannot run (Node, a
 * page whose CSP forbids blob: workers) it parses on the calling thread instead.
 */
import * as Comlink from 'comlink';
import { AbortError, AvatarInputError, describeValue } from '../errors.js';
import { checkInputSize, resolveInputLimits } from '../io/input-limits.js';
import { parseMotion } from '../motion/parse-motion.js';
import type { Motion, ParseMotionOptions } from '../motion/types.js';
import { reviveError } from '../player/revive-error.js';
import { createMotionWorker } from './motion-worker-url.js';
import type { MotionWorkerApi } from './motion-worker.js';

/** Files above this many bytes are worth a worker (starting one costs ~50 ms; parsing 4 MiB about as much). */
export const PARSE_IN_WORKER_BYTES = 4 * 2 ** 20;

/**
 * parseMotion(data, options) in a worker: the same Motion and the same typed errors, without
 * blocking the calling thread. The worker gets a copy of the bytes (`data` stays usable). The size
 * limit (options.limits.maxMotionBytes) is checked here first, so an oversized file is refused
 * before it is copied. Aborting `signal` terminates the worker and rejects with AbortError.
 */
export async function parseMotionInWorker(data: ArrayBuffer | Uint8Array, options: ParseMotionOptions = {}, signal?: AbortSignal): Promise<Motion> {
  if (!(data instanceof ArrayBuffer || data instanceof Uint8Array)) {
    throw new AvatarInputError(`data: expected an ArrayBuffer or Uint8Array, got ${describeValue(data)}`);
  }
  const limits = resolveInputLimits(typeof options === 'object' && options !== null ? options.limits : undefined, 'options.limits');
  checkInputSize('motion', data.byteLength, limits, 'maxMotionBytes');
  if (signal?.aborted) throw new AbortError('parseMotionInWorker: aborted');
  if (typeof Worker === 'undefined') return parseMotion(data, options);

  let worker: Worker;
  try {
    worker = createMotionWorker();
  } catch {
    return parseMotion(data, options);
  }
  const api = Comlink.wrap<MotionWorkerApi>(worker);
  const copy = (data instanceof Uint8Array ? data : new Uint8Array(data)).slice();
  let stop: (() => void) | undefined;
  try {
    // A worker that cannot start (e.g. blob: workers forbidden) reports 'error' instead of answering.
    const failedToStart = new Promise<'no worker'>((resolve) => worker.addEventListener('error', () => resolve('no worker'), { once: true }));
    const aborted = new Promise<never>((_, reject) => {
      stop = () => reject(new AbortError('parseMotionInWorker: aborted'));
      signal?.addEventListener('abort', stop, { once: true });
    });
    const result = await Promise.race([api.parse(Comlink.transfer(copy, [copy.buffer]), options), failedToStart, aborted]);
    return result === 'no worker' ? parseMotion(data, options) : result;
  } catch (e) {
    throw e instanceof AbortError ? e : reviveError(e);
  } finally {
    if (stop) signal?.removeEventListener('abort', stop);
    api[Comlink.releaseProxy]();
    worker.terminate();
  }
}
