/**
 * Where a follower writes down what it must not lose: every input that changed it (a batch of
 * entries, an installed snapshot, a promise), in the order it handled them. With DATA_DIR that
 * is the on-disk log; without, nothing (the follower lives in memory, as before). Replaying the
 * records through the same code rebuilds the same state, buffered entries included.
 */
import type { DiskLog } from '@quorum-kv/disk-log';
import type { Entry, FollowerLog, SnapshotItem } from '@quorum-kv/replication-protocol';

/** One input the follower handled, as logged. */
export type FollowerRecord =
  | { t: 'entries'; epoch: number; prevLsn: number; prevEpoch: number; entries: Entry[] }
  | { t: 'install'; epoch: number; lsn: number; items: SnapshotItem[] }
  | { t: 'promise'; epoch: number };

/** The header of a follower's snapshot on disk; its items are the base's keys, then the entries after it. */
export interface FollowerSnapshotHeader {
  t: 'follower';
  promisedEpoch: number;
  baseLsn: number;
  baseEpoch: number;
}
export type FollowerSnapshotItem = { t: 'kv'; item: SnapshotItem } | { t: 'entry'; entry: Entry };

export interface FollowerJournal {
  readonly persistent: boolean;
  /** Logs a record; resolves once it is written to the OS (a process crash no longer loses it). */
  record(record: FollowerRecord): Promise<void>;
  /** Resolves once every record logged so far is written to the OS. */
  written(): Promise<void>;
  /** Resolves once an fsync covers every record logged so far (group commit), whatever FSYNC says. */
  flush(): Promise<void>;
  /** After a change: writes a snapshot of `state()` when the log has passed its size. */
  maybeSnapshot(state: () => { promisedEpoch: number; log: FollowerLog }): void;
}

/** No DATA_DIR: nothing is written, every wait is over at once. */
export const inMemoryJournal: FollowerJournal = {
  persistent: false,
  record: () => Promise.resolve(),
  written: () => Promise.resolve(),
  flush: () => Promise.resolve(),
  maybeSnapshot: () => undefined,
};

/**
 * The journal on a DiskLog. A failed write or fsync is fatal for a follower (`onFatal` stops
 * it): its memory would be ahead of its disk, and a later ack could cover entries the disk lacks.
 * A full disk too, as a PostgreSQL standby stops when it cannot write its WAL: restarted with
 * space, it replays its log and catches up from the leader.
 */
export function diskJournal(log: DiskLog, onFatal: (error: unknown) => void): FollowerJournal {
  let last: Promise<void> = Promise.resolve();
  const fatal = (error: unknown): never => {
    onFatal(error);
    throw error;
  };
  return {
    persistent: true,
    record(record) {
      let written: Promise<void>;
      try {
        written = log.append(record).written;
      } catch (error) {
        written = Promise.reject(error);
      }
      last = written.catch(fatal);
      last.catch(() => undefined); // handled by onFatal; callers that wait still see the failure
      return last;
    },
    written: () => last,
    flush: () => log.sync().catch(fatal),
    maybeSnapshot(state) {
      if (!log.snapshotDue) return;
      // Taken now, in one synchronous step: it covers exactly the records appended so far.
      const { promisedEpoch, log: held } = state();
      const header: FollowerSnapshotHeader = {
        t: 'follower',
        promisedEpoch,
        baseLsn: held.baseLsn,
        baseEpoch: held.baseEpoch,
      };
      const items: FollowerSnapshotItem[] = [
        ...held.items.map((item) => ({ t: 'kv' as const, item })),
        ...held.entries.map((entry) => ({ t: 'entry' as const, entry })),
      ];
      log
        .writeSnapshot(header, items)
        .catch(fatal)
        .catch(() => undefined);
    },
  };
}
