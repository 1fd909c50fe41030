/**
 * Polling for tests: wait until something holds, on the real clock. `setTimeout` is taken when
 * this module loads, so the polling still runs in a test that mocks timers (node:test
 * `mock.timers`) to drive the code under test by hand.
 */
const realSetTimeout = globalThis.setTimeout;
const pause = (ms: number): Promise<void> => new Promise((resolve) => realSetTimeout(resolve, ms));

/** Polls `check` every `everyMs` until it returns a value other than undefined; rejects after timeoutMs. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) throw new Error(`waitFor(${what}): not within ${timeoutMs} ms${lastError ? `; last error: ${String(lastError)}` : ''}`);
    await pause(everyMs);
  }
}

/** Resolves once `condition()` is true (checked every 2 ms); rejects after timeoutMs. */
export async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  await waitFor('condition', async () => (condition() ? true : undefined), timeoutMs, 2);
}
