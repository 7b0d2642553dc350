/**
 * Fires a callback `delayMs` from now, to about 0.05 ms. Node's timers work in whole
 * milliseconds of a cached loop clock and fire up to ~1 ms early or late; that error would
 * show up in every measured latency as noise on top of the injected delay. So: a coarse
 * timer to within `SPIN_WINDOW_MS` of the deadline, then `setImmediate` turns until the
 * high-resolution clock reaches it. The event loop keeps serving I/O between turns, and the
 * spinning costs at most ~SPIN_WINDOW_MS of CPU per delayed RPC.
 */
import { performance } from 'node:perf_hooks';

const SPIN_WINDOW_MS = 1.5;

export function preciseDelay(callback: () => void, delayMs: number): void {
  const deadline = performance.now() + delayMs;
  const spin = () => {
    if (performance.now() >= deadline) callback();
    else setImmediate(spin);
  };
  if (delayMs > SPIN_WINDOW_MS) setTimeout(spin, delayMs - SPIN_WINDOW_MS);
  else spin();
}
