/**
 * The records of a durability sweep, one shape each, shared by the runner, the summary, the
 * heat map and the report. Followers are numbered from 1, as in the delay plan; times are ms
 * from the start of the sweep.
 */
import type { AckMode, FsyncMode } from '@quorum-kv/replication-protocol';
import type { RuntimeName } from '../cluster/runtimes';
import type { WriteOutcome } from '../sweep/records';

/** Where a durability sweep's cluster runs: only these can cut a leader-follower link. */
export const DURABILITY_RUNTIMES = ['process', 'docker'] as const satisfies readonly RuntimeName[];
export type DurabilityRuntime = (typeof DURABILITY_RUNTIMES)[number];

/** The run's configuration, written to `config.json` and shown in the report. */
export interface DurabilityConfig {
  /** The runtimes that can cut a link and restart the leader. */
  runtime: DurabilityRuntime;
  followers: number;
  /** Write quorums W, one row of the heat map each. */
  quorums: number[];
  /** Recovery quorums R (the restarted leader's RECOVERY_QUORUM), one column each. */
  recoveryQuorums: number[];
  /** Writes per (W, R) cell, each to a key of its own. */
  writes: number;
  /** Leader crashes per cell. */
  crashes: number;
  concurrency: number;
  delay: string;
  replicationTimeoutMs: number;
  /** How long a restarted leader may take to serve; past it the cut followers are healed and it gets as long again. */
  recoveryTimeoutMs: number;
  ackMode: AckMode;
  seed: number;
  out: string;
  /** The process runtime: every node on its own DATA_DIR under this folder (a restarted leader replays its log). */
  dataDir?: string;
  fsync?: FsyncMode;
}

/** One write of the workload, with what the leader answered. */
export interface DurabilityWrite {
  w: number;
  r: number;
  /** 0-based index of the write within its cell. */
  seq: number;
  /** Unique in the whole sweep, so a lost write is never confused with an overwritten one. */
  key: string;
  value: string;
  /** The crash this write preceded (0-based), or the number of crashes for the writes after the last one. */
  beforeCrash: number;
  /** Followers cut off from the leader while it was written. */
  cutFollowers: number[];
  startMs: number;
  latencyMs: number;
  outcome: WriteOutcome;
  httpStatus: number;
  error: string | null;
  lsn: number | null;
  epoch: number | null;
  acks: number;
}

/** What became of one leader crash. */
export interface CrashRecord {
  w: number;
  r: number;
  index: number;
  /** Followers cut off before the crash (writes after it reached only the holders). */
  cutBefore: number[];
  holders: number[];
  /** Followers cut off while the restarted leader recovered. */
  recoveryCut: number[];
  /** The recovery cut every holder: the case W + R ≤ N allows, where acknowledged writes may be lost. */
  adversarial: boolean;
  /** Writes of the cell answered before the crash, and how many of them were acknowledged. */
  writesBefore: number;
  acknowledgedBefore: number;
  killedAtMs: number;
  /** The leader served again within the recovery timeout, with the recovery cut still in place. */
  recoveredUnderCut: boolean;
  /** The leader served again at all (after healing every follower, if it had to). */
  recovered: boolean;
  recoveryMs: number | null;
  /** The leader's epoch and recovery figures once it served, as its /status reported them (null if absent). */
  epoch: number | null;
  recovery: Record<string, unknown> | null;
}

/** What the final read on the leader found for one acknowledged write. */
export type ReadFinding = 'present' | 'lost' | 'changed' | 'unreadable';

export interface LossCheckRow {
  w: number;
  r: number;
  key: string;
  seq: number;
  finding: ReadFinding;
  httpStatus: number;
}

/** The model's verdict for a cell: the quorum intersection W + R > N promises no loss. */
export type ModelVerdict = 'no loss' | 'may lose';

/** One (W, R) cell of `durability-summary.csv` / `.json`. */
export interface DurabilityCell {
  w: number;
  r: number;
  followers: number;
  writes: number;
  acknowledged: number;
  /** Acknowledged writes missing on the leader, or holding another value. */
  lost: number;
  /** Acknowledged writes whose final read failed: neither present nor known lost. */
  unreadable: number;
  /** lost / acknowledged (NaN without acknowledged writes). */
  lostFraction: number;
  crashes: number;
  adversarialCrashes: number;
  recoveries: number;
  modelVerdict: ModelVerdict;
  /**
   * 'held': no loss where none may happen, or any count where the model allows it; 'violated': a
   * loss the model forbids; 'unchecked': some acknowledged write could not be read, or none was
   * acknowledged.
   */
  status: 'held' | 'violated' | 'unchecked';
}
