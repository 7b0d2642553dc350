/** Test fakes for callers of this library (import from '@quorum-kv/replication-protocol/testing' paths in specs). */
import type { Clock, TimerHandle } from './lib/clock';
import { ApiError } from './lib/errors';
import { PROTOCOL_VERSION } from './lib/protocol-version';
import type { BatchRequest, BatchResponse, Entry, JsonValue } from './lib/wire';

/** A clock that moves only when told to; timers fire in time order during `advance`. */
export class FakeClock implements Clock {
  private nowMs = 0;
  private nextId = 1;
  private readonly timers = new Map<number, { atMs: number; callback: () => void }>();

  now(): number {
    return this.nowMs;
  }

  setTimeout(callback: () => void, delayMs: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { atMs: this.nowMs + Math.max(0, delayMs), callback });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.timers.delete(handle as number);
  }

  get pendingTimers(): number {
    return this.timers.size;
  }

  advance(ms: number): void {
    const target = this.nowMs + ms;
    for (;;) {
      let dueId: number | undefined;
      let dueAt = Infinity;
      for (const [id, timer] of this.timers) {
        if (timer.atMs <= target && timer.atMs < dueAt) {
          dueId = id;
          dueAt = timer.atMs;
        }
      }
      if (dueId === undefined) break;
      const timer = this.timers.get(dueId) as { atMs: number; callback: () => void };
      this.timers.delete(dueId);
      this.nowMs = timer.atMs;
      timer.callback();
    }
    this.nowMs = target;
  }
}

/** Runs `fn` and returns the ApiError it throws (failing the test if it throws anything else). */
export function apiErrorOf(fn: () => unknown): ApiError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error('expected an ApiError, nothing was thrown');
}

/** A put entry for tests, of epoch 1 and stamped with its LSN as leader time unless told otherwise. */
export function putEntry(lsn: number, key: string, value: JsonValue, epoch = 1): Entry {
  return { lsn, epoch, op: 'put', key, value, leaderTimeMs: lsn };
}

/** A valid batch message of the current protocol version: one put, at the start of the log. */
export const SAMPLE_BATCH_REQUEST: BatchRequest = {
  protocolVersion: PROTOCOL_VERSION,
  leaderId: 'leader',
  clusterId: 'c',
  epoch: 1,
  prevLsn: 0,
  prevEpoch: 0,
  ackMode: 'received',
  entries: [putEntry(1, 'k', 1)],
};

/** A valid answer to it: the put stored and applied, acked cumulatively. */
export const SAMPLE_BATCH_RESPONSE: BatchResponse = {
  followerId: 'f1',
  appliedLsn: 1,
  refusedLsns: [],
  bufferedCount: 0,
  epoch: 1,
  appliedEpoch: 1,
  protocolVersion: PROTOCOL_VERSION,
  ack: { upToLsn: 1, beyondLsns: [] },
};
