/** fitFromVideo's phases and how an abort inside one is reported (naming the phase). */
import { AbortError } from '../errors.js';
import type { FitPhase } from './fit-from-video.js';

export function throwIfAborted(signal: AbortSignal | undefined, phase: FitPhase): void {
  if (signal?.aborted) throw new AbortError(`fitFromVideo: aborted during ${phase}`);
}

/** Runs one phase; an AbortError from inside it is re-raised naming the phase. */
export async function inPhase<T>(phase: FitPhase, signal: AbortSignal | undefined, run: () => Promise<T>): Promise<T> {
  throwIfAborted(signal, phase);
  try {
    return await run();
  } catch (e) {
    if (e instanceof AbortError || signal?.aborted) throw new AbortError(`fitFromVideo: aborted during ${phase}`, { cause: e });
    throw e;
  }
}
