/**
 * Writes with `?trace=1`, whose answer carries the injected delay drawn for each follower
 * (`delaysMs`) and the leader's time to quorum (`quorumMs`), and the timing facts any correct
 * leader must show: it cannot have W acks before the W-th smallest delay has passed, and no
 * follower can ack before its own delay has passed.
 */
import { performance } from 'node:perf_hooks';
import type { AckMode } from '@quorum-kv/replication-protocol';
import type { KvClient, WriteAnswer } from '@quorum-kv/bench';

/**
 * A timer scheduled for d ms may fire up to 1 ms before d by `performance.now()` (timers work
 * in whole milliseconds of a cached loop time), so timing checks allow this much.
 */
export const TIMER_TOLERANCE_MS = 1;

export type { AckMode };

export interface TracedWrite {
  key: string;
  lsn: number;
  w: number;
  acks: number;
  ackMode: AckMode;
  quorumMs: number;
  /** 1-based follower numbers, in ack order. */
  ackedFollowers: number[];
  /** Index i is follower i + 1. */
  delaysMs: number[];
}

export interface TimedAnswer extends WriteAnswer {
  /** Measured by the client, from just before sending to just after the answer was read. */
  latencyMs: number;
}

export function kthSmallest(values: number[], k: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const value = sorted[k - 1];
  if (value === undefined) throw new RangeError(`no ${k}-th smallest of ${values.length} values`);
  return value;
}

/** A traced PUT, timed by the client; never throws on an error status. */
export async function timedPut(
  leader: KvClient,
  key: string,
  value: unknown,
  query: Record<string, string | number>,
): Promise<TimedAnswer> {
  const startMs = performance.now();
  const answer = await leader.put(key, value, { ...query, trace: 1 });
  return { ...answer, latencyMs: performance.now() - startMs };
}

/** A traced PUT that must succeed: asserts 200 and the success shape, returns the trace. */
export async function putTraced(
  leader: KvClient,
  key: string,
  value: unknown,
  query: { w: number; ack?: AckMode },
): Promise<TracedWrite & { latencyMs: number }> {
  const answer = await timedPut(leader, key, value, query);
  expect({ httpStatus: answer.httpStatus, body: answer.body }).toEqual({
    httpStatus: 200,
    body: expect.objectContaining({
      key,
      w: query.w,
      ackMode: query.ack ?? expect.any(String),
      lsn: expect.any(Number),
      acks: expect.any(Number),
    }),
  });
  return { ...(answer.body as unknown as TracedWrite), latencyMs: answer.latencyMs };
}

/**
 * The timing facts of one successful write with quorum `w` among `followerCount` followers:
 * at least `w` acks from distinct followers; the leader's quorum time, and the client's latency,
 * not below the w-th smallest delay; every acking follower's delay not above the quorum time.
 */
export function expectQuorumTiming(
  trace: TracedWrite & { latencyMs?: number },
  w: number,
  followerCount: number,
): void {
  expect(trace.delaysMs).toHaveLength(followerCount);
  expect(trace.acks).toBeGreaterThanOrEqual(w);
  expect(trace.acks).toBeLessThanOrEqual(followerCount);
  expect(new Set(trace.ackedFollowers).size).toBe(trace.acks);
  const idealMs = kthSmallest(trace.delaysMs, w);
  const context = {
    lsn: trace.lsn,
    w,
    quorumMs: trace.quorumMs,
    idealMs,
    delaysMs: trace.delaysMs,
    ackedFollowers: trace.ackedFollowers,
  };
  const early = trace.ackedFollowers.filter(
    (f) => (trace.delaysMs[f - 1] as number) > trace.quorumMs + TIMER_TOLERANCE_MS,
  );
  expect({
    ...context,
    quorumBeforeIdeal: trace.quorumMs < idealMs - TIMER_TOLERANCE_MS,
    acksBeforeTheirDelay: early,
  }).toEqual({
    ...context,
    quorumBeforeIdeal: false,
    acksBeforeTheirDelay: [],
  });
  if (trace.latencyMs !== undefined) expect(trace.latencyMs).toBeGreaterThanOrEqual(idealMs - TIMER_TOLERANCE_MS);
}
