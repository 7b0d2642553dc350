/**
 * The workload of one W: `writes` writes to keys k0..k{keys-1} (drawn with a seed), either
 * closed loop (at most `concurrency` in flight, p-limit; each timed from just before its
 * request is sent) or open loop (`rate` writes per second on a seeded Poisson schedule; each
 * timed from when it was due, so time spent queueing behind slow writes is counted and not
 * hidden: no coordinated omission).
 */
import { performance } from 'node:perf_hooks';
import pLimit from 'p-limit';
import { createRng, type Rng, type AckMode } from '@quorum-kv/replication-protocol';
import { kthSmallest } from '@quorum-kv/stats';
import type { KvClient } from '../cluster/kv-client';
import type { WriteOutcome, WriteRecord } from './records';

export interface WorkloadOptions {
  w: number;
  writes: number;
  concurrency: number;
  keys: number;
  ackMode: AckMode;
  seed: number;
  /** The repeat this workload belongs to (recorded with every write). */
  run?: number;
  /** Open loop: writes per second (Poisson arrivals); absent or null for closed loop. */
  rate?: number | null;
  /** Followers (1-based) stopped on purpose: they never ack, so their delays are no part of a write's ideal. */
  downFollowers?: number[];
  /** performance.now() at the start of the sweep; records' startMs are relative to it. */
  epochMs: number;
  onWrite?: (record: WriteRecord) => void;
  /** performance.now() after which writes not yet sent are skipped (closed loop: the warm-up's time bound). */
  stopAtMs?: number;
}

/** The W-th smallest of the delays: the latency of a zero-cost implementation. */
export function idealLatencyMs(delaysMs: number[], w: number): number | null {
  return delaysMs.length < w ? null : kthSmallest(delaysMs, w);
}

export function outcomeOf(httpStatus: number, body: Record<string, unknown>): WriteOutcome {
  if (httpStatus === 200) return 'ok';
  if (body['definite'] === true) return 'fail';
  return 'info';
}

/** Offsets (ms from the start) of `count` Poisson arrivals at `ratePerS`. */
export function poissonScheduleMs(count: number, ratePerS: number, rng: Rng): number[] {
  const offsets: number[] = [];
  let at = 0;
  for (let i = 0; i < count; i++) {
    at += (-Math.log(1 - rng.next()) / ratePerS) * 1000;
    offsets.push(at);
  }
  return offsets;
}

/** Added to the seed of the warm-up's draws (keys, delays), so they never repeat the measured writes'. */
export const WARMUP_SEED_OFFSET = 1_000_000;

/** One part of the warm-up: `writes` at W=1, `concurrency` in flight, ending after `seconds` if not null. */
export interface WarmupPart {
  writes: number;
  concurrency: number;
  seconds: number | null;
}

/**
 * The warm-up, in order. First `warmupWrites` at `warmupConcurrency`, which opens the connections
 * and gets the hot paths compiled quickly; then, unless that was already the measured
 * concurrency, as many writes again at `concurrency` for at most `warmupSeconds`. The JIT goes
 * on compiling (and re-compiling what the change of load deoptimised) for a few thousand writes
 * of the measured load's own shape: without the second part `one-slow-follower` measured
 * W=1's first writes on code still being compiled (the README has the figures). Pure.
 */
export function warmupParts(config: {
  concurrency: number;
  warmupWrites: number;
  warmupConcurrency: number;
  warmupSeconds: number;
}): WarmupPart[] {
  if (config.warmupWrites === 0) return [];
  const parts: WarmupPart[] = [{ writes: config.warmupWrites, concurrency: config.warmupConcurrency, seconds: null }];
  if (config.warmupSeconds > 0 && config.concurrency !== config.warmupConcurrency)
    parts.push({ writes: config.warmupWrites, concurrency: config.concurrency, seconds: config.warmupSeconds });
  return parts;
}

/** "5000 writes at W=1, 100 in flight" (", for at most 8 s" when bounded). */
export function describeWarmupPart(part: WarmupPart): string {
  const bound = part.seconds === null ? '' : `, for at most ${part.seconds} s`;
  return `${part.writes} writes at W=1, ${part.concurrency} in flight${bound}`;
}

/** When a part starting now ends (performance.now()): Infinity when only its count bounds it. */
export function warmupStopAtMs(part: WarmupPart): number {
  return part.seconds === null ? Infinity : performance.now() + part.seconds * 1000;
}

/** A closed-loop task that runs unless `stopAtMs` (performance.now()) has passed when its turn comes; null if skipped. */
export function unlessPast<T>(stopAtMs: number, task: () => Promise<T>): () => Promise<T | null> {
  return () => (performance.now() > stopAtMs ? Promise.resolve(null) : task());
}

/** Most keep-alive sockets the sweep's client opens to the leader (a bound, whatever the rate asks). */
export const MAX_LEADER_SOCKETS = 4096;

/**
 * Sockets the sweep's client may open to the leader: enough that no write ever waits in the
 * client for a free one, since that wait would count as the leader's overhead. Closed loop: the
 * writes in flight (measured or warm-up), doubled. Open loop: every write is answered within its
 * quorum timeout (plus a second's slack), so at most `rate` × that many are in flight.
 */
export function leaderSockets(config: {
  concurrency: number;
  warmupConcurrency: number;
  rate: number | null;
  replicationTimeoutMs: number;
}): number {
  const closedLoop = Math.max(64, config.concurrency * 2, config.warmupConcurrency);
  const openLoop = config.rate ? Math.ceil(config.rate * (config.replicationTimeoutMs / 1000 + 1)) : 0;
  return Math.min(MAX_LEADER_SOCKETS, Math.max(closedLoop, openLoop));
}

const sleepUntil = (atMs: number) =>
  new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, atMs - performance.now())));

export async function runWorkload(client: KvClient, options: WorkloadOptions): Promise<WriteRecord[]> {
  const rng = createRng(options.seed, 1000 + options.w);
  const plan = Array.from({ length: options.writes }, (_, seq) => ({
    seq,
    key: `k${Math.floor(rng.next() * options.keys)}`,
  }));
  if (options.rate) {
    const startMs = performance.now();
    const dueMs = poissonScheduleMs(options.writes, options.rate, createRng(options.seed, 2000 + options.w));
    return Promise.all(
      plan.map(async ({ seq, key }) => {
        const due = startMs + (dueMs[seq] as number);
        await sleepUntil(due);
        return timedWrite(client, options, seq, key, due);
      }),
    );
  }
  const limit = pLimit(options.concurrency);
  const stopAtMs = options.stopAtMs ?? Infinity;
  const records = await Promise.all(
    plan.map(({ seq, key }) =>
      limit(unlessPast(stopAtMs, () => timedWrite(client, options, seq, key, performance.now()))),
    ),
  );
  return records.filter((r) => r !== null);
}

/** One write, its latency measured from `fromMs` (when it was sent, or when it was due). */
async function timedWrite(
  client: KvClient,
  options: WorkloadOptions,
  seq: number,
  key: string,
  fromMs: number,
): Promise<WriteRecord> {
  const value = { w: options.w, seq };
  const query = { w: options.w, ack: options.ackMode, trace: 1 };
  const { httpStatus, body } = await client.put(key, value, query);
  const latencyMs = performance.now() - fromMs;
  const delaysMs = Array.isArray(body['delaysMs']) ? (body['delaysMs'] as number[]) : [];
  const down = options.downFollowers ?? [];
  const idealMs = idealLatencyMs(
    down.length === 0 ? delaysMs : delaysMs.filter((_, i) => !down.includes(i + 1)),
    options.w,
  );
  const outcome = outcomeOf(httpStatus, body);
  const record: WriteRecord = {
    w: options.w,
    ackMode: options.ackMode,
    run: options.run ?? 0,
    seq,
    key,
    lsn: typeof body['lsn'] === 'number' ? body['lsn'] : null,
    startMs: fromMs - options.epochMs,
    latencyMs,
    outcome,
    httpStatus,
    error: outcome === 'ok' ? null : String(body['error'] ?? 'unknown'),
    acks: typeof body['acks'] === 'number' ? body['acks'] : 0,
    delaysMs,
    idealMs,
    overheadMs: outcome === 'ok' && idealMs !== null ? latencyMs - idealMs : null,
    leaderQuorumMs: typeof body['quorumMs'] === 'number' ? body['quorumMs'] : null,
    leaderMs: typeof body['leaderMs'] === 'number' ? body['leaderMs'] : null,
  };
  options.onWrite?.(record);
  return record;
}
