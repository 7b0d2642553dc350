/**
 * One floor run: the relay topology, a warm-up at zero delay (the JIT and the connections),
 * then for each W the sweep's workload (N writes, C in flight, keys k0..k9), each write with
 * delays drawn from the store's delay models and seed, timed from send to answer.
 */
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import pLimit from 'p-limit';
import { DelaySampler, parseDelayPlan } from '@quorum-kv/replication-protocol';
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

const ANSWER_TIMEOUT_MS = 30_000;

function put(agent: http.Agent, leaderUrl: string, key: string, w: number, delaysMs: number[]): Promise<number | null> {
  const body = JSON.stringify({ value: key });
  return new Promise((resolve) => {
    const startedMs = performance.now();
    const req = http.request(
      `${leaderUrl}/kv/${key}?w=${w}`,
      {
        method: 'PUT',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'x-delays': delaysMs.join(','),
        },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode === 200 ? performance.now() - startedMs : null));
      },
    );
    req.setTimeout(ANSWER_TIMEOUT_MS, () => req.destroy());
    req.on('error', () => resolve(null));
    req.end(body);
  });
}

export async function runFloor(
  config: FloorConfig,
  log: (line: string) => void = () => undefined,
): Promise<FloorWrite[]> {
  const sampler = new DelaySampler(parseDelayPlan(config.delay, config.followers), config.seed);
  const topology = await startRelayTopology(config.followers);
  const agent = new http.Agent({ keepAlive: true, maxSockets: config.concurrency, noDelay: true } as http.AgentOptions);
  const limit = pLimit(config.concurrency);
  const zero = Array.from({ length: config.followers }, () => 0);
  try {
    await Promise.all(
      Array.from({ length: config.warmupWrites }, (_, i) =>
        limit(() => put(agent, topology.leaderUrl, `k${i % config.keys}`, 1, zero)),
      ),
    );
    const writes: FloorWrite[] = [];
    for (const w of config.quorums) {
      const planned = Array.from({ length: config.writes }, (_, i) => ({
        key: `k${i % config.keys}`,
        delaysMs: zero.map((_, f) => sampler.next(f)),
      }));
      const done = await Promise.all(
        planned.map(({ key, delaysMs }) =>
          limit(async () => ({ w, delaysMs, latencyMs: await put(agent, topology.leaderUrl, key, w, delaysMs) })),
        ),
      );
      writes.push(...done);
      log(`floor W=${w}: ${done.length} writes`);
    }
    return writes;
  } finally {
    agent.destroy();
    await topology.stop();
  }
}
