// Polling for tests whose condition must be asked for asynchronously (a test hook in a worker).

/** Resolves once `predicate()` holds (asked every 50 ms); rejects after `ms` naming `what`. */
export async function waitFor(predicate: () => boolean | Promise<boolean>, what: string, ms = 120000): Promise<void> {
  const start = performance.now();
  while (!(await predicate())) {
    if (performance.now() - start > ms) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
