/**
 * The floor's runs: the relay topology, warmed up as the sweep warms up the store (the same
 * number of writes at W=1, as many in flight, delays drawn from the same models), then for
 * each W the sweep's workload (N writes, C in flight, keys k0..k9), each write with delays
 * drawn from the store's delay models and seed, sent through the sweep's own client and timed
 * as the sweep times the store's writes. The sweep measures each W of the floor right after
 * the same W of the store (`startFloorSession`), so a machine whose speed drifts over the
 * minutes of a sweep moves both sides alike; `bench floor` runs them one after another.
 */
import { performance } from 'node:perf_hooks';
import pLimit from 'p-limit';
import { DelaySampler, parseDelayPlan } from '@quorum-kv/replication-protocol';
import { KvClient } from '../cluster/kv-client';
import { WARMUP_SEED_OFFSET, unlessPast, warmupParts, warmupStopAtMs } from '../sweep/workload';
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
  warmupConcurrency: number;
  warmupSeconds: number;
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

/**
 * `count` writes at `w`, `concurrency` in flight, each with the next delays of `sampler`; those
 * whose turn comes after `stopAtMs` (performance.now()) are not sent.
 */
async function writeAll(
  client: KvClient,
  config: FloorConfig,
  sampler: DelaySampler,
  w: number,
  count: number,
  concurrency: number,
  stopAtMs = Infinity,
): Promise<FloorWrite[]> {
  const limit = pLimit(concurrency);
  const planned = Array.from({ length: count }, (_, i) => ({
    key: `k${i % config.keys}`,
    delaysMs: Array.from({ length: config.followers }, (_, f) => sampler.next(f)),
  }));
  const writes = await Promise.all(
    planned.map(({ key, delaysMs }) =>
      limit(unlessPast(stopAtMs, async () => ({ w, delaysMs, latencyMs: await put(client, key, w, delaysMs) }))),
    ),
  );
  return writes.filter((write) => write !== null);
}

/** A warmed-up relay topology: `measure(w)` runs the workload of one W; `stop` ends the relays. */
export interface FloorSession {
  measure(w: number): Promise<FloorWrite[]>;
  stop(): Promise<void>;
}

export async function startFloorSession(config: FloorConfig): Promise<FloorSession> {
  const plan = parseDelayPlan(config.delay, config.followers);
  const sampler = new DelaySampler(plan, config.seed);
  const topology = await startRelayTopology(config.followers);
  const client = new KvClient(topology.leaderUrl, Math.max(config.concurrency, config.warmupConcurrency));
  const stop = async () => {
    client.close();
    await topology.stop();
  };
  try {
    const warmup = new DelaySampler(plan, config.seed + WARMUP_SEED_OFFSET);
    for (const part of warmupParts(config))
      await writeAll(client, config, warmup, 1, part.writes, part.concurrency, warmupStopAtMs(part));
  } catch (err) {
    await stop();
    throw err;
  }
  return { measure: (w) => writeAll(client, config, sampler, w, config.writes, config.concurrency), stop };
}

/** Every W of `config.quorums`, one after another, on one warmed-up topology. */
export async function runFloor(
  config: FloorConfig,
  log: (line: string) => void = () => undefined,
): Promise<FloorWrite[]> {
  const session = await startFloorSession(config);
  try {
    const writes: FloorWrite[] = [];
    for (const w of config.quorums) {
      const done = await session.measure(w);
      writes.push(...done);
      log(`floor W=${w}: ${done.length} writes`);
    }
    return writes;
  } finally {
    await session.stop();
  }
}
