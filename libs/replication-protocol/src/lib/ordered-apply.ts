/**
 * A follower's ordered apply. Entries may arrive in any order (each replication RPC has its
 * own delay); they are stored at once and applied strictly in LSN order, so a follower always
 * shows a prefix of the leader's log. Early arrivals wait in a bounded buffer; when it is
 * full, further early entries are refused (not stored, not acked) and the leader resends them.
 */
import { KvState, type SnapshotItem } from './kv-state';
import type { Entry } from './wire';

export interface ReceiveResult {
  /** LSNs of the batch now stored (applied, buffered, or already applied before). */
  storedLsns: number[];
  /** LSNs of the batch refused because the buffer was full. */
  refusedLsns: number[];
  /** Entries this call applied, in order. */
  applied: Entry[];
}

export class OrderedApplier {
  readonly state = new KvState();
  private readonly buffer = new Map<number, Entry>();

  constructor(private readonly maxBufferedEntries: number) {}

  get appliedLsn(): number {
    return this.state.appliedLsn;
  }

  get bufferedCount(): number {
    return this.buffer.size;
  }

  /** Highest LSN stored, applied or buffered. */
  get highestStoredLsn(): number {
    let highest = this.state.appliedLsn;
    for (const lsn of this.buffer.keys()) if (lsn > highest) highest = lsn;
    return highest;
  }

  receive(entries: readonly Entry[]): ReceiveResult {
    const storedLsns: number[] = [];
    const refusedLsns: number[] = [];
    const applied: Entry[] = [];
    // In LSN order, applying as soon as possible: an in-order batch never needs the buffer.
    for (const entry of [...entries].sort((a, b) => a.lsn - b.lsn)) {
      if (entry.lsn <= this.state.appliedLsn || this.buffer.has(entry.lsn)) {
        storedLsns.push(entry.lsn); // a duplicate: already stored, ack it again
      } else if (entry.lsn === this.state.appliedLsn + 1) {
        this.state.apply(entry);
        applied.push(entry, ...this.drain());
        storedLsns.push(entry.lsn);
      } else if (this.buffer.size < this.maxBufferedEntries) {
        this.buffer.set(entry.lsn, entry);
        storedLsns.push(entry.lsn);
      } else {
        refusedLsns.push(entry.lsn);
      }
    }
    return { storedLsns, refusedLsns, applied };
  }

  /**
   * Installs a snapshot taken at `lsn` when it is ahead of what is applied here (else it is
   * stale and ignored); buffered entries it covers are dropped, later ones then apply.
   */
  installSnapshot(items: readonly SnapshotItem[], lsn: number): { installed: boolean; applied: Entry[] } {
    if (lsn <= this.state.appliedLsn) return { installed: false, applied: [] };
    this.state.restore(items, lsn);
    for (const buffered of this.buffer.keys()) if (buffered <= lsn) this.buffer.delete(buffered);
    return { installed: true, applied: this.drain() };
  }

  private drain(): Entry[] {
    const applied: Entry[] = [];
    for (
      let next = this.buffer.get(this.state.appliedLsn + 1);
      next;
      next = this.buffer.get(this.state.appliedLsn + 1)
    ) {
      this.buffer.delete(next.lsn);
      this.state.apply(next);
      applied.push(next);
    }
    return applied;
  }
}
