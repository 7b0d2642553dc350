import { FSYNC_MODES, type Clock, type FsyncMode } from '@quorum-kv/replication-protocol';
import { isProcessAlive } from './dir-lock';
import { FRAME_OVERHEAD_BYTES } from './frame';
import { nodeFileSystem, type LogFileSystem } from './file-system';
import type { DiskLogWarning, RepairMode } from './recovery';

/** When appended records are fsynced (Redis' appendfsync, PostgreSQL's synchronous_commit + wal_writer_delay): one list, in the core. */
export { FSYNC_MODES, type FsyncMode };
export const REPAIR_MODES = ['none', 'truncate'] as const satisfies readonly RepairMode[];

/** Every limit has a name and a default; the node may override them from its config. */
export const DEFAULT_DISK_LOG_LIMITS = Object.freeze({
  /** `batch` mode: fsync at most this often (FSYNC_INTERVAL_MS). */
  fsyncIntervalMs: 100,
  /** A segment file is closed (and fsynced) once the next record would take it past this. */
  segmentBytes: 16 * 1024 * 1024,
  /** `snapshotDue` turns true once the segments on disk hold this many bytes. */
  snapshotThresholdBytes: 64 * 1024 * 1024,
  /** Largest record payload (JSON), in bytes; a larger length on disk is damage. */
  maxRecordBytes: 4 * 1024 * 1024,
  /** Most bytes appended and not yet written; beyond it appends fail with `queue_full`. */
  maxQueuedBytes: 64 * 1024 * 1024,
  /** Most bytes in one write call (writev of many records); a single larger record is written alone. */
  maxWriteBytes: 1024 * 1024,
});

export type DiskLogLimits = { [K in keyof typeof DEFAULT_DISK_LOG_LIMITS]: number };

export interface DiskLogOptions extends Partial<DiskLogLimits> {
  /** The data directory (created if missing). */
  dir: string;
  fsync: FsyncMode;
  /** `truncate` cuts the log at the first damaged record instead of refusing to open (REPAIR=truncate). */
  repair?: RepairMode;
  /** Torn tails cut, repairs, stale locks taken over: log these at warn. */
  onWarn?: (warning: DiskLogWarning) => void;
  /** Injected by tests; the real file system by default. */
  fs?: LogFileSystem;
  /** Timers for `batch` mode; the real ones (unref'd) by default. */
  clock?: Pick<Clock, 'setTimeout' | 'clearTimeout'>;
  /** Lock-file checks, injected by tests. */
  pid?: number;
  isProcessAlive?: (pid: number) => boolean;
}

export interface ResolvedOptions extends DiskLogLimits {
  dir: string;
  fsync: FsyncMode;
  repair: RepairMode;
  onWarn: (warning: DiskLogWarning) => void;
  fs: LogFileSystem;
  clock: Pick<Clock, 'setTimeout' | 'clearTimeout'>;
  pid: number;
  isProcessAlive: (pid: number) => boolean;
}

const realTimers: ResolvedOptions['clock'] = {
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs).unref(),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export function resolveOptions(options: DiskLogOptions): ResolvedOptions {
  const resolved: ResolvedOptions = {
    ...DEFAULT_DISK_LOG_LIMITS,
    repair: 'none',
    onWarn: () => undefined,
    fs: nodeFileSystem,
    clock: realTimers,
    pid: process.pid,
    isProcessAlive,
    ...withoutUndefined(options),
  };
  if (!FSYNC_MODES.includes(resolved.fsync)) throw new TypeError(`fsync must be one of ${FSYNC_MODES.join(', ')}`);
  if (!REPAIR_MODES.includes(resolved.repair)) throw new TypeError(`repair must be one of ${REPAIR_MODES.join(', ')}`);
  for (const name of Object.keys(DEFAULT_DISK_LOG_LIMITS) as (keyof DiskLogLimits)[]) {
    if (!Number.isSafeInteger(resolved[name]) || resolved[name] <= 0) {
      throw new TypeError(`${name} must be a positive integer`);
    }
  }
  if (resolved.segmentBytes < resolved.maxRecordBytes + FRAME_OVERHEAD_BYTES) {
    throw new TypeError('segmentBytes must hold at least one record of maxRecordBytes');
  }
  return resolved;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
