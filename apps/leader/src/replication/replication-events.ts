import type { QuorumOutcome } from '@quorum-kv/replication-protocol';

/** What the coordinator reports as it works: the app turns these into metrics and log lines. */
export interface ReplicationEvents {
  writeSettled(w: number, outcome: QuorumOutcome): void;
  rpcSucceeded(follower: number, latencyMs: number): void;
  /** `firstFailure`: the follower was fine until now (log once, not per RPC). */
  rpcFailed(follower: number, reason: string, firstFailure: boolean): void;
  catchUpStarted(follower: number, entryCount: number): void;
  snapshotStarted(follower: number, keyCount: number): void;
  logTrimmed(entryCount: number): void;
}
