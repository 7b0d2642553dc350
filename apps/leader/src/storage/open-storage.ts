/**
 * Opens the leader's DATA_DIR (when set) and replays it: what the leader's own log held goes to
 * recovery as one more responder's log. A torn tail cut at open is logged at warn with the file
 * and byte offset; a damaged log, or a DATA_DIR another node holds, stops the start with one line.
 */
import { openDiskLogFrom, type DiskLog } from '@quorum-kv/disk-log';
import { exitOnStorageFailure, type Logger } from '@quorum-kv/http-edge';
import type { LeaderConfig } from '../config';
import type { EntryJournal, OwnLog } from '../replication/entry-journal';
import { diskEntryJournal, replayLeaderLog } from './leader-journal';

export interface LeaderStorage {
  log?: DiskLog;
  journal?: EntryJournal;
  ownLog?: OwnLog;
}

export async function openLeaderStorage(
  config: Readonly<LeaderConfig>,
  logger: Logger,
  onFatal: (error: unknown) => void = (error) => exitOnStorageFailure('leader', error),
): Promise<LeaderStorage> {
  const log = await openDiskLogFrom(config, config.MAX_BODY_BYTES, (w) => logger.warn(w, w.message));
  if (!log) return {};
  const startedMs = performance.now();
  const replayed = await replayLeaderLog(log);
  logger.info(
    {
      dataDir: config.DATA_DIR,
      fsync: config.FSYNC,
      records: replayed?.records ?? 0,
      lastLsn: replayed ? (replayed.ownLog.entries.at(-1)?.lsn ?? replayed.ownLog.baseLsn) : 0,
      replayMs: Math.round(performance.now() - startedMs),
    },
    'replayed the log in DATA_DIR: recovery counts it with the followers',
  );
  return {
    log,
    journal: diskEntryJournal(log, onFatal),
    ...(replayed && { ownLog: replayed.ownLog }),
  };
}
