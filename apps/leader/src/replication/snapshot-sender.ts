/**
 * Snapshots to followers, chunk by chunk (see the protocol lib's snapshot-transfer.ts). One
 * transfer per follower at most: taken at the state's LSN L when the follower first needs one,
 * then one chunk per call, each retried with the same bytes until the follower takes it.
 *
 * Every chunk is retried with the same bytes, but a first chunk that got no answer (the follower
 * is down, most likely) is dropped once writes came since: a fresh snapshot replaces it, so a
 * follower that is away pins no old state.
 *
 * A transfer starts again (a new snapshot at the then current LSN, counted in `/status` as a
 * restart) when the follower lost what it staged (it restarted: `snapshot_interrupted`), or
 * when the log no longer holds L + 1 and the follower cannot hold all that was trimmed after L
 * either (it buffers live writes meanwhile): it would install L and still lack what follows,
 * so it would need another snapshot at once. A snapshot installed behind the log counts too. The README says how to size MAX_LOG_BYTES so that
 * this does not repeat forever (Redis's full-resync loop).
 *
 * The caller (the coordinator) keeps the follower's progress and calls one `sendNext` at a time
 * per follower; what it resolves with says what happened. It never rejects.
 */
import {
  SnapshotTransfer,
  type Clock,
  type KvState,
  type ReplicateResponse,
  type ReplicationLog,
  type SnapshotTransferStatus,
} from '@quorum-kv/replication-protocol';
import { FollowerRefusal, type ReplicationTransport } from './transport';
import type { ReplicationEvents } from './replication-events';

export interface SnapshotSenderOptions {
  leaderId: string;
  clusterId: string;
  followerCount: number;
  /** Most bytes (entries as JSON) of keys in one chunk; one key always goes (MAX_CATCH_UP_BYTES). */
  maxChunkBytes: number;
  replicationTimeoutMs: number;
  transport: ReplicationTransport;
  clock: Clock;
  events: ReplicationEvents;
  /** The leader's state and log, read when a snapshot is taken and before each chunk. */
  state: KvState;
  log: ReplicationLog;
}

export type SnapshotStep =
  /** The follower took a chunk; more follow. */
  | { kind: 'chunk-acked' }
  /** The follower holds the snapshot's LSN of its epoch now: its log is the leader's up to there. */
  | { kind: 'installed'; response: ReplicateResponse; lsn: number }
  /** It answered the last chunk without holding the snapshot (should not happen): try again after a backoff. */
  | { kind: 'not-installed'; reason: string }
  | { kind: 'failed'; error: unknown };

export class SnapshotSender {
  private readonly transfers: Array<SnapshotTransfer | undefined>;
  /** Entries the follower said it buffers, at its last answer to a chunk (live writes since L). */
  private readonly bufferedCounts: number[];
  private readonly restarts: number[];
  private nextSnapshotId = 1;

  constructor(private readonly options: SnapshotSenderOptions) {
    this.transfers = Array.from({ length: options.followerCount }, () => undefined);
    this.restarts = Array.from({ length: options.followerCount }, () => 0);
    this.bufferedCounts = Array.from({ length: options.followerCount }, () => 0);
  }

  /** `/status`'s view of follower `follower`'s snapshot. */
  status(follower: number): { snapshot: SnapshotTransferStatus | null; snapshotRestarts: number } {
    return {
      snapshot: this.transfers[follower]?.status() ?? null,
      snapshotRestarts: this.restarts[follower] ?? 0,
    };
  }

  /** Sends follower `follower` the next chunk of its snapshot, taking one first if none is on its way. */
  async sendNext(follower: number): Promise<SnapshotStep> {
    const transfer = this.transferFor(follower);
    const { transport, replicationTimeoutMs } = this.options;
    let response: ReplicateResponse;
    const chunk = transfer.current();
    try {
      response = await transport.sendSnapshotChunk(follower, chunk, replicationTimeoutMs);
    } catch (error) {
      if (error instanceof FollowerRefusal && error.code === 'snapshot_interrupted') {
        this.restart(follower, `the follower lost the snapshot's chunks (${error.message})`);
      } else if (chunk.seq === 0 && this.options.state.appliedLsn > transfer.lsn) {
        // Nothing of it arrived (the follower is down, most likely) and writes came since: the
        // next attempt takes a fresh one, so no old state stays pinned for an absent follower.
        this.transfers[follower] = undefined;
      }
      return { kind: 'failed', error };
    }
    const { lsn, epoch } = transfer.header;
    this.bufferedCounts[follower] = response.bufferedCount;
    if (response.appliedLsn >= lsn && (response.appliedLsn === 0 || response.appliedEpoch === epoch)) {
      this.transfers[follower] = undefined;
      // Installed, and what it buffered since applied on top: does the log still hold what follows?
      const trimmed = this.trimmedPast(response.appliedLsn);
      if (trimmed) this.restart(follower, trimmed);
      return { kind: 'installed', response, lsn };
    }
    if (chunk.last) {
      this.transfers[follower] = undefined;
      return { kind: 'not-installed', reason: `snapshot at lsn ${lsn} of epoch ${epoch} not installed` };
    }
    transfer.acknowledged();
    return { kind: 'chunk-acked' };
  }

  /**
   * The follower's transfer; a new one when none is on its way, or when the one on its way can
   * no longer help: a new epoch began, or the log was trimmed past its LSN by more entries than
   * the follower buffers (live writes reach it during the snapshot, and what it buffered applies
   * right after the install, so a trimmed gap it holds is no reason to start again).
   */
  private transferFor(follower: number): SnapshotTransfer {
    const current = this.transfers[follower];
    if (current) {
      const { log } = this.options;
      const missing = log.firstLsn - 1 - current.lsn;
      const doomed = missing > (this.bufferedCounts[follower] ?? 0) ? this.trimmedPast(current.lsn) : undefined;
      const stale = current.header.epoch !== log.epoch ? 'a new epoch began' : doomed;
      if (!stale) return current;
      this.restart(follower, stale);
    }
    this.bufferedCounts[follower] = 0;
    const { state, log, leaderId, clusterId, maxChunkBytes, events } = this.options;
    const header = { leaderId, clusterId, epoch: log.epoch, lsn: state.appliedLsn, snapshotId: this.nextSnapshotId++ };
    const transfer = new SnapshotTransfer(header, state.exportRefs(), maxChunkBytes);
    this.transfers[follower] = transfer;
    events.snapshotStarted(follower, transfer.totalItems);
    return transfer;
  }

  /** Why a snapshot at `lsn` no longer helps (the log lacks `lsn + 1` and holds later entries), or undefined. */
  private trimmedPast(lsn: number): string | undefined {
    const { log } = this.options;
    if (log.lastLsn <= lsn || log.firstLsn <= lsn + 1) return undefined;
    return `the log was trimmed past the snapshot's lsn ${lsn} (it starts at ${log.firstLsn}) before the follower had it; see MAX_LOG_BYTES in the README`;
  }

  private restart(follower: number, reason: string): void {
    this.transfers[follower] = undefined;
    this.restarts[follower] = (this.restarts[follower] ?? 0) + 1;
    this.options.events.snapshotRestarted(follower, reason);
  }
}
