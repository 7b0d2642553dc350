/**
 * The errors this library throws. Each has a stable `code` the node maps to its own answer
 * (e.g. `disk_full` to 507) and says whether it is `fatal`: after a fatal error the log refuses
 * everything and the node must stop, because what is on disk is no longer known (PostgreSQL's
 * lesson on fsync: a failed fsync may have dropped dirty pages, and retrying it can "succeed").
 */
export const DISK_LOG_ERRORS = {
  /** A record before the tail is damaged: the log does not open on a guess (see `repair`). */
  log_corrupt: { fatal: true },
  /** The snapshot file is damaged; it was fsynced before it was named, so this is real damage. */
  snapshot_corrupt: { fatal: true },
  /** Another process (or this one) holds the directory's lock file. */
  log_locked: { fatal: true },
  /** ENOSPC/EDQUOT: the record was not written; nothing written before it is lost; later appends may succeed. */
  disk_full: { fatal: false },
  /** A record larger than `maxRecordBytes`. */
  record_too_large: { fatal: false },
  /** More than `maxQueuedBytes` wait to be written: the caller should shed load. */
  queue_full: { fatal: false },
  /** An fsync (of a segment, snapshot or directory) failed: stop the node. */
  fsync_failed: { fatal: true },
  /** Another I/O error (EIO on write, a failed cleanup of a partial write): stop the node. */
  io_failed: { fatal: true },
  /** The log was closed. */
  log_closed: { fatal: false },
} as const;

export type DiskLogErrorCode = keyof typeof DISK_LOG_ERRORS;

export class DiskLogError extends Error {
  readonly fatal: boolean;

  constructor(
    readonly code: DiskLogErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DiskLogError';
    this.fatal = DISK_LOG_ERRORS[code].fatal;
  }
}

export function isDiskLogError(value: unknown, code?: DiskLogErrorCode): value is DiskLogError {
  return value instanceof DiskLogError && (code === undefined || value.code === code);
}

/** The errno code of a Node system error, if it has one. */
export function errnoCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isDiskFullErrno(error: unknown): boolean {
  const code = errnoCode(error);
  return code === 'ENOSPC' || code === 'EDQUOT';
}
