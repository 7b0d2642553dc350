/**
 * The leader's log: every write gets the next LSN, starting at 1. Entries stay in memory so a
 * follower that missed some (down, timed out, restarted empty) catches up from here, until
 * every follower has applied them: then they are trimmed. A follower that needs an entry
 * already trimmed gets a snapshot of the leader's state instead (see `KvState.export`).
 * The log counts its bytes (entries as JSON, see `entryBytes`), so it can be bounded by them.
 */
import { entryBytes, putBytes, rememberEntryBytes } from './entry-bytes';
import type { Entry, JsonValue } from './wire';

/** The epoch of a leader that never recovered (unit tests, and the first ever leader). */
export const FIRST_EPOCH = 1;

/** Trimming moves a start index; the array is compacted once this many entries are dead. */
const COMPACT_AFTER_ENTRIES = 1024;

export class ReplicationLog {
  /** Trimmed slots before `head` are emptied at once, so a trimmed entry is garbage at once. */
  private entries: Array<Entry | undefined> = [];
  /** Index in `entries` of the entry with LSN `first`. */
  private head = 0;
  private first = 1;
  private epochValue = FIRST_EPOCH;
  private heldBytes = 0;

  /** Bytes of the entries held now, as JSON on the wire. */
  get bytes(): number {
    return this.heldBytes;
  }

  /** The epoch every entry of this log carries (recovery re-stamps what it adopts). */
  get epoch(): number {
    return this.epochValue;
  }

  /**
   * After recovery: the log of `epoch` whose entries up to `lastLsn` are already applied to the
   * leader's state; it holds none of them (followers get a snapshot), new ones follow.
   */
  startAt(lastLsn: number, epoch: number): void {
    this.entries = [];
    this.head = 0;
    this.first = lastLsn + 1;
    this.epochValue = epoch;
    this.heldBytes = 0;
  }

  /** The (epoch, lsn) an append of `lsn` names as the entry before it. */
  prevOf(lsn: number): { prevLsn: number; prevEpoch: number } {
    return { prevLsn: lsn - 1, prevEpoch: lsn - 1 === 0 ? 0 : this.epochValue };
  }

  /** Oldest LSN still held (lastLsn + 1 when the log holds nothing). */
  get firstLsn(): number {
    return this.first;
  }

  get lastLsn(): number {
    return this.first + this.length - 1;
  }

  /** Entries held now. */
  get length(): number {
    return this.entries.length - this.head;
  }

  /** `valueBytes`: the value's JSON size when the caller measured it already (see `jsonBytes`). */
  appendPut(key: string, value: JsonValue, leaderTimeMs: number, valueBytes?: number): Entry {
    const entry: Entry = { lsn: this.lastLsn + 1, epoch: this.epochValue, op: 'put', key, value, leaderTimeMs };
    if (valueBytes !== undefined) rememberEntryBytes(entry, putBytes(key, valueBytes));
    return this.push(entry);
  }

  appendDelete(key: string, leaderTimeMs: number): Entry {
    return this.push({ lsn: this.lastLsn + 1, epoch: this.epochValue, op: 'delete', key, leaderTimeMs });
  }

  /** The entry at `lsn`, or undefined when it is trimmed or not written yet. */
  get(lsn: number): Entry | undefined {
    if (lsn < this.first) return undefined;
    return this.entries[this.head + lsn - this.first];
  }

  /**
   * Entries `fromLsn..toLsn` inclusive, clipped to what the log holds, and to `maxBytes` in
   * total: the first entry always, then as many as fit.
   */
  range(fromLsn: number, toLsn: number, maxBytes = Infinity): Entry[] {
    const start = this.head + Math.max(fromLsn, this.first) - this.first;
    let end = this.head + Math.min(toLsn, this.lastLsn) - this.first + 1;
    if (maxBytes !== Infinity && start < end) {
      let bytes = entryBytes(this.entries[start] as Entry);
      for (let i = start + 1; i < end; i++) {
        bytes += entryBytes(this.entries[i] as Entry);
        if (bytes > maxBytes) {
          end = i;
          break;
        }
      }
    }
    return start < end ? (this.entries.slice(start, end) as Entry[]) : [];
  }

  /**
   * Forgets the entries up to `lsn`, but never the last one (the heartbeat resends it).
   * Returns how many were dropped.
   */
  trimThrough(lsn: number): number {
    const target = Math.min(lsn, this.lastLsn - 1);
    if (target < this.first) return 0;
    const dropped = target - this.first + 1;
    for (let i = this.head; i < this.head + dropped; i++) {
      this.heldBytes -= entryBytes(this.entries[i] as Entry);
      this.entries[i] = undefined;
    }
    this.head += dropped;
    this.first += dropped;
    if (this.head >= COMPACT_AFTER_ENTRIES && this.head * 2 >= this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    return dropped;
  }

  /**
   * Forgets the oldest entries until the rest hold at most `maxBytes` (never the last entry).
   * Returns how many were dropped.
   */
  trimToBytes(maxBytes: number): number {
    let bytes = this.heldBytes;
    let through = this.first - 1;
    while (bytes > maxBytes && through < this.lastLsn - 1) {
      through += 1;
      bytes -= entryBytes(this.get(through) as Entry);
    }
    return this.trimThrough(through);
  }

  private push(entry: Entry): Entry {
    this.heldBytes += entryBytes(entry);
    this.entries.push(entry);
    return entry;
  }
}
