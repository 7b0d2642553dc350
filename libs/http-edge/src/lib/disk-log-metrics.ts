/**
 * The on-disk log's counters as Prometheus metrics, read from the log when scraped. Takes the
 * counters as plain numbers (the shape of `DiskLog.stats()`), so this edge library needs no
 * storage import.
 */
import type { Registry } from 'prom-client';
import { scrapedCounter, scrapedGauge } from './scraped-metrics';

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
  const gauge = (name: string, help: string, pick: (s: DiskLogCounters) => number) =>
    scrapedGauge(registry, name, help, () => pick(read()));
  // Running totals of the log: each scrape adds what is new.
  const counter = (name: string, help: string, pick: (s: DiskLogCounters) => number) =>
    scrapedCounter(registry, name, help, () => pick(read()));
  counter('quorumkv_disk_fsyncs_total', 'fsyncs of the log in DATA_DIR', (s) => s.fsyncCount);
  counter('quorumkv_disk_records_fsynced_total', 'Records made durable by those fsyncs', (s) => s.recordsFsynced);
  counter('quorumkv_disk_records_written_total', 'Records written to the log', (s) => s.recordsWritten);
  counter('quorumkv_disk_written_bytes_total', 'Bytes written to segments and snapshots', (s) => s.bytesWritten);
  counter('quorumkv_disk_snapshots_total', 'Snapshots written', (s) => s.snapshotsWritten);
  gauge(
    'quorumkv_disk_records_per_fsync_mean',
    'Group commit: records one fsync covered, on average',
    (s) => s.recordsPerFsyncMean,
  );
  gauge(
    'quorumkv_disk_records_per_fsync_max',
    'Group commit: most records one fsync covered',
    (s) => s.recordsPerFsyncMax,
  );
  gauge('quorumkv_disk_log_bytes', 'Bytes in the log segments on disk', (s) => s.logBytesOnDisk);
  gauge('quorumkv_disk_segments', 'Log segment files on disk', (s) => s.segmentCount);
}
