/**
 * The records a soak produces, one shape each, shared by the run, the summary, the CSV, the
 * chart and the report. Times are seconds since the open-loop schedule started (`tS`); memory
 * is MiB (2^20 bytes).
 */
import type { ClusterConfig } from '../cluster/cluster';
import type { RuntimeName } from '../cluster/runtimes';

import type { LatencySummary } from '../common/latency-recorder';
export type { LatencySummary };

/** The runtimes `bench soak` offers (it has never been run on docker). */
export const SOAK_RUNTIMES = ['process', 'external'] as const satisfies readonly RuntimeName[];
export type SoakRuntime = (typeof SOAK_RUNTIMES)[number];

/** The run's configuration, written to `config.json` and shown in the report. */
export interface SoakConfig extends ClusterConfig {
  runtime: SoakRuntime;
  /** Write quorum of every write. */
  w: number;
  durationS: number;
  /** Offered load: writes per second, open loop. */
  ratePerS: number;
  keys: number;
  /** Each value is a JSON string of exactly this many characters. */
  valueBytes: number;
  sampleIntervalS: number;
  /** The first seconds of the schedule: memory "after warm-up" is the first sample at or after it. */
  warmupS: number;
  /** Closed-loop writes before the schedule starts, to open connections (not measured). */
  warmupWrites: number;
  /** Writes allowed in flight at once; a write due while this many are waiting is dropped and counted. */
  maxOutstanding: number;
  /** A node's memory is flat when its second-half slope stays below this. */
  flatThresholdMiBPerMin: number;
  out: string;
}

/** One node's memory at one sample; null values when the node could not be read. */
export interface NodeSample {
  /** `leader`, `follower1` .. `followerN`. */
  node: string;
  rssMiB: number | null;
  heapUsedMiB: number | null;
  /** Why the node could not be read, or null. */
  error: string | null;
}

/** The leader's view at one sample: its /status and its log size. */
export interface LeaderSample {
  lsn: number | null;
  /** `quorumkv_log_entries` from the leader's /metrics; null when the leader does not export it. */
  logEntries: number | null;
  /** Largest lag in entries among the followers. */
  maxLagEntries: number | null;
  followers: Array<{ url: string; lagEntries: number; state: string }>;
}

/** The bench's own counters at one sample. */
export interface LoadSample {
  writesSent: number;
  writesOk: number;
  writesFailed: number;
  writesDropped: number;
  outstanding: number;
  /** p99 of the successful writes answered so far (NaN before the first). */
  latencyMsP99SoFar: number;
}

export interface SoakSample {
  tS: number;
  load: LoadSample;
  leader: LeaderSample;
  nodes: NodeSample[];
}

/** Memory of one node over the run, for one measure (RSS or heap used). */
export interface MemoryTrend {
  /** At the first sample at or after the warm-up (null when the node could not be read then). */
  afterWarmupMiB: number | null;
  /** At the last sample the node could be read. */
  endMiB: number | null;
  maxMiB: number | null;
  /** Least-squares slope over the second half of the run; NaN with fewer than two samples there. */
  slopeMiBPerMin: number;
  /**
   * Half-width of the slope's uncertainty band: two standard errors from the fit's residuals
   * (NaN with fewer than three samples). Garbage collection makes the residuals a saw-tooth,
   * not independent noise, so the band is, if anything, too narrow.
   */
  slopeBandMiBPerMin: number;
}

export interface NodeMemorySummary {
  node: string;
  rss: MemoryTrend;
  heapUsed: MemoryTrend;
  /** Samples at which the node could not be read. */
  failedSamples: number;
}

/** One node's RSS or heap-used slope, as the verdict judged it. */
export interface JudgedSlope {
  node: string;
  measure: 'RSS' | 'heap used';
  slopeMiBPerMin: number;
  slopeBandMiBPerMin: number;
}

/**
 * `flat`: every slope is below the threshold and every band is narrower than it. `grows`: every
 * band is narrower than the threshold and some slope reaches it. `inconclusive`: some band is as
 * wide as the threshold (or could not be computed), so the run cannot tell (run longer).
 */
export type SoakVerdictStatus = 'flat' | 'grows' | 'inconclusive';

export interface SoakVerdict {
  status: SoakVerdictStatus;
  /** status === 'flat'. */
  flat: boolean;
  thresholdMiBPerMin: number;
  /** Slopes at or above the threshold (whatever their band). */
  growing: JudgedSlope[];
  /** Slopes whose band is as wide as the threshold, or that could not be computed. */
  unresolved: JudgedSlope[];
}

/** `soak-summary.json`: the load's totals, the rates they make, the leader's log, every node's memory, the verdict. */
export interface SoakSummary extends LoadTotals {
  offeredRatePerS: number;
  /** Writes sent per second of the schedule (below the offered rate when the bench fell behind). */
  sentRatePerS: number;
  /** Successful writes per second of the schedule. */
  achievedRatePerS: number;
  leader: {
    lsnAtEnd: number | null;
    logEntriesAtEnd: number | null;
    logEntriesMax: number | null;
    logEntriesExported: boolean;
  };
  nodes: NodeMemorySummary[];
  verdict: SoakVerdict;
}

/** What the open-loop writer counted over the whole run. */
export interface LoadTotals {
  writesPlanned: number;
  writesSent: number;
  writesOk: number;
  /** Writes answered with an error status, or not answered. */
  writesFailed: number;
  /** Writes never sent because `maxOutstanding` were in flight. */
  writesDropped: number;
  errorsByCode: Record<string, number>;
  /** Successful writes, each timed from its due time to its answer. */
  latency: LatencySummary;
  /** Seconds from the schedule's start to its last write being sent (or dropped). */
  sendSeconds: number;
}
