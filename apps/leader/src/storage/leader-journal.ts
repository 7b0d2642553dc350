/**
 * The leader's journal on its DiskLog: one `entry` record per write, in LSN order; a snapshot
 * of the state (`{epoch, lsn}` and one item per key) after recovery and whenever the log passes
 * SNAPSHOT_THRESHOLD_BYTES. Disk errors become the API's: a full disk answers 507 `disk_full`
 * (the log goes on once there is space); a fatal error (a failed fsync or write) stops the node
 * through `onFatal`, as PostgreSQL does: after a failed fsync what is on disk is not known.
 */
import { isDiskLogError, type DiskLog } from '@quorum-kv/disk-log';
import {
  ApiError,
  DEFAULT_MAX_KEPT_ENTRIES,
  KvState,
  type Entry,
  type FollowerLog,
  type SnapshotItem,
} from '@quorum-kv/replication-protocol';
import type { EntryJournal } from '../replication/entry-journal';

export type LeaderRecord = { t: 'entry'; entry: Entry };
export interface LeaderSnapshotHeader {
  t: 'leader';
  epoch: number;
  lsn: number;
}

export function diskEntryJournal(log: DiskLog, onFatal: (error: unknown) => void): EntryJournal {
  const asApiError = (error: unknown): never => {
    if (isDiskLogError(error, 'disk_full')) {
      throw new ApiError('disk_full', `the leader's DATA_DIR is full: ${error.message}; free space and retry`);
    }
    if (!isDiskLogError(error) || error.fatal) onFatal(error);
    const message = error instanceof Error ? error.message : String(error);
    throw new ApiError('storage_failed', `the leader's log refused the write: ${message}`);
  };
  const snapshot = (epoch: number, state: KvState) => {
    const header: LeaderSnapshotHeader = { t: 'leader', epoch, lsn: state.appliedLsn };
    // Taken now, in one synchronous step: it covers exactly the entries appended so far.
    return log.writeSnapshot(header, state.export());
  };
  return {
    append(entry) {
      let receipt;
      try {
        receipt = log.append({ t: 'entry', entry } satisfies LeaderRecord);
      } catch (error) {
        const failed = Promise.reject(error).catch(asApiError);
        return { written: failed, committed: failed };
      }
      const written = receipt.written.catch(asApiError);
      const committed = receipt.committed.catch(asApiError);
      // Whoever awaits sees the failure; these keep an unawaited one from crashing the process first.
      written.catch(() => undefined);
      committed.catch(() => undefined);
      return { written, committed };
    },
    async adopted(epoch, state) {
      await snapshot(epoch, state).catch(asApiError);
    },
    maybeSnapshot(epoch, state) {
      if (log.snapshotDue)
        snapshot(epoch, state)
          .catch(asApiError)
          .catch(() => undefined);
    },
  };
}

/** Entries of its own log a leader hands to recovery as entries; older contiguous ones are folded into the base. */
export const MAX_OWN_LOG_ENTRIES = DEFAULT_MAX_KEPT_ENTRIES;

/**
 * The leader's own log as replayed from disk: the snapshot's state, then every entry after it
 * (the newest record wins at an LSN). The entries beyond `maxEntries` are folded, oldest first
 * and while contiguous, into the base state, so recovery gets a bounded log (a leader's log
 * between two snapshots is of one epoch). Undefined for an empty DATA_DIR.
 */
export async function replayLeaderLog(
  log: DiskLog,
  maxEntries = MAX_OWN_LOG_ENTRIES,
): Promise<{ ownLog: FollowerLog; records: number } | undefined> {
  const header = log.snapshot?.header as LeaderSnapshotHeader | undefined;
  const items: SnapshotItem[] = [];
  for await (const item of log.readSnapshot()) items.push(item as SnapshotItem);
  const base = new KvState();
  base.restore(items, header?.lsn ?? 0);
  let baseEpoch = header?.epoch ?? 0;
  const entries = new Map<number, Entry>();
  let records = 0;
  for await (const raw of log.readRecords()) {
    const { entry } = raw as LeaderRecord;
    if (entry.lsn > base.appliedLsn) entries.set(entry.lsn, entry);
    records += 1;
  }
  if (!header && entries.size === 0) return undefined;
  for (let next = entries.get(base.appliedLsn + 1); next && entries.size > maxEntries;) {
    base.apply(next);
    baseEpoch = next.epoch;
    entries.delete(next.lsn);
    next = entries.get(base.appliedLsn + 1);
  }
  return {
    ownLog: {
      baseLsn: base.appliedLsn,
      baseEpoch,
      items: base.export(),
      entries: [...entries.values()].sort((a, b) => a.lsn - b.lsn),
    },
    records,
  };
}
