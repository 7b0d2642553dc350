import { appendFileSync, readdirSync, readFileSync, statSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng } from '@quorum-kv/replication-protocol';
import { DiskLog } from './disk-log';
import { DiskLogError } from './errors';
import { encodeJsonFrame, FrameKind } from './frame';
import type { DiskLogWarning } from './recovery';
import { collect, segmentFiles, segmentPath, useTempDirs } from './test-dirs';

const entry = (lsn: number) => ({ epoch: 1, lsn, key: `k${lsn % 10}`, value: { n: lsn } });
const FRAME_BYTES = encodeJsonFrame(FrameKind.Record, entry(1)).length; // entries 1..9 encode alike
const MAX_RECORD_BYTES = 64; // a segment of three records must hold one of the largest

async function writeLog(dir: string, count: number, segmentBytes?: number): Promise<void> {
  const log = await DiskLog.open({ dir, fsync: 'off', segmentBytes, maxRecordBytes: MAX_RECORD_BYTES });
  const receipts = Array.from({ length: count }, (_, i) => log.append(entry(i + 1)));
  await Promise.all(receipts.map((receipt) => receipt.written));
  await log.close();
}

async function reopen(dir: string, options: { repair?: 'truncate'; segmentBytes?: number } = {}) {
  const warnings: DiskLogWarning[] = [];
  const log = await DiskLog.open({
    dir,
    fsync: 'off',
    maxRecordBytes: MAX_RECORD_BYTES,
    onWarn: (w) => warnings.push(w),
    ...options,
  });
  const records = await collect(log.readRecords());
  return { log, records, warnings };
}

describe('a torn tail', () => {
  const temp = useTempDirs();
  const seed = 1313;

  const cases: { name: string; damage: (file: string) => void; kept: number }[] = [
    { name: 'the last record cut mid-payload', damage: (f) => truncateSync(f, statSync(f).size - 3), kept: 4 },
    { name: 'the last record cut mid-header', damage: (f) => truncateSync(f, 4 * FRAME_BYTES + 5), kept: 4 },
    {
      name: 'seeded random garbage after the last record',
      damage: (f) => appendFileSync(f, Buffer.from(Array.from({ length: 300 }, () => Math.floor(rng.next() * 256)))),
      kept: 5,
    },
    {
      name: 'zeros after the last record (a file extended by a crash)',
      damage: (f) => appendFileSync(f, Buffer.alloc(64)),
      kept: 5,
    },
    {
      name: 'a whole frame header claiming more bytes than follow',
      damage: (f) => appendFileSync(f, encodeJsonFrame(FrameKind.Record, entry(6)).subarray(0, FRAME_BYTES - 1)),
      kept: 5,
    },
  ];
  const rng = createRng(seed);

  it.each(cases)(
    'is cut and reported at warn with the file and byte offset: $name (seed ' + seed + ')',
    async ({ damage, kept }) => {
      const dir = temp.make();
      await writeLog(dir, 5);
      const segment = segmentPath(dir);
      damage(segment);
      const { log, records, warnings } = await reopen(dir);
      expect(records).toEqual(Array.from({ length: kept }, (_, i) => entry(i + 1)));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatchObject({
        event: 'torn_tail',
        file: segment,
        offsetBytes: kept * FRAME_BYTES,
      });
      expect(statSync(segment).size).toBe(kept * FRAME_BYTES);
      // Appends go on right after the cut, and the next start finds no damage.
      await log.append(entry(99)).written;
      await log.close();
      const again = await reopen(dir);
      expect(again.records).toEqual([...records, entry(99)]);
      expect(again.warnings).toEqual([]);
      await again.log.close();
    },
  );
});

describe('damage before the tail', () => {
  const temp = useTempDirs();

  function flipByte(file: string, offset: number): void {
    const bytes = readFileSync(file);
    bytes.writeUInt8(bytes.readUInt8(offset) ^ 0x40, offset);
    writeFileSync(file, bytes);
  }

  it('stops the open with one line naming the file, the byte offset and the repair switch', async () => {
    const dir = temp.make();
    await writeLog(dir, 10);
    const segment = segmentPath(dir);
    const sizeBytes = statSync(segment).size;
    flipByte(segment, FRAME_BYTES + 12); // inside record 2's payload
    const error = (await DiskLog.open({ dir, fsync: 'off', maxRecordBytes: MAX_RECORD_BYTES }).catch(
      (e) => e,
    )) as DiskLogError;
    expect(error).toBeInstanceOf(DiskLogError);
    expect(error.code).toBe('log_corrupt');
    expect(error.message).not.toContain('\n');
    expect(error.message).toContain(`${segment} at byte ${FRAME_BYTES}`);
    expect(error.message).toContain('REPAIR=truncate');
    expect(error.details).toMatchObject({ offsetBytes: FRAME_BYTES, droppedRecords: 9 });
    expect(statSync(segment).size).toBe(sizeBytes); // nothing cut without the switch
  });

  it('with repair truncate, cuts at the first bad record and reports how many records went', async () => {
    const dir = temp.make();
    await writeLog(dir, 10);
    const segment = segmentPath(dir);
    flipByte(segment, FRAME_BYTES + 12);
    const { log, records, warnings } = await reopen(dir, { repair: 'truncate' });
    expect(records).toEqual([entry(1)]);
    expect(warnings).toEqual([
      expect.objectContaining({
        event: 'repaired',
        offsetBytes: FRAME_BYTES,
        droppedRecords: 9,
        problem: 'bad_checksum',
      }),
    ]);
    await log.close();
  });

  it('in an earlier segment, fails the open; repair cuts there and deletes every later segment', async () => {
    const dir = temp.make();
    const segmentBytes = 3 * FRAME_BYTES; // three records per segment
    await writeLog(dir, 10, segmentBytes);
    const segments = segmentFiles(dir);
    expect(segments).toHaveLength(4);
    flipByte(segmentPath(dir, 1), 2 * FRAME_BYTES + 12); // record 6, the last of segment 2
    await expect(
      DiskLog.open({ dir, fsync: 'off', maxRecordBytes: MAX_RECORD_BYTES, segmentBytes }),
    ).rejects.toMatchObject({
      code: 'log_corrupt',
    });
    const { log, records, warnings } = await reopen(dir, { repair: 'truncate', segmentBytes });
    expect(records).toEqual([1, 2, 3, 4, 5].map(entry));
    expect(warnings[0]).toMatchObject({ event: 'repaired', droppedRecords: 5 });
    expect(segmentFiles(dir)).toEqual(segments.slice(0, 2));
    await log.append(entry(6)).written;
    await log.close();
    const again = await reopen(dir, { segmentBytes });
    expect(again.records).toEqual([1, 2, 3, 4, 5, 6].map(entry));
    await again.log.close();
  });

  it('a missing segment is a hole: the open fails rather than skip records', async () => {
    const dir = temp.make();
    const segmentBytes = 3 * FRAME_BYTES;
    await writeLog(dir, 10, segmentBytes);
    unlinkSync(segmentPath(dir, 1));
    await expect(
      DiskLog.open({ dir, fsync: 'off', maxRecordBytes: MAX_RECORD_BYTES, segmentBytes }),
    ).rejects.toMatchObject({
      code: 'log_corrupt',
      details: { problem: 'missing_records' },
    });
  });

  it('a damaged snapshot fails the open, repair or not (it was fsynced before it got its name)', async () => {
    const dir = temp.make();
    const log = await DiskLog.open({ dir, fsync: 'off' });
    await log.append(entry(1)).written;
    await log.writeSnapshot({ lsn: 1 }, [{ key: 'k1', value: 1 }]);
    await log.close();
    const snapshot = readdirSync(dir).find((name) => name.endsWith('.snap')) as string;
    truncateSync(join(dir, snapshot), statSync(join(dir, snapshot)).size - 2);
    await expect(DiskLog.open({ dir, fsync: 'off', repair: 'truncate' })).rejects.toMatchObject({
      code: 'snapshot_corrupt',
    });
  });

  it('drops segments that end before the snapshot, so new records get seqs after it and are replayed', async () => {
    const dir = temp.make();
    const log = await DiskLog.open({ dir, fsync: 'off' });
    await Promise.all([1, 2, 3].map((lsn) => log.append(entry(lsn)).written));
    await log.writeSnapshot({ lsn: 3 }, []);
    await log.close();
    // What a repair cutting into covered records would leave: one old record, nothing after.
    for (const name of segmentFiles(dir)) unlinkSync(join(dir, name));
    writeFileSync(join(dir, 'segment-0000000000000000.log'), encodeJsonFrame(FrameKind.Record, entry(1)));
    const first = await reopen(dir);
    expect(first.records).toEqual([]);
    expect(first.log.append(entry(4)).seq).toBe(3);
    await first.log.close();
    const second = await reopen(dir);
    expect(second.records).toEqual([entry(4)]);
    await second.log.close();
  });

  it('deletes a snapshot left half-written by a crash, and warns', async () => {
    const dir = temp.make();
    await writeLog(dir, 2);
    writeFileSync(join(dir, 'snapshot.tmp'), 'half');
    const { log, records, warnings } = await reopen(dir);
    expect(records).toEqual([entry(1), entry(2)]);
    expect(warnings.map((w) => w.event)).toEqual(['leftover_file']);
    expect(readdirSync(dir)).not.toContain('snapshot.tmp');
    await log.close();
  });
});
