/**
 * Loads that a newer one supersedes, as a media element's `src`: starting a load aborts the one
 * before it (its fetch is cancelled, its parse skipped) and the older load fires nothing — neither
 * 'load' nor 'error'. Its promise, where a caller awaits one (loadAvatar, loadMotion), rejects
 * with AbortError.
 */
import { AbortError } from '../src/errors.js';

/** One load: its signal (for fetch) and whether a newer load or the element's removal ended it. */
export interface LoadTicket {
  readonly signal: AbortSignal;
  /** True until a newer load starts or the loads are aborted. */
  isCurrent(): boolean;
  /** Throws AbortError naming `field` once superseded (call between the steps of a load). */
  throwIfSuperseded(field: string): void;
}

export class LatestLoad {
  private controller: AbortController | null = null;

  /** Starts a load, aborting the previous one. */
  start(): LoadTicket {
    this.controller?.abort();
    const controller = new AbortController();
    this.controller = controller;
    const isCurrent = () => !controller.signal.aborted;
    return {
      signal: controller.signal,
      isCurrent,
      throwIfSuperseded(field) {
        if (!isCurrent()) throw supersededError(field);
      },
    };
  }

  /** Aborts the load in progress, if any (the element left the page). */
  abort(): void {
    this.controller?.abort();
    this.controller = null;
  }
}

/** The AbortError a superseded load ends with. */
export function supersededError(field: string): AbortError {
  return new AbortError(`${field}: superseded by a later load`);
}
