/**
 * The key-value state both roles keep: entries applied in LSN order. A delete removes the key
 * (the tombstone is the log entry itself), so `snapshot()` lists live keys only.
 */
import type { Entry, JsonValue } from './wire';

export interface StoredValue {
  value: JsonValue;
  /** LSN of the entry that wrote this value. */
  lsn: number;
}

/** One key of a snapshot: `[key, value, lsn that wrote it]`. */
export type SnapshotItem = [key: string, value: JsonValue, lsn: number];

export class KvState {
  private readonly map = new Map<string, StoredValue>();
  private applied = 0;

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
    this.applied = entry.lsn;
  }

  /** Every live key with its value and the LSN that wrote it: a snapshot to send. */
  export(): SnapshotItem[] {
    return [...this.map].map(([key, stored]) => [key, stored.value, stored.lsn]);
  }

  /** Replaces the whole state with a snapshot taken at `lsn`. */
  restore(items: readonly SnapshotItem[], lsn: number): void {
    this.map.clear();
    for (const [key, value, writtenLsn] of items) this.map.set(key, { value, lsn: writtenLsn });
    this.applied = lsn;
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
