/**
 * One floor run: the relay topology, a warm-up at zero delay (the JIT and the connections),
 * then for each W the sweep's workload (N writes, C in flight, keys k0..k9), each write with
 * delays drawn from the store's delay models and seed, sent through the sweep's own client and
 * timed as the sweep times the store's writes.
 */
import { performance } from 'node:perf_hooks';
import pLimit from 'p-limit';
import { DelaySampler, parseDelayPlan } from '@quorum-kv/replication-protocol';
import { KvClient } from '../cluster/kv-client';
import type { FloorWrite } from './floor-summary';
import { startRelayTopology } from './relay-topology';

export interface FloorConfig {
  followers: number;
  quorums: number[];
  writes: number;
  concurrency: number;
  keys: number;
  delay: string;
  seed: number;
  warmupWrites: number;
}

/**
 * One write to the relay, through the sweep's own client (`KvClient.put`) and timed as the sweep
 * times the store's (from just before the request to the awaited answer), so the client's cost
 * is the same on both sides of the comparison. The relay reads the write's delays from `x-delays`.
 */
async function put(client: KvClient, key: string, w: number, delaysMs: number[]): Promise<number | null> {
  const startedMs = performance.now();
  const { httpStatus } = await client.put(key, key, { w }, { 'x-delays': delaysMs.join(',') });
  return httpStatus === 200 ? performance.now() - startedMs : null;
}

export async function runFloor(
  config: FloorConfig,
  log: (line: string) => void = () => undefined,
): Promise<FloorWrite[]> {
  const sampler = new DelaySampler(parseDelayPlan(config.delay, config.followers), config.seed);
  const topology = await startRelayTopology(config.followers);
  const client = new KvClient(topology.leaderUrl, config.concurrency);
  const limit = pLimit(config.concurrency);
  const zero = Array.from({ length: config.followers }, () => 0);
  try {
    await Promise.all(
      Array.from({ length: config.warmupWrites }, (_, i) => limit(() => put(client, `k${i % config.keys}`, 1, zero))),
    );
    const writes: FloorWrite[] = [];
    for (const w of config.quorums) {
      const planned = Array.from({ length: config.writes }, (_, i) => ({
        key: `k${i % config.keys}`,
        delaysMs: zero.map((_, f) => sampler.next(f)),
      }));
      const done = await Promise.all(
        planned.map(({ key, delaysMs }) =>
          limit(async () => ({ w, delaysMs, latencyMs: await put(client, key, w, delaysMs) })),
        ),
      );
      writes.push(...done);
      log(`floor W=${w}: ${done.length} writes`);
    }
    return writes;
  } finally {
    client.close();
    await topology.stop();
  }
}
