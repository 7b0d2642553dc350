/**
 * The leader's log: every write gets the next LSN, starting at 1. Entries are kept in memory
 * so a follower that missed some (down, timed out, restarted empty) catches up from here.
 * `firstLsn` leaves room for trimming acknowledged entries later without changing callers.
 */
import type { Entry, JsonValue } from './wire';

export const CURRENT_EPOCH = 1;

export class ReplicationLog {
  private readonly entries: Entry[] = [];
  private readonly firstLsn = 1;

  get lastLsn(): number {
    return this.firstLsn + this.entries.length - 1;
  }

  get length(): number {
    return this.entries.length;
  }

  appendPut(key: string, value: JsonValue, leaderTimeMs: number): Entry {
    return this.push({ lsn: this.lastLsn + 1, epoch: CURRENT_EPOCH, op: 'put', key, value, leaderTimeMs });
  }

  appendDelete(key: string, leaderTimeMs: number): Entry {
    return this.push({ lsn: this.lastLsn + 1, epoch: CURRENT_EPOCH, op: 'delete', key, leaderTimeMs });
  }

  get(lsn: number): Entry | undefined {
    return this.entries[lsn - this.firstLsn];
  }

  /** Entries `fromLsn..toLsn` inclusive, clipped to what the log holds. */
  range(fromLsn: number, toLsn: number): Entry[] {
    const start = Math.max(fromLsn, this.firstLsn) - this.firstLsn;
    const end = Math.min(toLsn, this.lastLsn) - this.firstLsn + 1;
    return start < end ? this.entries.slice(start, end) : [];
  }

  private push(entry: Entry): Entry {
    this.entries.push(entry);
    return entry;
  }
}
