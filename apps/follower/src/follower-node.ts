/**
 * A follower's state: the ordered applier, and the replication answers waiting, in `applied`
 * mode, for their entries to be applied. Each start gets a new instance id, so the leader can
 * tell a restarted (empty) follower from one that merely lagged.
 */
import { randomUUID } from 'node:crypto';
import {
  OrderedApplier,
  type ReceiveResult,
  type ReplicateRequest,
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
  private waiters: ApplyWaiter[] = [];
  receivedEntries = 0;
  refusedEntries = 0;
  snapshotsInstalled = 0;

  constructor(followerId: string, maxBufferedEntries: number, maxBufferedBytes = Infinity) {
    this.instanceId = `${followerId}-${randomUUID().slice(0, 8)}`;
    this.applier = new OrderedApplier(maxBufferedEntries, maxBufferedBytes);
  }

  receive(request: ReplicateRequest): ReceiveResult {
    const result = this.applier.receive(request.entries);
    this.receivedEntries += result.storedLsns.length;
    this.refusedEntries += result.refusedLsns.length;
    if (result.applied.length > 0 && this.waiters.length > 0) this.wakeWaiters();
    return result;
  }

  /** Replaces the state with the leader's snapshot when it is ahead; later buffered entries then apply. */
  installSnapshot(request: SnapshotRequest): boolean {
    const { installed } = this.applier.installSnapshot(request.items, request.lsn);
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
