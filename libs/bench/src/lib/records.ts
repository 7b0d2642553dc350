/**
 * The records a sweep produces, one shape each, shared by the workload, the summaries, the
 * charts and the report. Times are milliseconds.
 */

/** How one write ended, as in Jepsen: `ok`, `fail` (definitely not applied) or `info` (unknown). */
export type WriteOutcome = 'ok' | 'fail' | 'info';

export interface WriteRecord {
  w: number;
  ackMode: 'received' | 'applied';
  /** 0-based index of the write within its W. */
  seq: number;
  key: string;
  /** LSN the leader gave the write, when it answered with one. */
  lsn: number | null;
  /** Start, relative to the start of the sweep. */
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

/** One row per W of `summary.csv` / `summary.json`. */
export interface SummaryRow {
  w: number;
  count: number;
  errors: number;
  mean: number;
  median: number;
  p95: number;
  p99: number;
  min: number;
  max: number;
  modelMean: number;
  modelP50: number;
  modelP95: number;
  modelP99: number;
  overheadP50: number;
  overheadP99: number;
}

export const SUMMARY_COLUMNS: ReadonlyArray<keyof SummaryRow> = [
  'w', 'count', 'errors', 'mean', 'median', 'p95', 'p99', 'min', 'max',
  'modelMean', 'modelP50', 'modelP95', 'modelP99', 'overheadP50', 'overheadP99',
];

/** One row per W and follower of `consistency.json`. */
export interface ConsistencyRow {
  w: number;
  /** Follower number, 1-based, as in the delay plan. */
  follower: number;
  differingKeysAtLastAck: number;
  lsnBehindAtLastAck: number;
  differingKeysAfterDrain: number;
  lsnBehindAfterDrain: number;
}

/** The run's configuration, written to `config.json` and shown in the report. */
export interface SweepConfig {
  runtime: 'process' | 'docker' | 'external';
  leaderUrl?: string;
  followers: number;
  quorums: number[];
  writes: number;
  concurrency: number;
  keys: number;
  delay: string;
  replicationTimeoutMs: number;
  ackMode: 'received' | 'applied';
  seed: number;
  /** Writes sent before measuring, to open connections and warm the code paths. */
  warmupWrites: number;
  warmupConcurrency: number;
  out: string;
}
