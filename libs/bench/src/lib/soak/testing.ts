/** Test fakes for the soak's pure pieces: samples with chosen memory, a config, load totals. */
import type { LoadTotals, SoakConfig, SoakSample } from './soak-records';

export function fakeSoakConfig(overrides: Partial<SoakConfig> = {}): SoakConfig {
  return {
    runtime: 'process',
    followers: 2,
    w: 1,
    durationS: 60,
    ratePerS: 200,
    keys: 100,
    valueBytes: 100,
    delay: 'uniform:0:20',
    replicationTimeoutMs: 2000,
    ackMode: 'received',
    sampleIntervalS: 2,
    warmupS: 10,
    warmupWrites: 200,
    maxOutstanding: 10_000,
    flatThresholdMiBPerMin: 1,
    seed: 1,
    out: 'tmp/soak-test',
    ...overrides,
  };
}

/**
 * Samples every `intervalS` from 0 to `durationS`; each node's RSS and heap used are
 * `memory(node, tS)` (heap used is half the RSS), the leader's LSN is 200 per second.
 */
export function fakeSamples(
  memory: (node: string, tS: number) => number | null,
  {
    durationS = 60,
    intervalS = 2,
    nodes = ['leader', 'follower1', 'follower2'],
    logEntries = null as ((tS: number) => number) | null,
  } = {},
): SoakSample[] {
  const samples: SoakSample[] = [];
  for (let tS = 0; tS <= durationS + 1e-9; tS += intervalS) {
    samples.push({
      tS,
      load: {
        writesSent: tS * 200,
        writesOk: tS * 200,
        writesFailed: 0,
        writesDropped: 0,
        outstanding: 0,
        latencyMsP99SoFar: 12.5,
      },
      leader: { lsn: tS * 200, logEntries: logEntries?.(tS) ?? null, maxLagEntries: 1, followers: [] },
      nodes: nodes.map((node) => {
        const mib = memory(node, tS);
        return {
          node,
          rssMiB: mib,
          heapUsedMiB: mib === null ? null : mib / 2,
          error: mib === null ? 'ECONNREFUSED' : null,
        };
      }),
    });
  }
  return samples;
}

export function fakeLoadTotals(overrides: Partial<LoadTotals> = {}): LoadTotals {
  return {
    writesPlanned: 12_000,
    writesSent: 12_000,
    writesOk: 11_998,
    writesFailed: 2,
    writesDropped: 0,
    errorsByCode: { quorum_timeout: 2 },
    latency: { count: 11_998, meanMs: 14.2, p50Ms: 13.1, p99Ms: 21.7, maxMs: 48.3 },
    sendSeconds: 59.995,
    ...overrides,
  };
}
