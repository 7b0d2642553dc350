/**
 * Opens the leader's DATA_DIR (when set) and replays it: what the leader's own log held goes to
 * recovery as one more responder's log. A torn tail cut at open is logged at warn with the file
 * and byte offset; a damaged log, or a DATA_DIR another node holds, stops the start with one line.
 */
import { openDiskLogFrom, replayLogged, type DiskLog } from '@quorum-kv/disk-log';
import { exitOnStorageFailure, type Logger } from '@quorum-kv/http-edge';
import type { LeaderConfig } from '../config';
import type { EntryJournal, OwnLog } from '../replication/entry-journal';
import { diskEntryJournal, replayLeaderLog } from './leader-journal';

export interface LeaderStorage {
  log?: DiskLog;
  journal?: EntryJournal;
  ownLog?: OwnLog;
}

export async function openLeaderStorage(config: Readonly<LeaderConfig>, logger: Logger): Promise<LeaderStorage> {
  const log = await openDiskLogFrom(config, config.MAX_BODY_BYTES, logger);
  if (!log) return {};
  const replayed = await replayLogged(
    config,
    logger,
    'replayed the log in DATA_DIR: recovery counts it with the followers',
    () => replayLeaderLog(log),
    (own) => ({
      records: own?.records ?? 0,
      lastLsn: own ? (own.ownLog.entries.at(-1)?.lsn ?? own.ownLog.baseLsn) : 0,
    }),
  );
  return {
    log,
    journal: diskEntryJournal(log, (error) => exitOnStorageFailure('leader', error)),
    ...(replayed && { ownLog: replayed.ownLog }),
  };
}
