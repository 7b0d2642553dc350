/**
 * A follower's log and its ordered apply. The invariant: the applied state is always a prefix
 * of one leader's log, chained by log matching (Raft): an entry is applied only right after
 * the entry its leader named before it, at the same (epoch, lsn).
 *
 * Entries may arrive in any order (each replication RPC has its own delay); they are stored at
 * once and applied strictly in LSN order. Early arrivals wait in a bounded buffer; when it is
 * full, further early entries are refused (not stored, not acked) and the leader resends them.
 * An entry whose predecessor is not here yet is buffered, not refused: only a *different*
 * epoch at the predecessor's LSN, or at the entry's own, is a mismatch, and a mismatch changes
 * nothing. What recovery needs stays here: the state at a base LSN (empty, or the last
 * snapshot) and every entry after it, applied or buffered.
 *
 * The buffer is bounded three ways: how far ahead of the applied LSN an entry may be (no more
 * than the buffer's entry bound: a far-future LSN is refused, not kept), how many entries, and
 * how many bytes.
 *
 * An entry whose (epoch, lsn) is already stored is acknowledged again only when its content
 * matches what is stored; one that contradicts it is refused (and a buffered one it contradicts
 * is dropped, so the leader's resend lands in an empty slot). A follower never acks content it
 * does not hold.
 */
import { entryBytes } from './entry-bytes';
import { KvState, type SnapshotItem } from './kv-state';
import type { Entry, FollowerLog, JsonValue } from './wire';
import { FIRST_EPOCH } from './replication-log';

export interface LogPosition {
  lsn: number;
  epoch: number;
}

/** The log disagrees with what a leader sent: at `lsn` this log holds `heldEpoch`, the leader `expectedEpoch`. */
export interface LogMismatch {
  lsn: number;
  heldEpoch: number;
  expectedEpoch: number;
}

export interface ReceiveResult {
  /** LSNs of the batch now stored (applied, buffered, or already applied before). */
  storedLsns: number[];
  /** LSNs of the batch refused because the buffer was full. */
  refusedLsns: number[];
  /** Entries this call applied, in order. */
  applied: Entry[];
  /** Set when log matching failed; then nothing of the batch was stored. */
  mismatch?: LogMismatch;
}

interface Buffered {
  entry: Entry;
  /** The epoch its leader named for the entry before it. */
  prevEpoch: number;
}

/** Applied entries kept after the base before the oldest are folded into it. */
export const DEFAULT_MAX_KEPT_ENTRIES = 100_000;

export class OrderedApplier {
  readonly state = new KvState();
  private readonly buffer = new Map<number, Buffered>();
  private bufferBytes = 0;
  /** The state at `baseLsn`, and the applied entries after it (index i is LSN baseLsn + 1 + i). */
  private readonly base = new KvState();
  private baseEpochValue = 0;
  private kept: Entry[] = [];
  /**
   * Index in `kept` of the oldest entry still kept (LSN baseLsn + 1): folding moves it on, and
   * the folded slots are cut off by the batch, so a fold costs O(1) amortized (an Array.shift of
   * 100,000 entries costs a memmove of them, every entry applied once the bound is reached).
   */
  private keptStart = 0;
  /** Entries rolled back or dropped because a newer epoch's log replaced them. */
  discardedCount = 0;

  constructor(
    private readonly maxBufferedEntries: number,
    private readonly maxBufferedBytes = Infinity,
    private readonly maxKeptEntries = DEFAULT_MAX_KEPT_ENTRIES,
  ) {}

  get bufferedBytes(): number {
    return this.bufferBytes;
  }

  get appliedLsn(): number {
    return this.state.appliedLsn;
  }

  /** Epoch of the entry at `appliedLsn` (0 when nothing is applied). */
  get appliedEpoch(): number {
    return this.epochAt(this.state.appliedLsn) ?? 0;
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

  /**
   * Epoch of the entry held at `lsn`, applied or buffered; 0 at LSN 0; undefined when nothing
   * is held there. Below the base, the base's epoch: a follower enters a new epoch only through
   * a snapshot of it, so every entry up to a snapshot belongs to that snapshot's epoch.
   */
  epochAt(lsn: number): number | undefined {
    if (lsn === 0) return 0;
    if (lsn <= this.base.appliedLsn) return this.baseEpochValue;
    if (lsn <= this.state.appliedLsn) return this.keptAt(lsn)?.epoch;
    return this.buffer.get(lsn)?.entry.epoch;
  }

  /**
   * Stores a batch. `prev` names the entry before the batch's lowest LSN; without it, each
   * entry's predecessor is taken to be of its own epoch (a leader's log has one epoch).
   */
  receive(entries: readonly Entry[], prev?: LogPosition): ReceiveResult {
    const sorted = [...entries].sort((a, b) => a.lsn - b.lsn);
    const withPrev = sorted.map((entry, i) => ({ entry, prevEpoch: this.expectedPrevEpoch(sorted, i, prev) }));
    for (const item of withPrev) {
      const mismatch = this.match(item);
      if (mismatch) return { storedLsns: [], refusedLsns: [], applied: [], mismatch };
    }
    const storedLsns: number[] = [];
    const refusedLsns: number[] = [];
    const applied: Entry[] = [];
    // In LSN order, applying as soon as possible: an in-order batch never needs the buffer.
    for (const item of withPrev) {
      const { entry } = item;
      const held = this.buffer.get(entry.lsn);
      if (held && held.entry.epoch < entry.epoch) {
        this.unbuffer(held.entry); // an older epoch's entry, replaced by the newer leader's
        this.discardedCount += 1;
      }
      if (entry.lsn <= this.state.appliedLsn || this.buffer.has(entry.lsn)) {
        // Already stored: ack it again only if it is the same entry.
        if (this.contradicts(entry)) refusedLsns.push(entry.lsn);
        else storedLsns.push(entry.lsn);
      } else if (entry.lsn === this.state.appliedLsn + 1) {
        this.applyNext(entry);
        applied.push(entry, ...this.drain());
        storedLsns.push(entry.lsn);
      } else if (this.hasRoomFor(entry)) {
        this.buffer.set(entry.lsn, item);
        this.bufferBytes += entryBytes(entry);
        storedLsns.push(entry.lsn);
      } else {
        refusedLsns.push(entry.lsn);
      }
    }
    return { storedLsns, refusedLsns, applied };
  }

  /**
   * Installs a snapshot taken at `lsn` of the log of `epoch`, unless this log already holds
   * that very entry (then it is stale and ignored). Applied entries beyond it are rolled back
   * and counted as discarded; buffered entries it covers are dropped, later ones then apply
   * if they chain onto it.
   */
  installSnapshot(
    items: readonly SnapshotItem[],
    lsn: number,
    epoch = FIRST_EPOCH,
  ): { installed: boolean; applied: Entry[] } {
    if (this.holdsSnapshotPoint(lsn, epoch)) return { installed: false, applied: [] };
    this.discardedCount += Math.max(0, this.state.appliedLsn - lsn);
    this.state.restore(items, lsn);
    this.base.restore(items, lsn);
    this.baseEpochValue = epoch;
    this.kept = [];
    this.keptStart = 0;
    for (const buffered of [...this.buffer.values()]) if (buffered.entry.lsn <= lsn) this.unbuffer(buffered.entry);
    return { installed: true, applied: this.drain() };
  }

  /**
   * True when this log already holds the entry a snapshot was taken at (a late snapshot, behind
   * what was applied since). Every log shares the empty prefix at LSN 0, so there what counts is
   * whether what was applied since belongs to the snapshot's epoch.
   */
  holdsSnapshotPoint(lsn: number, epoch: number): boolean {
    if (lsn > this.state.appliedLsn) return false;
    if (lsn === 0) return this.state.appliedLsn === 0 || this.appliedEpoch === epoch;
    return this.epochAt(lsn) === epoch;
  }

  /** Everything recovery needs from this follower: the base state and every entry after it. */
  exportLog(): FollowerLog {
    const buffered = [...this.buffer.values()].map((b) => b.entry).sort((a, b) => a.lsn - b.lsn);
    return {
      baseLsn: this.base.appliedLsn,
      baseEpoch: this.baseEpochValue,
      items: this.base.export(),
      entries: [...this.kept.slice(this.keptStart), ...buffered],
    };
  }

  private expectedPrevEpoch(sorted: readonly Entry[], i: number, prev: LogPosition | undefined): number {
    const entry = sorted[i] as Entry;
    const before = sorted[i - 1];
    if (before && before.lsn === entry.lsn - 1) return before.epoch;
    if (i === 0 && prev && prev.lsn === entry.lsn - 1) return prev.epoch;
    return entry.lsn === 1 ? 0 : entry.epoch;
  }

  /** A different epoch at the predecessor's LSN, an applied entry of another epoch at its own, or a newer buffered one. */
  private match({ entry, prevEpoch }: Buffered): LogMismatch | undefined {
    const heldPrev = this.epochAt(entry.lsn - 1);
    if (heldPrev !== undefined && heldPrev !== prevEpoch) {
      return { lsn: entry.lsn - 1, heldEpoch: heldPrev, expectedEpoch: prevEpoch };
    }
    const held = this.epochAt(entry.lsn);
    const replaceable = entry.lsn > this.state.appliedLsn && held !== undefined && held < entry.epoch;
    if (held !== undefined && held !== entry.epoch && !replaceable) {
      return { lsn: entry.lsn, heldEpoch: held, expectedEpoch: entry.epoch };
    }
    return undefined;
  }

  private applyNext(entry: Entry): void {
    this.state.apply(entry);
    this.kept.push(entry);
    if (this.kept.length - this.keptStart > this.maxKeptEntries) {
      // Fold the oldest kept entry into the base: recovery then sees it as part of the base state.
      const oldest = this.kept[this.keptStart] as Entry;
      this.keptStart += 1;
      this.base.apply(oldest);
      this.baseEpochValue = oldest.epoch;
      if (this.keptStart >= Math.max(1024, this.kept.length / 2)) {
        this.kept = this.kept.slice(this.keptStart);
        this.keptStart = 0;
      }
    }
  }

  /** The applied entry kept at `lsn` (after the base), if any. */
  private keptAt(lsn: number): Entry | undefined {
    const i = lsn - this.base.appliedLsn - 1;
    return i < 0 ? undefined : this.kept[this.keptStart + i];
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
   * A buffered entry that differs is dropped. An applied entry still kept is compared as it
   * is, epoch included. Once folded into the base, only the base's epoch and the state are left:
   * a put must still be the key's value unless a later LSN wrote the key since (or deleted it);
   * a delete must not find the key written before it.
   */
  private contradicts(entry: Entry): boolean {
    const buffered = this.buffer.get(entry.lsn);
    if (buffered) {
      if (sameEntry(buffered.entry, entry)) return false;
      this.unbuffer(buffered.entry);
      return true;
    }
    if (entry.lsn > this.base.appliedLsn) {
      // Still kept: compare with the very entry applied there.
      const kept = this.keptAt(entry.lsn);
      return kept === undefined || !sameEntry(kept, entry);
    }
    // Folded into the base: only its epoch and the state are left.
    if (this.baseEpochValue !== entry.epoch) return true;
    if (entry.op === 'noop') return false;
    const stored = this.state.get(entry.key);
    if (stored === undefined || stored.lsn > entry.lsn) return false;
    if (entry.op === 'delete' || stored.lsn < entry.lsn) return true;
    return !jsonEqual(stored.value, entry.value);
  }

  private unbuffer(entry: Entry): void {
    this.buffer.delete(entry.lsn);
    this.bufferBytes -= entryBytes(entry);
  }

  /** Applies buffered entries that chain onto the applied prefix; one that doesn't is dropped. */
  private drain(): Entry[] {
    const applied: Entry[] = [];
    for (
      let next = this.buffer.get(this.state.appliedLsn + 1);
      next;
      next = this.buffer.get(this.state.appliedLsn + 1)
    ) {
      this.unbuffer(next.entry);
      if (next.prevEpoch !== this.appliedEpoch) {
        // Written after another history than the one applied here: a newer leader replaced it.
        this.discardedCount += 1;
        break;
      }
      this.applyNext(next.entry);
      applied.push(next.entry);
    }
    return applied;
  }
}

/** Same (epoch, lsn) content: op, key, value and leader time (the LSN is the caller's). */
function sameEntry(a: Entry, b: Entry): boolean {
  if (a.op !== b.op || a.epoch !== b.epoch || a.leaderTimeMs !== b.leaderTimeMs) return false;
  if (a.op === 'noop' || b.op === 'noop') return true;
  if (a.key !== b.key) return false;
  return a.op === 'delete' || b.op === 'delete' || jsonEqual(a.value, b.value);
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
