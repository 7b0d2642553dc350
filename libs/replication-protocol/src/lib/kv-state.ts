/**
 * The key-value state both roles keep: entries applied in LSN order. A delete removes the key
 * (the tombstone is the log entry itself), so `snapshot()` lists live keys only. With
 * `countBytes`, it also keeps the bytes of its live keys (the put entries that wrote them, as
 * JSON), which the leader bounds with MAX_STORE_BYTES; a follower need not pay for measuring.
 */
import { entryBytes, putBytes, jsonBytes } from './entry-bytes';
import type { Entry, JsonValue } from './wire';

export interface StoredValue {
  value: JsonValue;
  /** LSN of the entry that wrote this value. */
  lsn: number;
}

/** One key of a snapshot: `[key, value, lsn that wrote it]`. */
export type SnapshotItem = [key: string, value: JsonValue, lsn: number];

/** One key of a point-in-time snapshot, by reference (see `KvState.exportRefs`). */
export interface SnapshotRef {
  key: string;
  stored: StoredValue;
  /** The key's entry as JSON, in bytes, when the state counts bytes. */
  bytes: number | undefined;
}

export class KvState {
  private readonly map = new Map<string, StoredValue>();
  private applied = 0;
  private liveBytes = 0;
  /** Bytes of each live key's entry, only when counting. */
  private readonly keyBytes = new Map<string, number>();

  constructor(private readonly countBytes = false) {}

  /** Bytes of the live keys' entries (0 unless counting). */
  get bytes(): number {
    return this.liveBytes;
  }

  /** What `bytes` would be after a put of `bytes` at `key`. */
  bytesAfterPut(key: string, bytes: number): number {
    return this.liveBytes - (this.keyBytes.get(key) ?? 0) + bytes;
  }

  /** Highest LSN applied; every LSN up to it is applied. */
  get appliedLsn(): number {
    return this.applied;
  }

  get size(): number {
    return this.map.size;
  }

  /** Applies the next entry. Applying out of order is a bug in the caller, so it throws. */
  apply(entry: Entry): void {
    if (entry.lsn !== this.applied + 1) {
      throw new Error(`apply out of order: entry ${entry.lsn} after ${this.applied}`);
    }
    if (entry.op === 'put') this.map.set(entry.key, { value: entry.value, lsn: entry.lsn });
    else if (entry.op === 'delete') this.map.delete(entry.key);
    if (this.countBytes && entry.op !== 'noop') this.countEntry(entry);
    this.applied = entry.lsn;
  }

  /** Every live key with its value and the LSN that wrote it: a snapshot to send. */
  export(): SnapshotItem[] {
    return [...this.map].map(([key, stored]) => [key, stored.value, stored.lsn]);
  }

  /**
   * Every live key as it stands now, by reference: a point-in-time snapshot in O(keys), not
   * O(bytes). A stored value is never changed in place (a put stores a new one), so what these
   * refer to stays as it was at `appliedLsn` whatever is written after. `bytes` is the key's
   * entry as JSON when counting, else undefined (the caller measures it).
   */
  exportRefs(): SnapshotRef[] {
    return Array.from(this.map, ([key, stored]) => ({ key, stored, bytes: this.keyBytes.get(key) }));
  }

  /** Replaces the whole state with a snapshot taken at `lsn`. */
  restore(items: readonly SnapshotItem[], lsn: number): void {
    this.map.clear();
    this.keyBytes.clear();
    this.liveBytes = 0;
    for (const [key, value, writtenLsn] of items) {
      this.map.set(key, { value, lsn: writtenLsn });
      if (this.countBytes) this.setKeyBytes(key, putBytes(key, jsonBytes(value)));
    }
    this.applied = lsn;
  }

  private countEntry(entry: Exclude<Entry, { op: 'noop' }>): void {
    this.liveBytes -= this.keyBytes.get(entry.key) ?? 0;
    if (entry.op === 'put') this.setKeyBytes(entry.key, entryBytes(entry));
    else this.keyBytes.delete(entry.key);
  }

  private setKeyBytes(key: string, bytes: number): void {
    this.keyBytes.set(key, bytes);
    this.liveBytes += bytes;
  }

  get(key: string): StoredValue | undefined {
    return this.map.get(key);
  }

  /** Every live key and its value, keys sorted so two equal stores serialise equally. */
  snapshot(): Record<string, JsonValue> {
    // fromEntries defines own properties, so a key like "__proto__" is data, not a prototype.
    return Object.fromEntries(
      [...this.map.keys()].sort().map((key) => [key, (this.map.get(key) as StoredValue).value]),
    );
  }
}
