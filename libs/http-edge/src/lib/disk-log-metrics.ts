/**
 * The on-disk log's counters as Prometheus metrics, read from the log when scraped. Takes the
 * counters as plain numbers (the shape of `DiskLog.stats()`), so this edge library needs no
 * storage import.
 */
import type { Registry } from 'prom-client';
import { scrapedMetrics } from './scraped-metrics';

/** The counters `DiskLog.stats()` gives that become metrics. */
export interface DiskLogCounters {
  fsyncCount: number;
  recordsFsynced: number;
  recordsPerFsyncMean: number;
  recordsPerFsyncMax: number;
  recordsWritten: number;
  bytesWritten: number;
  snapshotsWritten: number;
  logBytesOnDisk: number;
  segmentCount: number;
}

export function diskLogMetrics(registry: Registry, read: () => DiskLogCounters): void {
  // Counters are running totals of the log: each scrape adds what is new.
  scrapedMetrics(registry, read, [
    { counter: 'quorumkv_disk_fsyncs_total', help: 'fsyncs of the log in DATA_DIR', read: (s) => s.fsyncCount },
    {
      counter: 'quorumkv_disk_records_fsynced_total',
      help: 'Records made durable by those fsyncs',
      read: (s) => s.recordsFsynced,
    },
    {
      counter: 'quorumkv_disk_records_written_total',
      help: 'Records written to the log',
      read: (s) => s.recordsWritten,
    },
    {
      counter: 'quorumkv_disk_written_bytes_total',
      help: 'Bytes written to segments and snapshots',
      read: (s) => s.bytesWritten,
    },
    { counter: 'quorumkv_disk_snapshots_total', help: 'Snapshots written', read: (s) => s.snapshotsWritten },
    {
      gauge: 'quorumkv_disk_records_per_fsync_mean',
      help: 'Group commit: records one fsync covered, on average',
      read: (s) => s.recordsPerFsyncMean,
    },
    {
      gauge: 'quorumkv_disk_records_per_fsync_max',
      help: 'Group commit: most records one fsync covered',
      read: (s) => s.recordsPerFsyncMax,
    },
    { gauge: 'quorumkv_disk_log_bytes', help: 'Bytes in the log segments on disk', read: (s) => s.logBytesOnDisk },
    { gauge: 'quorumkv_disk_segments', help: 'Log segment files on disk', read: (s) => s.segmentCount },
  ]);
}
