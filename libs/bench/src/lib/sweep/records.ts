/**
 * The records a sweep produces, one shape each, shared by the workload, the summaries, the
 * charts and the report. Times are milliseconds.
 */

import type { AckMode } from '@quorum-kv/replication-protocol';
import type { Summary } from '@quorum-kv/stats';
import type { ClusterConfig } from '../cluster/cluster';

/** How one write ended, as in Jepsen: `ok`, `fail` (definitely not applied) or `info` (unknown). */
export type WriteOutcome = 'ok' | 'fail' | 'info';

export interface WriteRecord {
  w: number;
  ackMode: AckMode;
  /** 0-based repeat (`--repeat`), each with its own workload seed. */
  run: number;
  /** 0-based index of the write within its W. */
  seq: number;
  key: string;
  /** LSN the leader gave the write, when it answered with one. */
  lsn: number | null;
  /** Start, relative to the start of the sweep: when it was sent (closed loop) or due (open loop). */
  startMs: number;
  latencyMs: number;
  outcome: WriteOutcome;
  httpStatus: number;
  error: string | null;
  acks: number;
  /** The injected delay the leader drew for each follower (index i is follower i + 1). */
  delaysMs: number[];
  /** The W-th smallest injected delay: the latency of a perfect, zero-cost implementation. */
  idealMs: number | null;
  /** latencyMs - idealMs. */
  overheadMs: number | null;
  /** The leader's own view: from the write's append to its quorum outcome. */
  leaderQuorumMs: number | null;
  /** From the request's arrival at the leader to its answer being written. */
  leaderMs: number | null;
}

/**
 * One row per W (and ack mode) of `summary.csv` / `summary.json`, pooled over the repeats: the
 * stats lib's summary of the successful writes' latencies (without the standard deviation), the
 * model's, and the overhead's percentiles.
 */
export interface SummaryRow extends Omit<Summary, 'stdDev'> {
  w: number;
  errors: number;
  modelMean: number;
  modelP50: number;
  modelP95: number;
  modelP99: number;
  overheadP50: number;
  overheadP99: number;
  ackMode: AckMode;
  /** Repeats pooled in this row. */
  runs: number;
}

export const SUMMARY_COLUMNS: ReadonlyArray<keyof SummaryRow> = [
  'w',
  'count',
  'errors',
  'mean',
  'median',
  'p95',
  'p99',
  'min',
  'max',
  'modelMean',
  'modelP50',
  'modelP95',
  'modelP99',
  'overheadP50',
  'overheadP99',
  'ackMode',
  'runs',
];

/** The statistics that get a confidence interval over repeats. */
export const INTERVAL_METRICS = ['mean', 'median', 'p95', 'p99', 'overheadP50', 'overheadP99'] as const;
export type IntervalMetric = (typeof INTERVAL_METRICS)[number];

/** One row per ack mode, W and metric of `summary-ci.csv`: the metric's mean over runs and its 95% interval. */
export interface IntervalRow {
  ackMode: AckMode;
  w: number;
  metric: IntervalMetric;
  runs: number;
  mean: number;
  ciLow: number;
  ciHigh: number;
}

/** One row per W and follower of `consistency.json`. */
export interface ConsistencyRow {
  w: number;
  ackMode: AckMode;
  run: number;
  /** Follower number, 1-based, as in the delay plan. */
  follower: number;
  differingKeysAtLastAck: number;
  lsnBehindAtLastAck: number;
  differingKeysAfterDrain: number;
  lsnBehindAfterDrain: number;
  /** The follower was stopped on purpose (scenario follower-down): not compared. */
  down?: boolean;
}

/** The run's configuration, written to `config.json` and shown in the report. */
export interface SweepConfig extends ClusterConfig {
  quorums: number[];
  writes: number;
  concurrency: number;
  keys: number;
  /** The named scenario (`--scenario`), which gave the delay plan unless `--delay` was given. */
  scenario: string;
  /** Followers (1-based) stopped after the warm-up. */
  downFollowers: number[];
  /** The first of `ackModes`: the cluster's default. */
  ackMode: AckMode;
  /** Every ack mode measured, one after the other, on the same cluster. */
  ackModes: AckMode[];
  /** Runs of the whole sweep, run r with workload seed `seed + r`. */
  repeat: number;
  /** Open loop: writes per second on a seeded Poisson schedule; null for closed loop. */
  rate: number | null;
  /** Writes sent before measuring, to open connections and warm the code paths. */
  warmupWrites: number;
  warmupConcurrency: number;
  /** Then as many warm-up writes at `concurrency`, for at most this many seconds (0: none). */
  warmupSeconds: number;
  /**
   * Also measure the bare relay floor (`bench floor`: leader and followers as plain node:http
   * processes, the same topology, workload, warm-up and delays), each W right after the store's,
   * and report the overhead next to it. Absent in the config.json of runs older than the flag: no floor.
   */
  floor?: boolean;
  out: string;
}
