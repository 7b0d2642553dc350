import type { QuorumOutcome, RecoveryStatus } from '@quorum-kv/replication-protocol';
import type { RoundResult } from './recovery-round';

/** One failed recovery attempt: fewer than R promised. */
export interface RecoveryAttempt {
  attempt: number;
  epoch: number;
  recoveryQuorum: number;
  round: RoundResult;
}

/** What the coordinator reports as it works: the app turns these into metrics and log lines. */
export interface ReplicationEvents {
  writeSettled(w: number, outcome: QuorumOutcome): void;
  rpcSucceeded(follower: number, latencyMs: number): void;
  /** `firstFailure`: the follower was fine until now (log once, not per RPC). */
  rpcFailed(follower: number, reason: string, firstFailure: boolean): void;
  catchUpStarted(follower: number, entryCount: number): void;
  snapshotStarted(follower: number, keyCount: number): void;
  /** A snapshot to `follower` starts again: it lost the chunks, or the log moved past the snapshot's LSN. */
  snapshotRestarted(follower: number, reason: string): void;
  logTrimmed(entryCount: number): void;
  /** Once per failed attempt (one warn line, not one per follower). */
  recoveryAttempt(attempt: RecoveryAttempt): void;
  recovered(epoch: number, status: RecoveryStatus): void;
  /** `follower` (0-based) refused this leader for `newerEpoch`. */
  fenced(ownEpoch: number, newerEpoch: number, follower: number): void;
}

export const NO_EVENTS: ReplicationEvents = {
  writeSettled: () => undefined,
  rpcSucceeded: () => undefined,
  rpcFailed: () => undefined,
  catchUpStarted: () => undefined,
  snapshotStarted: () => undefined,
  snapshotRestarted: () => undefined,
  logTrimmed: () => undefined,
  recoveryAttempt: () => undefined,
  recovered: () => undefined,
  fenced: () => undefined,
};
