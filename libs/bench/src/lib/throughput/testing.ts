/** Test fakes of the throughput benchmark: rows with only what a case cares about set. */
import type { ThroughputResult, ThroughputRow } from './throughput-records';

export function row(overrides: Partial<ThroughputRow> & Pick<ThroughputRow, 'system'>): ThroughputRow {
  return {
    w: 3,
    mode: 'closed',
    connections: 50,
    durationS: 10,
    offeredRatePerS: null,
    writesOk: 1000,
    errors: 0,
    errorsByCode: {},
    writesPerS: 100,
    latency: { count: 1000, meanMs: 10, p50Ms: 9, p99Ms: 30, maxMs: 40 },
    cpuSeconds: 1,
    cpuMsPerWrite: 1,
    cpuMsPerWriteByProcess: {},
    clientCpuMsPerWrite: 0.1,
    ...overrides,
  };
}

export function result(
  rows: ThroughputRow[],
  redisSkipped: string | null = null,
  more: Partial<ThroughputResult['config']> & { groupCommit?: ThroughputResult['groupCommit'] } = {},
): ThroughputResult {
  const { groupCommit, ...configOverrides } = more;
  return {
    config: {
      followers: 5,
      quorums: [1, 3],
      connections: 50,
      durationS: 10,
      ratePerS: null,
      warmupS: 2,
      keys: 100,
      valueBytes: 16,
      delay: 'constant:0',
      replicationTimeoutMs: 2000,
      ackMode: 'received',
      redis: true,
      cpuProf: false,
      leaderEnv: {},
      storage: ['memory'],
      seed: 1,
      out: 'out',
      ...configOverrides,
    },
    ...(groupCommit && { groupCommit }),
    startedAt: '2026-12-02T18:00:00.000Z',
    machine: { cpus: 2, node: 'v20', platform: 'linux' },
    redisSkipped,
    rows,
  };
}
