/**
 * A follower's state: its promise (the one small object a later on-disk log persists), its log
 * and ordered applier, and the replication answers waiting, in `applied` mode, for their
 * entries to be applied. Each start gets a new instance id, so the leader can tell a restarted
 * (empty) follower from one that merely lagged.
 *
 * Every message is judged and applied in one synchronous step (no await between the epoch
 * check and what follows): there is no moment at which a follower has answered a recovery but
 * not yet promised, or promised but still takes an older leader's entries.
 */
import { randomUUID } from 'node:crypto';
import {
  ApiError,
  OrderedApplier,
  SnapshotStaging,
  judgeLeaderMessage,
  judgeProposal,
  type EpochJudgement,
  type PromiseState,
  type ReceiveResult,
  type RecoverRequest,
  type RecoverResponse,
  type ReplicateRequest,
  type SnapshotChunkRequest,
  type SnapshotRequest,
} from '@quorum-kv/replication-protocol';

interface ApplyWaiter {
  lsn: number;
  resolve: () => void;
  timer: NodeJS.Timeout;
}

export class FollowerNode {
  readonly instanceId: string;
  readonly applier: OrderedApplier;
  /** What must survive a restart once there is a disk: kept in one object so it can be. */
  readonly durable: PromiseState = { promisedEpoch: 0 };
  private waiters: ApplyWaiter[] = [];
  receivedEntries = 0;
  refusedEntries = 0;
  snapshotsInstalled = 0;
  mismatches = 0;

  constructor(
    followerId: string,
    maxBufferedEntries: number,
    readonly clusterId: string,
    maxBufferedBytes = Infinity,
    /** Chunks of a snapshot wait here until the last one (see snapshot-staging.ts). */
    readonly staging = new SnapshotStaging(),
  ) {
    this.instanceId = `${followerId}-${randomUUID().slice(0, 8)}`;
    this.applier = new OrderedApplier(maxBufferedEntries, maxBufferedBytes);
  }

  get promisedEpoch(): number {
    return this.durable.promisedEpoch;
  }

  get discardedCount(): number {
    return this.applier.discardedCount;
  }

  receive(request: ReplicateRequest): ReceiveResult {
    this.admit(request.clusterId, request.epoch, 'replication');
    const result = this.applier.receive(request.entries, { lsn: request.prevLsn, epoch: request.prevEpoch });
    if (result.mismatch) {
      this.mismatches += 1;
      const { lsn, heldEpoch, expectedEpoch } = result.mismatch;
      throw new ApiError(
        'log_mismatch',
        `log mismatch at lsn ${lsn}: this follower holds epoch ${heldEpoch}, the leader epoch ${expectedEpoch}`,
        { ...result.mismatch, appliedLsn: this.applier.appliedLsn, appliedEpoch: this.applier.appliedEpoch },
      );
    }
    this.receivedEntries += result.storedLsns.length;
    this.refusedEntries += result.refusedLsns.length;
    if (result.applied.length > 0 && this.waiters.length > 0) this.wakeWaiters();
    return result;
  }

  /** Installs the leader's snapshot unless this log already holds its last entry; later buffered entries then apply. */
  installSnapshot(request: SnapshotRequest): boolean {
    this.admit(request.clusterId, request.epoch, 'a snapshot');
    const { installed } = this.applier.installSnapshot(request.items, request.lsn, request.epoch);
    if (installed) {
      this.snapshotsInstalled += 1;
      this.wakeWaiters();
    }
    return installed;
  }

  /**
   * One chunk of a snapshot: judged as every leader message is (cluster, epoch), then staged;
   * the last one installs the whole through `installSnapshot`, in the same synchronous step. A
   * chunk of a snapshot this log already holds (its LSN, of its epoch) changes nothing.
   * `bodyBytes`: the chunk's size on the wire, counted against the staging bound. True when
   * this chunk installed the snapshot.
   */
  receiveSnapshotChunk(chunk: SnapshotChunkRequest, bodyBytes: number, nowMs: number): boolean {
    this.admit(chunk.clusterId, chunk.epoch, 'a snapshot');
    if (this.applier.holdsSnapshotPoint(chunk.lsn, chunk.epoch)) {
      this.staging.discard(chunk.epoch, chunk.snapshotId);
      return false;
    }
    const outcome = this.staging.receive(chunk, bodyBytes, nowMs);
    return outcome.kind === 'complete' ? this.installSnapshot(outcome.snapshot) : false;
  }

  /** The recovery step: promise `epoch` and answer with the log, or refuse naming the promise. */
  recover(request: RecoverRequest): RecoverResponse {
    this.checkCluster(request.clusterId);
    this.keep(judgeProposal(this.durable, request.epoch), request.epoch, 'a recovery proposal');
    return {
      followerId: this.instanceId,
      epoch: this.durable.promisedEpoch,
      appliedLsn: this.applier.appliedLsn,
      appliedEpoch: this.applier.appliedEpoch,
      log: this.applier.exportLog(),
    };
  }

  /** Resolves once `lsn` is applied, or after `timeoutMs` (the answer then says how far it got). */
  waitApplied(lsn: number, timeoutMs: number): Promise<void> {
    if (this.applier.appliedLsn >= lsn) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter: ApplyWaiter = {
        lsn,
        resolve,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((w) => w !== waiter);
          resolve();
        }, timeoutMs),
      };
      this.waiters.push(waiter);
    });
  }

  private admit(clusterId: string, epoch: number, what: string): void {
    this.checkCluster(clusterId);
    this.keep(judgeLeaderMessage(this.durable, epoch), epoch, what);
  }

  private checkCluster(clusterId: string): void {
    if (clusterId !== this.clusterId) {
      throw new ApiError(
        'cluster_mismatch',
        `this follower belongs to cluster "${this.clusterId}", not "${clusterId}": refused, nothing changed`,
        { clusterId: this.clusterId, requestClusterId: clusterId },
      );
    }
  }

  private keep(judgement: EpochJudgement, epoch: number, what: string): void {
    if (!judgement.ok) {
      throw new ApiError(
        'stale_epoch',
        `${what} of epoch ${epoch} is refused: this follower promised epoch ${judgement.promisedEpoch}`,
        { promisedEpoch: judgement.promisedEpoch, requestEpoch: epoch },
      );
    }
    this.durable.promisedEpoch = judgement.promisedEpoch;
    this.staging.abortBelow(judgement.promisedEpoch); // a staged snapshot of a superseded leader
  }

  private wakeWaiters(): void {
    const applied = this.applier.appliedLsn;
    const still: ApplyWaiter[] = [];
    for (const waiter of this.waiters) {
      if (waiter.lsn <= applied) {
        clearTimeout(waiter.timer);
        waiter.resolve();
      } else {
        still.push(waiter);
      }
    }
    this.waiters = still;
  }
}
