// The public API of the on-disk log: open a data directory, replay it, append, fsync by policy,
// snapshot, close. See README.md for what a caller must do.
export { DiskLog } from './lib/disk-log';
export type { AppendReceipt } from './lib/receipt';
export { DiskLogError, isDiskLogError, DISK_LOG_ERRORS, type DiskLogErrorCode } from './lib/errors';
export {
  DEFAULT_DISK_LOG_LIMITS,
  FSYNC_MODES,
  REPAIR_MODES,
  type DiskLogLimits,
  type DiskLogOptions,
  type FsyncMode,
} from './lib/options';
export type { DiskLogWarning, RepairMode } from './lib/recovery';
export type { DiskLogStats } from './lib/stats';
export type { LogFile, LogFileSystem, OpenMode } from './lib/file-system';
export { nodeFileSystem } from './lib/file-system';
export { faultyFileSystem, type FaultPlan, type FaultyFileSystem } from './testing';
export {
  DISK_LOG_CONFIG_FIELDS,
  diskLogOptionsFrom,
  openDiskLogFrom,
  replayLogged,
  storageStatus,
  type DiskLogConfig,
  type StorageLogger,
  type StorageStatus,
} from './lib/config';
