/**
 * The on-disk log's settings as both apps read them from the environment: defined once here,
 * spread into each app's config schema. Without DATA_DIR the node keeps everything in memory.
 */
import { z } from 'zod';
import { DiskLog } from './disk-log';
import { DEFAULT_DISK_LOG_LIMITS, FSYNC_MODES, REPAIR_MODES, type DiskLogOptions, type FsyncMode } from './options';
import type { RepairMode } from './recovery';

const positiveInt = (fallback: number, max: number) =>
  z.coerce
    .number()
    .int('must be an integer')
    .min(1, 'must be at least 1')
    .max(max, `must be at most ${max}`)
    .default(fallback);

/** The zod fields: `z.object({...other, ...DISK_LOG_CONFIG_FIELDS})`. */
export const DISK_LOG_CONFIG_FIELDS = {
  /** Where the node keeps its log and snapshots; unset, it keeps everything in memory. */
  DATA_DIR: z.string().min(1).max(4096).optional(),
  /** When appended records are fsynced; `always` (group commit) when DATA_DIR is set. */
  FSYNC: z.enum(FSYNC_MODES, { message: `must be one of ${FSYNC_MODES.join(', ')}` }).default('always'),
  /** `batch`: fsync at most this often. */
  FSYNC_INTERVAL_MS: positiveInt(DEFAULT_DISK_LOG_LIMITS.fsyncIntervalMs, 60_000),
  /** `truncate` cuts a damaged log at its first bad record instead of refusing to start (redis-check-aof --fix). */
  REPAIR: z.enum(REPAIR_MODES, { message: `must be one of ${REPAIR_MODES.join(', ')}` }).default('none'),
  /** A snapshot is written once the log's segments hold this many bytes; the segments it covers are deleted. */
  SNAPSHOT_THRESHOLD_BYTES: positiveInt(DEFAULT_DISK_LOG_LIMITS.snapshotThresholdBytes, 64 * 1024 ** 3),
} as const;

export interface DiskLogConfig {
  DATA_DIR?: string | undefined;
  FSYNC: FsyncMode;
  FSYNC_INTERVAL_MS: number;
  REPAIR: RepairMode;
  SNAPSHOT_THRESHOLD_BYTES: number;
}

/**
 * The options `DiskLog.open` takes for this config, or undefined without DATA_DIR.
 * `maxRecordBytes` is raised to hold one request body of `maxBodyBytes` (a follower logs a
 * whole replication batch or snapshot as one record), and segments to hold one such record.
 */
export function diskLogOptionsFrom(
  config: DiskLogConfig,
  maxBodyBytes: number,
): Omit<DiskLogOptions, 'onWarn'> | undefined {
  if (config.DATA_DIR === undefined) return undefined;
  // A record is the body re-encoded as JSON: allow some growth over the body's bytes.
  const maxRecordBytes = Math.max(DEFAULT_DISK_LOG_LIMITS.maxRecordBytes, maxBodyBytes * 2);
  return {
    dir: config.DATA_DIR,
    fsync: config.FSYNC,
    fsyncIntervalMs: config.FSYNC_INTERVAL_MS,
    repair: config.REPAIR,
    snapshotThresholdBytes: config.SNAPSHOT_THRESHOLD_BYTES,
    maxRecordBytes,
    segmentBytes: Math.max(DEFAULT_DISK_LOG_LIMITS.segmentBytes, maxRecordBytes + 1024),
    maxQueuedBytes: Math.max(DEFAULT_DISK_LOG_LIMITS.maxQueuedBytes, maxRecordBytes * 2),
  };
}

/** Pino's `(fields, message)` calls, which opening and replaying a data directory log to. */
export interface StorageLogger {
  warn(fields: object, message: string): void;
  info(fields: object, message: string): void;
}

/** Opens the log of `config` (as `diskLogOptionsFrom` says), its warnings to `logger.warn`; undefined without DATA_DIR. */
export async function openDiskLogFrom(
  config: DiskLogConfig,
  maxBodyBytes: number,
  logger: Pick<StorageLogger, 'warn'>,
): Promise<DiskLog | undefined> {
  const options = diskLogOptionsFrom(config, maxBodyBytes);
  return options && DiskLog.open({ ...options, onWarn: (w) => logger.warn(w, w.message) });
}

/**
 * Runs `replay` and logs one info line `message`: the data directory, the fsync mode, what
 * `describe` says of the replay (how many records, where it ended) and how long it took.
 */
export async function replayLogged<R>(
  config: DiskLogConfig,
  logger: Pick<StorageLogger, 'info'>,
  message: string,
  replay: () => Promise<R>,
  describe: (replayed: R) => object,
): Promise<R> {
  const startedMs = performance.now();
  const replayed = await replay();
  const replayMs = Math.round(performance.now() - startedMs);
  logger.info({ dataDir: config.DATA_DIR, fsync: config.FSYNC, ...describe(replayed), replayMs }, message);
  return replayed;
}

/** What `/status` says of the node's storage. */
export interface StorageStatus {
  persistent: boolean;
  dataDir: string | null;
  fsync: FsyncMode | null;
  /** A `flushed` ack waits for an fsync only with a log on disk; without one it means `received`. */
  flushedAckMeans: 'flushed' | 'received';
}

export function storageStatus(config: DiskLogConfig): StorageStatus {
  const persistent = config.DATA_DIR !== undefined;
  return {
    persistent,
    dataDir: config.DATA_DIR ?? null,
    fsync: persistent ? config.FSYNC : null,
    flushedAckMeans: persistent ? 'flushed' : 'received',
  };
}
