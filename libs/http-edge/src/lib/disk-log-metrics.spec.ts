import { Registry } from 'prom-client';
import { diskLogMetrics, type DiskLogCounters } from './disk-log-metrics';

describe('diskLogMetrics', () => {
  it('reads the log at each scrape: counters add what is new, gauges show the last value', async () => {
    const registry = new Registry();
    const stats: DiskLogCounters = {
      fsyncCount: 4,
      recordsFsynced: 40,
      recordsPerFsyncMean: 10,
      recordsPerFsyncMax: 17,
      recordsWritten: 41,
      bytesWritten: 4100,
      snapshotsWritten: 0,
      logBytesOnDisk: 4100,
      segmentCount: 1,
    };
    diskLogMetrics(registry, () => stats);
    expect(await registry.metrics()).toMatch(/^quorumkv_disk_fsyncs_total 4$/m);
    Object.assign(stats, { fsyncCount: 6, recordsPerFsyncMean: 8.5, snapshotsWritten: 1, segmentCount: 2 });
    const text = await registry.metrics();
    expect(text).toMatch(/^quorumkv_disk_fsyncs_total 6$/m);
    expect(text).toMatch(/^quorumkv_disk_records_per_fsync_mean 8\.5$/m);
    expect(text).toMatch(/^quorumkv_disk_records_per_fsync_max 17$/m);
    expect(text).toMatch(/^quorumkv_disk_snapshots_total 1$/m);
    expect(text).toMatch(/^quorumkv_disk_segments 2$/m);
  });
});
