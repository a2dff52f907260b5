/**
 * How the page tells a worker that is starting from one that is dead or stuck, by real signals
 * rather than one long timeout. The worker's entry module is tiny: its first statement says it
 * runs and keeps saying so (a heartbeat) while it loads the rest of its code and checks what it
 * needs (WebGPU), then reports ready — with a problem, if it cannot do its work here — or failed.
 * The page (awaitWorkerStart) gives up when the worker's script fails (`error` event,
 * `messageerror`), when the worker is silent for `silenceMs` (no first sign of life, or it stopped
 * answering), or when a live worker is not ready within `limitMs`.
 */

const ALIVE = 'gaussian-avatar:worker-alive';
const READY = 'gaussian-avatar:worker-ready';
const FAILED = 'gaussian-avatar:worker-failed';
/** How often a starting worker says it is alive. */
export const WORKER_HEARTBEAT_MS = 1000;

/** The start-up messages (comlink ignores them: no id). */
export type WorkerStartMessage =
  | { type: typeof ALIVE }
  | { type: typeof READY; problem: string | null }
  | { type: typeof FAILED; reason: string };

/** Worker side: the start-up message of that kind (for tests that stand in for a worker). */
export const workerStartMessage = {
  alive: (): WorkerStartMessage => ({ type: ALIVE }),
  ready: (problem: string | null): WorkerStartMessage => ({ type: READY, problem }),
  failed: (reason: string): WorkerStartMessage => ({ type: FAILED, reason }),
};

/**
 * In a worker, as its entry's first statement: says it is alive (now and every second) while
 * `start` loads the worker's code and checks it can work, then posts ready with `start`'s
 * problem (null: none), or failed when `start` throws.
 */
export function runWorkerStart(start: () => Promise<string | null>): void {
  const post = (message: WorkerStartMessage) => (globalThis as unknown as { postMessage(m: unknown): void }).postMessage(message);
  post(workerStartMessage.alive());
  const heartbeat = setInterval(() => post(workerStartMessage.alive()), WORKER_HEARTBEAT_MS);
  start().then(
    (problem) => post(workerStartMessage.ready(problem)),
    (e) => post(workerStartMessage.failed(e instanceof Error ? e.message : String(e))),
  ).finally(() => clearInterval(heartbeat));
}

/** The outcome of a start: ready (problem null: it can work), or why not. */
export type WorkerStartOutcome = { ready: true; problem: string | null } | { ready: false; reason: string };

/**
 * Page side: watches `worker` from its creation until it is ready or given up (see the file's
 * comment). Never rejects.
 */
export function awaitWorkerStart(worker: Worker, silenceMs: number, limitMs: number): Promise<WorkerStartOutcome> {
  return new Promise((resolve) => {
    let heard = false;
    let silence: ReturnType<typeof setTimeout>;
    const finish = (outcome: WorkerStartOutcome) => {
      clearTimeout(silence);
      clearTimeout(limit);
      worker.removeEventListener('message', onMessage);
      worker.removeEventListener('error', onError);
      worker.removeEventListener('messageerror', onMessageError);
      resolve(outcome);
    };
    const fail = (reason: string) => finish({ ready: false, reason });
    const listen = () => {
      clearTimeout(silence);
      silence = setTimeout(() => fail(heard
        ? `the worker stopped answering during its start-up (silent for ${silenceMs} ms)`
        : `the worker did not start within ${silenceMs} ms (no sign of life: its script did not load or run)`), timerMs(silenceMs));
    };
    const onMessage = (event: MessageEvent) => {
      const message = event.data as Partial<WorkerStartMessage> | null;
      if (message?.type === ALIVE) {
        heard = true;
        listen();
      } else if (message?.type === READY) {
        finish({ ready: true, problem: (message as { problem: string | null }).problem });
      } else if (message?.type === FAILED) {
        fail(`the worker failed to start: ${(message as { reason: string }).reason}`);
      }
    };
    const onError = (event: Event) => {
      event.preventDefault(); // handled here (the caller falls back): not an uncaught error of the page
      fail(`the worker failed to start: ${(event as ErrorEvent).message || 'its script could not be loaded or threw (error event)'}`);
    };
    const onMessageError = () => fail('the worker failed to start: a message from it could not be read (messageerror)');
    worker.addEventListener('message', onMessage);
    worker.addEventListener('error', onError);
    worker.addEventListener('messageerror', onMessageError);
    const limit = setTimeout(() => fail(`the worker was alive but not ready within ${limitMs} ms (loading its code or checking WebGPU)`), timerMs(limitMs));
    listen();
  });
}

/** setTimeout treats delays past 2³¹ − 1 ms (Infinity too) as 0. */
function timerMs(ms: number): number {
  return Math.min(ms, 2 ** 31 - 1);
}
