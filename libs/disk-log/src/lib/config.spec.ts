import { z } from 'zod';
import { DISK_LOG_CONFIG_FIELDS, diskLogOptionsFrom, replayLogged, storageStatus } from './config';
import { DEFAULT_DISK_LOG_LIMITS } from './options';

const schema = z.object(DISK_LOG_CONFIG_FIELDS);

describe('disk-log config fields', () => {
  it('defaults: no DATA_DIR (in memory), FSYNC always, interval 100 ms, no repair', () => {
    const config = schema.parse({});
    expect(config).toEqual({
      FSYNC: 'always',
      FSYNC_INTERVAL_MS: DEFAULT_DISK_LOG_LIMITS.fsyncIntervalMs,
      REPAIR: 'none',
      SNAPSHOT_THRESHOLD_BYTES: DEFAULT_DISK_LOG_LIMITS.snapshotThresholdBytes,
    });
    expect(diskLogOptionsFrom(config, 1024)).toBeUndefined();
    expect(storageStatus(config)).toEqual({
      persistent: false,
      dataDir: null,
      fsync: null,
      flushedAckMeans: 'received',
    });
  });

  it('with DATA_DIR: the options DiskLog.open takes, records big enough for one request body', () => {
    const config = schema.parse({ DATA_DIR: '/data', FSYNC: 'batch', FSYNC_INTERVAL_MS: '20', REPAIR: 'truncate' });
    const options = diskLogOptionsFrom(config, 64 * 1024 * 1024);
    expect(options).toEqual(
      expect.objectContaining({ dir: '/data', fsync: 'batch', fsyncIntervalMs: 20, repair: 'truncate' }),
    );
    // A 64 MiB body re-encoded as one record fits, and a segment holds one such record.
    expect(options?.maxRecordBytes).toBeGreaterThanOrEqual(64 * 1024 * 1024);
    expect(options?.segmentBytes).toBeGreaterThan(options?.maxRecordBytes as number);
    expect(storageStatus(config)).toEqual({
      persistent: true,
      dataDir: '/data',
      fsync: 'batch',
      flushedAckMeans: 'flushed',
    });
  });

  it.each([
    { input: { FSYNC: 'sometimes' }, why: 'an unknown FSYNC mode' },
    { input: { FSYNC_INTERVAL_MS: '0' }, why: 'a zero interval' },
    { input: { FSYNC_INTERVAL_MS: '1.5' }, why: 'a fractional interval' },
    { input: { REPAIR: 'fix' }, why: 'an unknown repair mode' },
    { input: { DATA_DIR: '' }, why: 'an empty DATA_DIR' },
  ])('refuses $why', ({ input }) => {
    expect(schema.safeParse(input).success).toBe(false);
  });

  it('replayLogged returns what the replay gave and logs one line: dir, fsync, the replay, its duration', async () => {
    const lines: { fields: object; message: string }[] = [];
    const logger = { info: (fields: object, message: string) => lines.push({ fields, message }) };
    const config = schema.parse({ DATA_DIR: '/data', FSYNC: 'batch' });
    const replayed = await replayLogged(
      config,
      logger,
      'replayed',
      async () => 7,
      (records) => ({ records }),
    );
    expect(replayed).toBe(7);
    expect(lines).toEqual([
      { fields: { dataDir: '/data', fsync: 'batch', records: 7, replayMs: expect.any(Number) }, message: 'replayed' },
    ]);
  });
});
