/**
 * Test fakes for the charts and the report: records with plausible defaults, overridden per
 * test. Not exported from the library's index.
 */
import type { AckMode } from '@quorum-kv/replication-protocol';
import {
  INTERVAL_METRICS,
  type ConsistencyRow,
  type IntervalMetric,
  type IntervalRow,
  type SummaryRow,
  type SweepConfig,
  type WriteRecord,
} from '../records';

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
    ackMode: 'received',
    runs: 1,
    ...overrides,
  };
}

export function fakeWrite(
  w: number,
  seq: number,
  latencyMs: number,
  overrides: Partial<WriteRecord> = {},
): WriteRecord {
  const idealMs = latencyMs - 1;
  return {
    w,
    ackMode: 'received',
    run: 0,
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

export function fakeConsistencyRow(
  w: number,
  follower: number,
  overrides: Partial<ConsistencyRow> = {},
): ConsistencyRow {
  return {
    w,
    ackMode: 'received',
    run: 0,
    follower,
    differingKeysAtLastAck: 0,
    lsnBehindAtLastAck: 0,
    differingKeysAfterDrain: 0,
    lsnBehindAfterDrain: 0,
    ...overrides,
  };
}

/** A follower stopped on purpose (scenario follower-down): every number NaN. */
export function fakeDownRow(w: number, follower: number, overrides: Partial<ConsistencyRow> = {}): ConsistencyRow {
  return fakeConsistencyRow(w, follower, {
    differingKeysAtLastAck: NaN,
    lsnBehindAtLastAck: NaN,
    differingKeysAfterDrain: NaN,
    lsnBehindAfterDrain: NaN,
    down: true,
    ...overrides,
  });
}

/**
 * Interval rows for one ack mode and W, one per metric, centred on the summary row's value
 * (mean over runs) with the interval `halfWidthMs` either side.
 */
export function fakeIntervals(
  row: SummaryRow,
  runs: number,
  halfWidthMs = 10,
  ackMode: AckMode = row.ackMode,
): IntervalRow[] {
  return INTERVAL_METRICS.map((metric: IntervalMetric) => {
    const mean = row[metric];
    return { ackMode, w: row.w, metric, runs, mean, ciLow: mean - halfWidthMs, ciHigh: mean + halfWidthMs };
  });
}

/** A config; `ackMode` and `ackModes` follow each other unless both are given. */
export function fakeConfig(overrides: Partial<SweepConfig> = {}): SweepConfig {
  const ackMode = overrides.ackModes?.[0] ?? overrides.ackMode ?? 'received';
  return {
    runtime: 'process',
    followers: 5,
    quorums: [1, 2, 3, 4, 5],
    writes: 100,
    concurrency: 10,
    keys: 10,
    scenario: 'seed',
    delay: 'uniform:0:1000',
    downFollowers: [],
    replicationTimeoutMs: 2000,
    ackMode,
    ackModes: [ackMode],
    repeat: 1,
    rate: null,
    seed: 1,
    warmupWrites: 200,
    warmupConcurrency: 50,
    warmupSeconds: 0,
    out: 'results/test',
    ...overrides,
  };
}

/** One layer of a spec read back with `asJson`: what the chart specs' tests look at. */
export interface SpecLayer {
  mark: { type: string; text?: string; filled?: boolean };
  transform?: Array<{ filter: unknown }>;
  encoding?: Record<string, { field?: string; datum?: number }>;
}

/**
 * The spec as plain JSON, for tests to walk without Vega-Lite's union types. The round trip
 * also proves the spec is valid JSON (a NaN would come back as null).
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function asJson(spec: unknown): any {
  return JSON.parse(JSON.stringify(spec));
}
