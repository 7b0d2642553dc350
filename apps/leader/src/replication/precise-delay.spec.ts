import { performance } from 'node:perf_hooks';
import { preciseDelay } from './precise-delay';

/** Resolves with the time `preciseDelay` took to call back, measured on the same clock. */
function measure(delayMs: number): Promise<number> {
  const startedMs = performance.now();
  return new Promise((resolve) => preciseDelay(() => resolve(performance.now() - startedMs), delayMs));
}

describe('preciseDelay', () => {
  // Each case: a delay; the callback must never run before it (node's own timers may run up to
  // ~1 ms early, which is what this helper exists to avoid). The upper bound is loose on purpose:
  // a shared CI machine can stall, and lateness is measured by the bench, not here.
  test.each([
    { name: 'zero', delayMs: 0 },
    { name: 'inside the spin window', delayMs: 1 },
    { name: 'just above the spin window', delayMs: 2 },
    { name: 'a coarse timer first', delayMs: 25 },
    { name: 'fractional', delayMs: 7.3 },
  ])('$name ($delayMs ms): never early, runs once', async ({ delayMs }) => {
    let calls = 0;
    const elapsedMs = await measure(delayMs);
    preciseDelay(() => (calls += 1), delayMs);
    await new Promise((resolve) => setTimeout(resolve, delayMs + 20));
    expect(elapsedMs).toBeGreaterThanOrEqual(delayMs);
    expect(elapsedMs).toBeLessThan(delayMs + 500);
    expect(calls).toBe(1);
  });

  // Other work queued before the delay starts must run before its callback: the spin yields a
  // loop turn between checks instead of busy-waiting. The whole delay is inside the spin window,
  // so no coarse timer does the yielding; the order of the check phase makes this exact.
  it('yields the event loop between spin checks: work queued first runs before the callback', async () => {
    const order: string[] = [];
    setImmediate(() => order.push('other work'));
    await new Promise<void>((resolve) =>
      preciseDelay(() => {
        order.push('callback');
        resolve();
      }, 1),
    );
    expect(order).toEqual(['other work', 'callback']);
  });
});
