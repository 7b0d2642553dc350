/**
 * Opens the follower's DATA_DIR (when set) and replays it into a new node: the newest
 * snapshot, then every record after it. Torn tails cut at open are logged at warn with the file
 * and byte offset; a damaged log stops the start with one line (see `exitOnStorageFailure`).
 */
import { openDiskLogFrom, replayLogged, type DiskLog } from '@quorum-kv/disk-log';
import { clusterIdFromToken, exitOnStorageFailure, type Logger } from '@quorum-kv/http-edge';
import type { Entry, SnapshotItem } from '@quorum-kv/replication-protocol';
import type { FollowerConfig } from '../config';
import { snapshotStaging } from '../follower';
import { FollowerNode } from '../follower-node';
import {
  diskJournal,
  inMemoryJournal,
  type FollowerJournal,
  type FollowerRecord,
  type FollowerSnapshotHeader,
  type FollowerSnapshotItem,
} from './follower-journal';

export interface FollowerStorage {
  node: FollowerNode;
  /** The open log, closed on SIGTERM; undefined without DATA_DIR. */
  log: DiskLog | undefined;
}

export async function openFollowerStorage(config: Readonly<FollowerConfig>, logger: Logger): Promise<FollowerStorage> {
  const log = await openDiskLogFrom(config, config.MAX_BODY_BYTES, logger);
  const journal: FollowerJournal = log
    ? diskJournal(log, (error) => exitOnStorageFailure('follower', error))
    : inMemoryJournal;
  const node = new FollowerNode(
    config.FOLLOWER_ID,
    config.MAX_BUFFERED_ENTRIES,
    config.CLUSTER_ID ?? clusterIdFromToken(config.CLUSTER_TOKEN),
    config.MAX_BUFFERED_BYTES,
    journal,
    snapshotStaging(config),
  );
  if (log) {
    await replayLogged(
      config,
      logger,
      'replayed the log in DATA_DIR',
      () => replayFollowerLog(log, node),
      (records) => ({ records, appliedLsn: node.applier.appliedLsn, epoch: node.promisedEpoch }),
    );
  }
  return { node, log };
}

/** Rebuilds `node` from the log's snapshot and records; returns how many records it replayed. */
export async function replayFollowerLog(log: DiskLog, node: FollowerNode): Promise<number> {
  const header = log.snapshot?.header as FollowerSnapshotHeader | undefined;
  if (header) {
    const items: SnapshotItem[] = [];
    const entries: Entry[] = [];
    for await (const raw of log.readSnapshot()) {
      const item = raw as FollowerSnapshotItem;
      if (item.t === 'kv') items.push(item.item);
      else entries.push(item.entry);
    }
    node.restore(header.promisedEpoch, { baseLsn: header.baseLsn, baseEpoch: header.baseEpoch, items, entries });
  }
  let records = 0;
  for await (const record of log.readRecords()) {
    node.replay(record as FollowerRecord);
    records += 1;
  }
  return records;
}
