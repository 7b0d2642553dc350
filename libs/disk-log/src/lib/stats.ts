/** The log's counters, for /metrics and the benchmark. */
export interface DiskLogStats {
  /** fsyncs that made records durable (segment rolls and close included). */
  fsyncCount: number;
  /** Records made durable by those fsyncs, in total. */
  recordsFsynced: number;
  /** Group-commit batch size: records one fsync covered, on average, at most, and last. */
  recordsPerFsyncMean: number;
  recordsPerFsyncMax: number;
  recordsPerFsyncLast: number;
  /** Bytes written to segments and snapshots. */
  bytesWritten: number;
  recordsWritten: number;
  /** Write calls to segments (each a writev of one or more records). */
  writeCount: number;
  snapshotsWritten: number;
  /** Bytes in the segments on disk now (what `snapshotThresholdBytes` is compared with). */
  logBytesOnDisk: number;
  segmentCount: number;
  /** Seqs: records appended, written to the OS and fsynced, since the log began. */
  appendedRecords: number;
  writtenRecords: number;
  durableRecords: number;
  queuedBytes: number;
}

type Counters = Omit<
  DiskLogStats,
  'recordsPerFsyncMean' | 'segmentCount' | 'appendedRecords' | 'writtenRecords' | 'durableRecords' | 'queuedBytes'
>;

export function emptyStats(): Counters {
  return {
    fsyncCount: 0,
    recordsFsynced: 0,
    recordsPerFsyncMax: 0,
    recordsPerFsyncLast: 0,
    bytesWritten: 0,
    recordsWritten: 0,
    writeCount: 0,
    snapshotsWritten: 0,
    logBytesOnDisk: 0,
  };
}
