/**
 * A queue of captured frames read as an async iterable while they are still being captured: fit
 * mode detects the person in frame k while the video seeks to frame k + 1 (the seek waits on the
 * browser's decoder, detection on the main thread's WASM, so the two overlap).
 */
import type { CapturedFrame } from './types.js';

export interface FrameStream extends AsyncIterable<CapturedFrame> {
  /** Adds a frame for the reader. */
  push(frame: CapturedFrame): void;
  /** No more frames: the reader's loop ends after the ones queued. */
  end(): void;
  /** Capture failed: the reader's loop throws `error` after the frames queued. */
  fail(error: unknown): void;
}

export function createFrameStream(): FrameStream {
  const queued: CapturedFrame[] = [];
  let finished = false;
  let failure: { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  return {
    push(frame) {
      if (finished) return;
      queued.push(frame);
      notify();
    },
    end() {
      finished = true;
      notify();
    },
    fail(error) {
      if (finished) return;
      finished = true;
      failure = { error };
      notify();
    },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        const next = queued.shift();
        if (next) {
          yield next;
          continue;
        }
        if (failure) throw failure.error;
        if (finished) return;
        await new Promise<void>((resolve) => (wake = resolve));
      }
    },
  };
}
