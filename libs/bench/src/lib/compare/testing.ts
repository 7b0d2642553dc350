/**
 * Test fakes for the comparison: summary rows, configs and validated runs with plausible
 * defaults, overridden per test. Not exported from the library's index.
 */
import type { SummaryRow } from '../sweep/records';
import type { RunConfig, RunData, RunRole } from './run-input';

export function row(w: number, overrides: Partial<SummaryRow> = {}): SummaryRow {
  const mean = 100 * w;
  return {
    w,
    count: 100,
    errors: 0,
    mean,
    median: mean,
    p95: mean + 50,
    p99: mean + 80,
    min: 1,
    max: mean + 100,
    modelMean: mean - 2,
    modelP50: mean - 2,
    modelP95: mean + 48,
    modelP99: mean + 78,
    overheadP50: 1.5,
    overheadP99: 4,
    ackMode: 'received',
    runs: 1,
    ...overrides,
  };
}

export function config(overrides: Partial<RunConfig> = {}): RunConfig {
  return {
    runtime: 'process',
    followers: 5,
    quorums: [1, 2, 3],
    writes: 100,
    concurrency: 10,
    keys: 10,
    delay: 'uniform:0:1000',
    downFollowers: [],
    replicationTimeoutMs: 2000,
    ackMode: 'received',
    repeat: 1,
    rate: null,
    seed: 1,
    warmupWrites: 200,
    warmupConcurrency: 50,
    warmupSeconds: 0,
    out: 'results/x',
    ...overrides,
  };
}

export function run(role: RunRole, overrides: Partial<RunData> = {}): RunData {
  return {
    role,
    dir: `tmp/run-${role.toLowerCase()}`,
    ackMode: 'received',
    config: config(),
    summary: [row(1), row(2), row(3)],
    consistency: null,
    ...overrides,
  };
}

/** A spec as plain JSON, for tests to walk without Vega-Lite's union types (a NaN would come back as null). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function asJson(spec: unknown): any {
  return JSON.parse(JSON.stringify(spec));
}
