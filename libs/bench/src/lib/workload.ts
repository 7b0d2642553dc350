/**
 * The closed-loop workload of one W: `writes` writes to keys k0..k{keys-1}, at most
 * `concurrency` in flight (p-limit), each timed from just before its request is sent to just
 * after its answer is read. Keys are drawn with a seeded generator.
 */
import { performance } from 'node:perf_hooks';
import pLimit from 'p-limit';
import { createRng } from '@quorum-kv/replication-protocol';
import { kthSmallest } from '@quorum-kv/stats';
import type { KvClient } from './kv-client';
import type { WriteOutcome, WriteRecord } from './records';

export interface WorkloadOptions {
  w: number;
  writes: number;
  concurrency: number;
  keys: number;
  ackMode: 'received' | 'applied';
  seed: number;
  /** performance.now() at the start of the sweep; records' startMs are relative to it. */
  epochMs: number;
  onWrite?: (record: WriteRecord) => void;
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

export async function runWorkload(client: KvClient, options: WorkloadOptions): Promise<WriteRecord[]> {
  const rng = createRng(options.seed, 1000 + options.w);
  const limit = pLimit(options.concurrency);
  const plan = Array.from({ length: options.writes }, (_, seq) => ({ seq, key: `k${Math.floor(rng.next() * options.keys)}` }));
  return Promise.all(
    plan.map(({ seq, key }) =>
      limit(async () => {
        const value = { w: options.w, seq };
        const query = { w: options.w, ack: options.ackMode, trace: 1 };
        const startMs = performance.now();
        const { httpStatus, body } = await client.put(key, value, query);
        const latencyMs = performance.now() - startMs;
        const delaysMs = Array.isArray(body['delaysMs']) ? (body['delaysMs'] as number[]) : [];
        const idealMs = idealLatencyMs(delaysMs, options.w);
        const outcome = outcomeOf(httpStatus, body);
        const record: WriteRecord = {
          w: options.w,
          ackMode: options.ackMode,
          seq,
          key,
          lsn: typeof body['lsn'] === 'number' ? body['lsn'] : null,
          startMs: startMs - options.epochMs,
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
      }),
    ),
  );
}
