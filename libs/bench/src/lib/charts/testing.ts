/**
 * Test fakes for the charts and the report: records with plausible defaults, overridden per
 * test. Not exported from the library's index.
 */
import type { ConsistencyRow, SummaryRow, SweepConfig, WriteRecord } from '../records';

export function fakeSummaryRow(w: number, overrides: Partial<SummaryRow> = {}): SummaryRow {
  const modelMean = (1000 * w) / 6;
  return {
    w,
    count: 100,
    errors: 0,
    mean: modelMean + 1,
    median: modelMean + 1,
    p95: modelMean + 300,
    p99: modelMean + 400,
    min: 1,
    max: 999,
    modelMean,
    modelP50: modelMean,
    modelP95: modelMean + 290,
    modelP99: modelMean + 390,
    overheadP50: 1.2,
    overheadP99: 3.4,
    ...overrides,
  };
}

export function fakeWrite(w: number, seq: number, latencyMs: number, overrides: Partial<WriteRecord> = {}): WriteRecord {
  const idealMs = latencyMs - 1;
  return {
    w,
    ackMode: 'received',
    seq,
    key: `k${seq % 10}`,
    lsn: seq + 1,
    startMs: seq * 10,
    latencyMs,
    outcome: 'ok',
    httpStatus: 200,
    error: null,
    acks: w,
    delaysMs: [idealMs, idealMs, idealMs, idealMs, idealMs],
    idealMs,
    overheadMs: 1,
    leaderQuorumMs: idealMs + 0.5,
    leaderMs: idealMs + 0.7,
    ...overrides,
  };
}

export function fakeConsistencyRow(w: number, follower: number, overrides: Partial<ConsistencyRow> = {}): ConsistencyRow {
  return { w, follower, differingKeysAtLastAck: 0, lsnBehindAtLastAck: 0, differingKeysAfterDrain: 0, lsnBehindAfterDrain: 0, ...overrides };
}

export function fakeConfig(overrides: Partial<SweepConfig> = {}): SweepConfig {
  return {
    runtime: 'process',
    followers: 5,
    quorums: [1, 2, 3, 4, 5],
    writes: 100,
    concurrency: 10,
    keys: 10,
    delay: 'uniform:0:1000',
    replicationTimeoutMs: 2000,
    ackMode: 'received',
    seed: 1,
    warmupWrites: 200,
    warmupConcurrency: 50,
    out: 'results/test',
    ...overrides,
  };
}

/**
 * The spec as plain JSON, for tests to walk without Vega-Lite's union types. The round trip
 * also proves the spec is valid JSON (a NaN would come back as null).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function asJson(spec: unknown): any {
  return JSON.parse(JSON.stringify(spec));
}
