import type { ReplicateRequest, ReplicateResponse, SnapshotRequest } from '@quorum-kv/replication-protocol';

/** How the coordinator reaches follower `follower` (0-based); HTTP in the app, in memory in tests. */
export interface ReplicationTransport {
  send(follower: number, request: ReplicateRequest, timeoutMs: number): Promise<ReplicateResponse>;
  /** Replaces the follower's state with the leader's (for a follower behind the trimmed log). */
  sendSnapshot(follower: number, request: SnapshotRequest, timeoutMs: number): Promise<ReplicateResponse>;
  /** Closes idle connections; called on shutdown. */
  close(): void;
}
