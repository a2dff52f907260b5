// For tests of the render worker's start-up and sharing: counts the Workers a page constructs
// (the SDK constructs its worker through the global `Worker`) and can make them run another script.

/** What happened to the workers the page constructed while installed. */
export interface WorkerLog {
  created: number;
  /** performance.now() of each construction and termination. */
  createdAt: number[];
  terminatedAt: number[];
  /** Puts the real Worker back. */
  restore(): void;
}

/** Replaces the global Worker by one that logs, and, given `script` (a module's source), runs that instead of the worker asked for. */
export function watchWorkers(script?: string): WorkerLog {
  const Original = globalThis.Worker;
  const log: WorkerLog = { created: 0, createdAt: [], terminatedAt: [], restore: () => (globalThis.Worker = Original) };
  const substitute = script === undefined ? undefined : URL.createObjectURL(new Blob([script], { type: 'text/javascript' }));
  globalThis.Worker = class extends Original {
    constructor(url: string | URL, options?: WorkerOptions) {
      super(substitute ?? url, options);
      log.created++;
      log.createdAt.push(performance.now());
    }

    override terminate(): void {
      log.terminatedAt.push(performance.now());
      super.terminate();
    }
  };
  return log;
}
