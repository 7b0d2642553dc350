/**
 * A follower's state: its promise (the one small object a later on-disk log persists), its log
 * and ordered applier, and the replication answers waiting, in `applied` mode, for their
 * entries to be applied. Each start gets a new instance id, so the leader can tell a restarted
 * (empty) follower from one that merely lagged.
 *
 * Every message is judged and applied in one synchronous step (no await between the epoch
 * check and what follows): there is no moment at which a follower has answered a recovery but
 * not yet promised, or promised but still takes an older leader's entries. What changed the
 * node is then logged to its journal (the on-disk log with DATA_DIR), and the answer waits for
 * it: written to the OS for every ack, an fsync too for `flushed` acks and promises.
 */
import { randomUUID } from 'node:crypto';
import {
  ApiError,
  OrderedApplier,
  SnapshotStaging,
  judgeLeaderMessage,
  judgeProposal,
  type EpochJudgement,
  type FollowerLog,
  type PromiseState,
  type ReceiveResult,
  type RecoverRequest,
  type RecoverResponse,
  type ReplicateRequest,
  type SnapshotItem,
  type SnapshotChunkRequest,
  type SnapshotRequest,
} from '@quorum-kv/replication-protocol';
import { inMemoryJournal, type FollowerJournal, type FollowerRecord } from './storage/follower-journal';

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
  /** Messages carrying entries from the leader (batches, catch-up, heartbeats), judged or not. */
  replicationMessages = 0;
  refusedEntries = 0;
  snapshotsInstalled = 0;
  mismatches = 0;

  constructor(
    followerId: string,
    maxBufferedEntries: number,
    readonly clusterId: string,
    maxBufferedBytes = Infinity,
    readonly journal: FollowerJournal = inMemoryJournal,
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

  /**
   * Stores a batch (judged and applied at once), logs it when it changed anything, and resolves
   * once that is written (and fsynced, for `flushed`). An unchanged batch (a resend) still waits
   * for the records before it: what it acks again may not be written yet.
   */
  async receive(request: ReplicateRequest): Promise<ReceiveResult> {
    this.replicationMessages += 1;
    this.checkCluster(request.clusterId);
    const persistent = this.journal.persistent;
    const before = persistent ? this.fingerprint() : '';
    const result = this.acceptEntries(request);
    if (persistent && this.fingerprint() !== before) {
      const { epoch, prevLsn, prevEpoch, entries } = request;
      void this.journal.record({ t: 'entries', epoch, prevLsn, prevEpoch, entries });
      this.journal.maybeSnapshot(() => this.durableView());
    }
    await (request.ackMode === 'flushed' ? this.journal.flush() : this.journal.written());
    return result;
  }

  /** Replays one logged record at start: the same steps as when it arrived, nothing logged again. */
  replay(record: FollowerRecord): void {
    this.durable.promisedEpoch = Math.max(this.durable.promisedEpoch, record.epoch);
    if (record.t === 'install') this.applySnapshot(record.items, record.lsn, record.epoch);
    else if (record.t === 'entries') this.acceptEntries(record);
  }

  /** Restores a snapshot of this follower's own log (its base state, then the entries after it). */
  restore(promisedEpoch: number, log: FollowerLog): void {
    this.durable.promisedEpoch = promisedEpoch;
    this.applier.installSnapshot(log.items, log.baseLsn, log.baseEpoch);
    if (log.entries.length > 0) this.applier.receive(log.entries, { lsn: log.baseLsn, epoch: log.baseEpoch });
  }

  /** What a snapshot of this follower on disk holds. */
  durableView(): { promisedEpoch: number; log: FollowerLog } {
    return { promisedEpoch: this.durable.promisedEpoch, log: this.applier.exportLog() };
  }

  /** Changes whenever a batch changes the node: its promise, applied or buffered entries, or discards. */
  private fingerprint(): string {
    const a = this.applier;
    return `${this.durable.promisedEpoch}/${a.appliedLsn}/${a.appliedEpoch}/${a.bufferedCount}/${a.bufferedBytes}/${a.discardedCount}`;
  }

  private acceptEntries(request: Pick<ReplicateRequest, 'epoch' | 'prevLsn' | 'prevEpoch' | 'entries'>): ReceiveResult {
    this.keep(judgeLeaderMessage(this.durable, request.epoch), request.epoch, 'replication');
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
  async installSnapshot(request: SnapshotRequest): Promise<boolean> {
    this.admit(request.clusterId, request.epoch, 'a snapshot');
    const installed = this.applySnapshot(request.items, request.lsn, request.epoch);
    if (installed) {
      const { epoch, lsn, items } = request;
      void this.journal.record({ t: 'install', epoch, lsn, items });
      this.journal.maybeSnapshot(() => this.durableView());
    }
    await this.journal.written();
    return installed;
  }

  /**
   * One chunk of a snapshot: judged as every leader message is (cluster, epoch), then staged;
   * the last one installs the whole through `installSnapshot` (which logs it with DATA_DIR). A
   * chunk of a snapshot this log already holds (its LSN, of its epoch) changes nothing.
   * `bodyBytes`: the chunk's size on the wire, counted against the staging bound. True when
   * this chunk installed the snapshot.
   */
  async receiveSnapshotChunk(chunk: SnapshotChunkRequest, bodyBytes: number, nowMs: number): Promise<boolean> {
    this.admit(chunk.clusterId, chunk.epoch, 'a snapshot');
    if (this.applier.holdsSnapshotPoint(chunk.lsn, chunk.epoch)) {
      this.staging.discard(chunk.epoch, chunk.snapshotId);
      return false;
    }
    const outcome = this.staging.receive(chunk, bodyBytes, nowMs);
    return outcome.kind === 'complete' ? await this.installSnapshot(outcome.snapshot) : false;
  }

  /**
   * The recovery step: promise `epoch` and answer with the log, or refuse naming the promise.
   * A new promise is fsynced before the answer, in every FSYNC mode (Raft persists its vote
   * before answering): forgotten in a crash, it could let two leaders share an epoch.
   */
  async recover(request: RecoverRequest): Promise<RecoverResponse> {
    this.checkCluster(request.clusterId);
    const before = this.durable.promisedEpoch;
    this.keep(judgeProposal(this.durable, request.epoch), request.epoch, 'a recovery proposal');
    const response: RecoverResponse = {
      followerId: this.instanceId,
      epoch: this.durable.promisedEpoch,
      appliedLsn: this.applier.appliedLsn,
      appliedEpoch: this.applier.appliedEpoch,
      log: this.applier.exportLog(),
    };
    if (this.durable.promisedEpoch !== before) {
      void this.journal.record({ t: 'promise', epoch: this.durable.promisedEpoch });
    }
    await this.journal.flush();
    return response;
  }

  private applySnapshot(items: SnapshotItem[], lsn: number, epoch: number): boolean {
    const { installed } = this.applier.installSnapshot(items, lsn, epoch);
    if (installed) {
      this.snapshotsInstalled += 1;
      this.wakeWaiters();
    }
    return installed;
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
