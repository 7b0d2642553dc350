/**
 * Polling with a deadline, for conditions a cluster reaches on its own time (a follower seen as
 * unreachable, a catch-up finished). A probe that throws counts as "not yet": a node that is
 * restarting cannot be read for a moment, and that is not the failure being waited on.
 */

export interface WaitOptions {
  timeoutMs: number;
  pollMs?: number;
}

/**
 * Calls `probe` until it returns something other than `undefined`, and returns that. After
 * `timeoutMs` it throws, naming `what` and the last error the probe threw, so a failing test
 * says what it was waiting for.
 */
export async function waitUntil<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  options: WaitOptions,
): Promise<T> {
  const pollMs = options.pollMs ?? 50;
  const deadlineMs = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
      lastError = undefined;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadlineMs) {
      const why = lastError instanceof Error ? `; last error: ${lastError.message}` : '';
      throw new Error(`timed out after ${options.timeoutMs} ms waiting for ${what}${why}`);
    }
    await sleepMs(pollMs);
  }
}

export function sleepMs(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
