/**
 * One animation-frame loop per thread for every player in it: a single requestAnimationFrame (or a
 * 16 ms timer where a thread has none) runs the frame callbacks of all players that asked for the
 * next frame, in the order they asked, so the players of a page draw in the same frame and share
 * one queue submission rhythm instead of each running a loop of its own.
 */

type FrameCallback = () => void;

const waiting = new Set<FrameCallback>();
let scheduled = false;

/** Runs `callback` on the thread's next frame; returns a function that cancels it. */
export function requestSharedFrame(callback: FrameCallback): () => void {
  // A wrapper per request, so one callback asked for twice runs twice and each cancel is its own.
  const entry: FrameCallback = () => callback();
  waiting.add(entry);
  if (!scheduled) {
    scheduled = true;
    const raf = (globalThis as { requestAnimationFrame?: (cb: () => void) => number }).requestAnimationFrame;
    if (typeof raf === 'function') raf.call(globalThis, runFrame);
    else setTimeout(runFrame, 16);
  }
  return () => waiting.delete(entry);
}

function runFrame(): void {
  scheduled = false;
  const due = [...waiting];
  waiting.clear();
  for (const callback of due) {
    try {
      callback();
    } catch (e) {
      // One player's failure must not stop the others' frames; it still surfaces.
      setTimeout(() => {
        throw e;
      });
    }
  }
}
