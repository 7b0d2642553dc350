/**
 * The coordinator's seam to the leader's on-disk log: it logs each entry before the fan-out and
 * answers a write only once the entry is committed by the FSYNC mode. Without DATA_DIR the
 * coordinator has no journal and nothing changes. The coordinator never sees a file.
 */
import type { Entry, FollowerLog, KvState } from '@quorum-kv/replication-protocol';

export interface JournalReceipt {
  /** Resolves once the entry is in the OS; rejects with an ApiError (disk_full, storage_failed). */
  written: Promise<void>;
  /** Resolves once the FSYNC mode allows the write to be acknowledged (an fsync under `always`). */
  committed: Promise<void>;
}

export interface EntryJournal {
  append(entry: Entry): JournalReceipt;
  /** The state recovery adopted at `epoch`: persisted (a snapshot) before the leader serves. */
  adopted(epoch: number, state: KvState): Promise<void>;
  /** After a write: a snapshot of the state when the log on disk has passed its size. */
  maybeSnapshot(epoch: number, state: KvState): void;
}

/** What the leader's own log held at start, for recovery to count with the followers' logs. */
export type OwnLog = FollowerLog;
