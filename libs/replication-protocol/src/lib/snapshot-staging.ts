/**
 * The follower's side of a chunked snapshot: chunks are staged apart from the live state, and
 * only the last one turns them into one whole snapshot to install (atomically, by the caller).
 * Invariant, first: at most one snapshot is staged, and what it holds is bounded in bytes.
 *
 * - Chunks of one snapshot come in order, `seq` 0, 1, ...; a chunk already staged (a retry
 *   whose answer was lost) is acknowledged again and changes nothing; a gap means the staging
 *   was lost (a restart, a timeout, a newer snapshot) and is refused: the leader starts again.
 * - A newer snapshot (higher epoch, or same epoch and higher id) starting at chunk 0 replaces the
 *   staged one; an older one is refused and changes nothing.
 * - Beyond `maxStagedBytes` (declared up front by the leader, or received) the snapshot is
 *   refused and its staging dropped. Staging untouched for `idleTimeoutMs` is dropped too, so a
 *   leader that died mid-snapshot does not pin the memory.
 *
 * Pure: time comes in as `nowMs`; epoch and cluster checks are the caller's (every chunk passes
 * them before it gets here).
 */
import { ApiError } from './errors';
import type { SnapshotItem } from './kv-state';
import { DEFAULT_LIMITS } from './limits';
import type { SnapshotChunkRequest, SnapshotRequest } from './wire';

export interface StagingLimits {
  /** Most bytes of chunk bodies one staged snapshot may hold (MAX_SNAPSHOT_BYTES). */
  maxStagedBytes: number;
  /** A staged snapshot no chunk has reached for this long is dropped (SNAPSHOT_IDLE_TIMEOUT_MS). */
  idleTimeoutMs: number;
}

export const DEFAULT_STAGING_LIMITS: Readonly<StagingLimits> = Object.freeze({
  maxStagedBytes: DEFAULT_LIMITS.maxSnapshotBytes,
  idleTimeoutMs: DEFAULT_LIMITS.snapshotIdleTimeoutMs,
});

export type StageOutcome =
  /** Stored; `nextSeq` is the chunk expected next. */
  | { kind: 'staged'; nextSeq: number }
  /** Already staged before (a retry): nothing changed. */
  | { kind: 'duplicate'; nextSeq: number }
  /** The last chunk: the whole snapshot, to install now. The staging is cleared. */
  | { kind: 'complete'; snapshot: SnapshotRequest };

/** What `/status` shows of the staged snapshot. */
export interface StagingStatus {
  snapshotId: number;
  epoch: number;
  lsn: number;
  nextSeq: number;
  stagedItems: number;
  stagedBytes: number;
  totalItems: number;
}

interface Staged {
  header: SnapshotChunkRequest;
  nextSeq: number;
  items: SnapshotItem[];
  bytes: number;
  lastChunkMs: number;
}

/** True when (epoch, id) a is older than b. */
function olderThan(a: { epoch: number; snapshotId: number }, b: { epoch: number; snapshotId: number }): boolean {
  return a.epoch < b.epoch || (a.epoch === b.epoch && a.snapshotId < b.snapshotId);
}

export class SnapshotStaging {
  private staged: Staged | undefined;
  /** Staged snapshots dropped before their last chunk (replaced, too large, idle, epoch passed). */
  abortedCount = 0;

  constructor(private readonly limits: Readonly<StagingLimits> = DEFAULT_STAGING_LIMITS) {}

  get status(): StagingStatus | null {
    const s = this.staged;
    if (!s) return null;
    return {
      snapshotId: s.header.snapshotId,
      epoch: s.header.epoch,
      lsn: s.header.lsn,
      nextSeq: s.nextSeq,
      stagedItems: s.items.length,
      stagedBytes: s.bytes,
      totalItems: s.header.totalItems,
    };
  }

  /** Stages `chunk` (whose body was `bodyBytes` long), or throws a definite refusal. */
  receive(chunk: SnapshotChunkRequest, bodyBytes: number, nowMs: number): StageOutcome {
    this.expire(nowMs);
    const staged = this.staged;
    if (staged && olderThan(chunk, staged.header)) {
      throw interrupted(chunk, `snapshot ${staged.header.snapshotId} of epoch ${staged.header.epoch} replaced it`);
    }
    if (!staged || olderThan(staged.header, chunk)) return this.start(chunk, bodyBytes, nowMs);
    if (chunk.seq < staged.nextSeq) return { kind: 'duplicate', nextSeq: staged.nextSeq };
    if (chunk.seq > staged.nextSeq) throw interrupted(chunk, `chunk ${staged.nextSeq} comes next`);
    return this.append(staged, chunk, bodyBytes, nowMs);
  }

  /** Drops a staged snapshot idle for the timeout. */
  expire(nowMs: number): void {
    if (this.staged && nowMs - this.staged.lastChunkMs >= this.limits.idleTimeoutMs) this.abort();
  }

  /** Drops a staged snapshot of an epoch below `promisedEpoch`: its leader was superseded. */
  abortBelow(promisedEpoch: number): void {
    if (this.staged && this.staged.header.epoch < promisedEpoch) this.abort();
  }

  /** Drops the staged snapshot `snapshotId` of `epoch`, if staged (the follower holds its point already). */
  discard(epoch: number, snapshotId: number): void {
    const header = this.staged?.header;
    if (header && header.epoch === epoch && header.snapshotId === snapshotId) this.abort();
  }

  private start(chunk: SnapshotChunkRequest, bodyBytes: number, nowMs: number): StageOutcome {
    if (this.staged) this.abort(); // a newer snapshot replaces it, whatever becomes of this chunk
    if (chunk.seq !== 0) throw interrupted(chunk, 'no chunk of it is staged here; chunk 0 comes first');
    if (chunk.totalBytes > this.limits.maxStagedBytes) throw this.tooLarge(chunk, chunk.totalBytes);
    const staged: Staged = { header: { ...chunk, items: [] }, nextSeq: 0, items: [], bytes: 0, lastChunkMs: nowMs };
    this.staged = staged;
    return this.append(staged, chunk, bodyBytes, nowMs);
  }

  private append(staged: Staged, chunk: SnapshotChunkRequest, bodyBytes: number, nowMs: number): StageOutcome {
    const { header } = staged;
    if (
      chunk.lsn !== header.lsn ||
      chunk.totalItems !== header.totalItems ||
      chunk.totalBytes !== header.totalBytes ||
      chunk.leaderId !== header.leaderId
    ) {
      this.abort();
      throw new ApiError(
        'invalid_request',
        `snapshot ${chunk.snapshotId}: chunk ${chunk.seq} disagrees with chunk 0 on lsn, leader or totals; staging dropped`,
      );
    }
    if (staged.bytes + bodyBytes > this.limits.maxStagedBytes) {
      this.abort();
      throw this.tooLarge(chunk, staged.bytes + bodyBytes);
    }
    const itemCount = staged.items.length + chunk.items.length;
    if (itemCount > header.totalItems || (chunk.last && itemCount !== header.totalItems)) {
      this.abort();
      throw new ApiError(
        'invalid_request',
        `snapshot ${chunk.snapshotId}: ${itemCount} keys staged through chunk ${chunk.seq}, but it has ${header.totalItems}; staging dropped`,
      );
    }
    for (const item of chunk.items) staged.items.push(item);
    staged.bytes += bodyBytes;
    staged.nextSeq += 1;
    staged.lastChunkMs = nowMs;
    if (!chunk.last) return { kind: 'staged', nextSeq: staged.nextSeq };
    this.staged = undefined;
    const { leaderId, clusterId, epoch, lsn } = header;
    return { kind: 'complete', snapshot: { leaderId, clusterId, epoch, lsn, items: staged.items } };
  }

  private abort(): void {
    this.staged = undefined;
    this.abortedCount += 1;
  }

  private tooLarge(chunk: SnapshotChunkRequest, bytes: number): ApiError {
    return new ApiError(
      'snapshot_too_large',
      `snapshot ${chunk.snapshotId} needs ${bytes} bytes staged, over this follower's bound of ${this.limits.maxStagedBytes} (MAX_SNAPSHOT_BYTES): refused, nothing changed`,
      { maxSnapshotBytes: this.limits.maxStagedBytes, snapshotBytes: bytes, snapshotId: chunk.snapshotId },
    );
  }
}

function interrupted(chunk: SnapshotChunkRequest, why: string): ApiError {
  return new ApiError(
    'snapshot_interrupted',
    `snapshot ${chunk.snapshotId} chunk ${chunk.seq} refused: ${why}; start the snapshot again`,
    { snapshotId: chunk.snapshotId, seq: chunk.seq },
  );
}
