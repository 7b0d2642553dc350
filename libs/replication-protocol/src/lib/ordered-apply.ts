/**
 * A follower's ordered apply. Entries may arrive in any order (each replication RPC has its
 * own delay); they are stored at once and applied strictly in LSN order, so a follower always
 * shows a prefix of the leader's log. Early arrivals wait in a bounded buffer; when it is
 * full, further early entries are refused (not stored, not acked) and the leader resends them.
 * The buffer is bounded three ways: how far ahead of the applied LSN an entry may be (no more
 * than the buffer's entry bound: a far-future LSN is refused, not kept), how many entries, and
 * how many bytes.
 *
 * An entry whose LSN is already stored is acknowledged again only when its content matches
 * what is stored; one that contradicts it is refused (and a buffered one it contradicts is
 * dropped, so the leader's resend lands in an empty slot). A follower never acks content it
 * does not hold.
 */
import { entryBytes } from './entry-bytes';
import { KvState, type SnapshotItem } from './kv-state';
import type { Entry, JsonValue } from './wire';

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
  private bufferBytes = 0;

  constructor(
    private readonly maxBufferedEntries: number,
    private readonly maxBufferedBytes = Infinity,
  ) {}

  get bufferedBytes(): number {
    return this.bufferBytes;
  }

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
        // Already stored: ack it again only if it is the same entry.
        if (this.contradicts(entry)) refusedLsns.push(entry.lsn);
        else storedLsns.push(entry.lsn);
      } else if (entry.lsn === this.state.appliedLsn + 1) {
        this.state.apply(entry);
        applied.push(entry, ...this.drain());
        storedLsns.push(entry.lsn);
      } else if (this.hasRoomFor(entry)) {
        this.buffer.set(entry.lsn, entry);
        this.bufferBytes += entryBytes(entry);
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
    for (const buffered of this.buffer.values()) if (buffered.lsn <= lsn) this.unbuffer(buffered);
    return { installed: true, applied: this.drain() };
  }

  private hasRoomFor(entry: Entry): boolean {
    return (
      entry.lsn <= this.state.appliedLsn + 1 + this.maxBufferedEntries &&
      this.buffer.size < this.maxBufferedEntries &&
      (this.maxBufferedBytes === Infinity || this.bufferBytes + entryBytes(entry) <= this.maxBufferedBytes)
    );
  }

  /**
   * True when `entry`, at an LSN already stored here, provably differs from what is stored.
   * A buffered entry that differs is dropped. For an applied LSN only the state is left: a put
   * must still be the key's value unless a later LSN wrote the key since (or deleted it); a
   * delete must not find the key written before it.
   */
  private contradicts(entry: Entry): boolean {
    const buffered = this.buffer.get(entry.lsn);
    if (buffered) {
      if (sameEntry(buffered, entry)) return false;
      this.unbuffer(buffered);
      return true;
    }
    const stored = this.state.get(entry.key);
    if (stored === undefined || stored.lsn > entry.lsn) return false;
    if (entry.op === 'delete' || stored.lsn < entry.lsn) return true;
    return !jsonEqual(stored.value, entry.value);
  }

  private unbuffer(entry: Entry): void {
    this.buffer.delete(entry.lsn);
    this.bufferBytes -= entryBytes(entry);
  }

  private drain(): Entry[] {
    const applied: Entry[] = [];
    for (
      let next = this.buffer.get(this.state.appliedLsn + 1);
      next;
      next = this.buffer.get(this.state.appliedLsn + 1)
    ) {
      this.unbuffer(next);
      this.state.apply(next);
      applied.push(next);
    }
    return applied;
  }
}

function sameEntry(a: Entry, b: Entry): boolean {
  if (a.op !== b.op || a.key !== b.key || a.epoch !== b.epoch || a.leaderTimeMs !== b.leaderTimeMs) return false;
  return a.op === 'delete' || jsonEqual(a.value, (b as typeof a).value);
}

/** Structural equality of two JSON values (object key order aside). */
export function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, i) => jsonEqual(item, b[i] as JsonValue));
  }
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key] as JsonValue, b[key] as JsonValue));
}
