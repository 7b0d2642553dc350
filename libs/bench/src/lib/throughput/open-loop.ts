/**
 * Open-loop load, for any system: write i is due at i/rate s whatever happened to the writes
 * before it, and is timed from that due time, so a saturated system shows up as latency rather
 * than as a quietly lower offered rate ("coordinated omission"). The sender queues what its
 * connections cannot take yet; that queueing is part of the latency, as it would be for a user.
 * At most `maxOutstanding` writes wait at once; one due beyond that is counted as `dropped`.
 */
import { performance } from 'node:perf_hooks';
import { OpenLoopSchedule } from '../soak/open-loop-schedule';
import { LoadTally, type LoadOutcome, type SendWrite } from './load-outcome';

export interface OpenLoopOptions {
  ratePerS: number;
  durationS: number;
  maxOutstanding: number;
}

export async function openLoop(send: SendWrite, options: OpenLoopOptions): Promise<LoadOutcome> {
  const schedule = new OpenLoopSchedule(options.ratePerS, options.durationS);
  const tally = new LoadTally();
  const startMs = performance.now();
  let outstanding = 0;
  let onIdle: (() => void) | null = null;
  const fire = (index: number) => {
    if (outstanding >= options.maxOutstanding) return tally.failed('dropped');
    const dueMs = startMs + schedule.dueAtMs(index);
    outstanding++;
    void send(index).then((error) => {
      if (error === null) tally.ok(performance.now() - dueMs);
      else tally.failed(error);
      if (--outstanding === 0) onIdle?.();
    });
  };
  for (;;) {
    const { first, count } = schedule.takeDue(performance.now() - startMs);
    for (let index = first; index < first + count; index++) fire(index);
    const waitMs = schedule.msUntilNext(performance.now() - startMs);
    if (waitMs === null) break;
    if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
  if (outstanding > 0) await new Promise<void>((resolve) => (onIdle = resolve));
  return tally.outcome((performance.now() - startMs) / 1000);
}

/** Closed loop without autocannon (for Redis): `connections` senders, each waiting for its last answer. */
export async function closedLoop(send: SendWrite, connections: number, durationS: number): Promise<LoadOutcome> {
  const tally = new LoadTally();
  const startMs = performance.now();
  const endMs = startMs + durationS * 1000;
  let next = 0;
  const worker = async () => {
    while (performance.now() < endMs) {
      const sentMs = performance.now();
      const error = await send(next++);
      if (error === null) tally.ok(performance.now() - sentMs);
      else tally.failed(error);
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  return tally.outcome((performance.now() - startMs) / 1000);
}
