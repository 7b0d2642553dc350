import { readdirSync } from 'node:fs';
import { createRng, FakeClock } from '@quorum-kv/replication-protocol';
import { faultyFileSystem } from '../testing';
import { DiskLog } from './disk-log';
import type { DiskLogOptions, FsyncMode } from './options';
import { collect, segmentFiles, useTempDirs } from './test-dirs';

const entry = (lsn: number, value: unknown = { n: lsn }) => ({ epoch: 1, lsn, key: `k${lsn % 10}`, value });

/** A log in a fresh directory of `temp`, over a file system that fails on demand (`fs.plan`). */
async function faultyLog(temp: { make(): string }, options: Omit<DiskLogOptions, 'dir' | 'fs'>) {
  const dir = temp.make();
  const fs = faultyFileSystem();
  const log = await DiskLog.open({ dir, fs, ...options });
  return { dir, fs, log };
}

function isSettled(promise: Promise<unknown>): Promise<boolean> {
  const marker = Symbol('pending');
  return Promise.race([promise.then(() => true), new Promise((resolve) => setImmediate(() => resolve(marker)))]).then(
    (result) => result !== marker,
  );
}

describe('DiskLog: restart', () => {
  const temp = useTempDirs();
  const seed = 77;

  const modes: FsyncMode[] = ['always', 'batch', 'off'];
  it.each(modes)(
    `FSYNC=%s: reads back exactly what was appended, across segments and records larger than a read chunk (seed ${seed})`,
    async (fsync) => {
      const dir = temp.make();
      const rng = createRng(seed);
      const values = Array.from({ length: 300 }, (_, i) =>
        entry(i + 1, i % 50 === 7 ? 'x'.repeat(100_000 + Math.floor(rng.next() * 50_000)) : { n: rng.next() }),
      );
      const options = { dir, fsync, segmentBytes: 256 * 1024, maxRecordBytes: 200_000 };
      const log = await DiskLog.open(options);
      await Promise.all(values.slice(0, 150).map((value) => log.append(value).committed));
      await Promise.all(values.slice(150).map((value) => log.append(value).committed));
      await log.close();
      expect(segmentFiles(dir).length).toBeGreaterThan(1);

      const reopened = await DiskLog.open(options);
      expect(await collect(reopened.readRecords())).toEqual(values);
      expect(reopened.stats().appendedRecords).toBe(values.length);
      await reopened.close();
    },
  );

  it('refuses appends after close, with log_closed', async () => {
    const log = await DiskLog.open({ dir: temp.make(), fsync: 'off' });
    await log.close();
    await expect(log.append(entry(1)).written).rejects.toMatchObject({ code: 'log_closed', fatal: false });
  });

  it('refuses a record over maxRecordBytes, and a non-JSON value at once', async () => {
    const log = await DiskLog.open({ dir: temp.make(), fsync: 'off', maxRecordBytes: 1000 });
    await expect(log.append('x'.repeat(2000)).written).rejects.toMatchObject({ code: 'record_too_large' });
    expect(() => log.append(undefined)).toThrow(TypeError);
    await log.close();
  });

  it('refuses appends beyond maxQueuedBytes with queue_full, and keeps the ones queued', async () => {
    const log = await DiskLog.open({ dir: temp.make(), fsync: 'off', maxRecordBytes: 1000, maxQueuedBytes: 3000 });
    const receipts = Array.from({ length: 10 }, (_, i) => log.append(entry(i, 'v'.repeat(900))));
    const outcomes = await Promise.allSettled(receipts.map((receipt) => receipt.written));
    const refused = outcomes.filter((o) => o.status === 'rejected');
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((o) => o.status === 'rejected' && o.reason.code === 'queue_full')).toBe(true);
    await log.close();
  });
});

describe('DiskLog: snapshots', () => {
  const temp = useTempDirs();

  it('is due past the named size; writing one deletes the segments it covers; a restart loads it, then the records after', async () => {
    const dir = temp.make();
    const options = {
      dir,
      fsync: 'batch' as const,
      segmentBytes: 4096,
      snapshotThresholdBytes: 10_000,
      maxRecordBytes: 1000,
    };
    const log = await DiskLog.open(options);
    const state = new Map<string, unknown>();
    let lsn = 0;
    while (!log.snapshotDue) {
      lsn += 1;
      const e = entry(lsn);
      state.set(e.key, e.value);
      await log.append(e).written;
    }
    expect(segmentFiles(dir).length).toBeGreaterThan(2);
    async function* items() {
      for (const [key, value] of state) yield { key, value };
    }
    const written = await log.writeSnapshot({ lsn, epoch: 1 }, items());
    expect(written).toMatchObject({ coversSeq: lsn, itemCount: state.size });
    expect(segmentFiles(dir)).toHaveLength(1);
    expect(log.snapshotDue).toBe(false);
    expect(log.stats()).toMatchObject({ snapshotsWritten: 1, logBytesOnDisk: 0, segmentCount: 1 });
    const after = [entry(lsn + 1), entry(lsn + 2)];
    await Promise.all(after.map((e) => log.append(e).written));
    await log.close();

    const reopened = await DiskLog.open(options);
    expect(reopened.snapshot).toEqual({ coversSeq: lsn, header: { lsn, epoch: 1 }, itemCount: state.size });
    expect(await collect(reopened.readSnapshot())).toEqual([...state].map(([key, value]) => ({ key, value })));
    expect(await collect(reopened.readRecords())).toEqual(after);
    await reopened.close();
  });

  it('keeps only the newest snapshot, and records appended while one streams are replayed after it', async () => {
    const dir = temp.make();
    const log = await DiskLog.open({ dir, fsync: 'off' });
    await log.append(entry(1)).written;
    await log.writeSnapshot({ lsn: 1 }, [{ key: 'k1' }]);
    await log.append(entry(2)).written;
    let during: Promise<void> | undefined;
    async function* items() {
      yield { key: 'k2' };
      during = log.append(entry(3)).written; // arrives while the snapshot is being written
      yield { key: 'k3' };
    }
    await log.writeSnapshot({ lsn: 2 }, items());
    await during;
    await log.close();
    expect(readdirSync(dir).filter((name) => name.endsWith('.snap'))).toEqual(['snapshot-0000000000000002.snap']);
    const reopened = await DiskLog.open({ dir, fsync: 'off' });
    expect(reopened.snapshot?.header).toEqual({ lsn: 2 });
    expect(await collect(reopened.readRecords())).toEqual([entry(3)]);
    await reopened.close();
  });

  it('close waits for a snapshot being written, and refuses a second one meanwhile', async () => {
    const dir = temp.make();
    const log = await DiskLog.open({ dir, fsync: 'off' });
    await log.append(entry(1)).written;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    async function* items() {
      yield { key: 'k1' };
      await gate;
      yield { key: 'k2' };
    }
    const snapshot = log.writeSnapshot({ lsn: 1 }, items());
    await expect(log.writeSnapshot({ lsn: 1 }, [])).rejects.toThrow(/already being written/);
    const closed = log.close();
    // Let the roll, the segment's fsync and everything close does without the snapshot finish.
    while (log.stats().segmentCount < 2) await new Promise((resolve) => setTimeout(resolve, 10));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await isSettled(closed)).toBe(false);
    release();
    await expect(snapshot).resolves.toMatchObject({ itemCount: 2 });
    await closed;
    const reopened = await DiskLog.open({ dir, fsync: 'off' });
    expect(await collect(reopened.readSnapshot())).toEqual([{ key: 'k1' }, { key: 'k2' }]);
    await reopened.close();
  });

  it('a snapshot that finds the disk full fails with disk_full, leaves no file, and the log goes on', async () => {
    const { dir, fs, log } = await faultyLog(temp, { fsync: 'off' });
    await log.append(entry(1)).written;
    fs.plan.writeErrno = 'ENOSPC';
    await expect(log.writeSnapshot({ lsn: 1 }, [{ key: 'k1' }])).rejects.toMatchObject({ code: 'disk_full' });
    expect(readdirSync(dir).filter((name) => name.startsWith('snapshot'))).toEqual([]);
    fs.plan.writeErrno = undefined;
    await log.append(entry(2)).written;
    await log.close();
  });
});

describe('DiskLog: FSYNC modes', () => {
  const temp = useTempDirs();

  it('always: the committed promise resolves only once an fsync covers the record', async () => {
    const { fs, log } = await faultyLog(temp, { fsync: 'always' });
    const syncsAtOpen = fs.calls.sync;
    const receipt = log.append(entry(1));
    expect(receipt.committed).toBe(receipt.durable);
    await receipt.committed;
    expect(fs.calls.sync).toBe(syncsAtOpen + 1);
    expect(log.stats()).toMatchObject({ fsyncCount: 1, recordsFsynced: 1, durableRecords: 1 });
    await log.close();
  });

  it('always is group commit: many concurrent appends take fewer fsyncs than records, and each is covered', async () => {
    const log = await DiskLog.open({ dir: temp.make(), fsync: 'always' });
    const recordCount = 200;
    await Promise.all(Array.from({ length: recordCount }, (_, i) => log.append(entry(i)).committed));
    const stats = log.stats();
    expect(stats.fsyncCount).toBeLessThan(recordCount);
    expect(stats.recordsFsynced).toBe(recordCount);
    expect(stats.recordsPerFsyncMax).toBeGreaterThan(1);
    expect(stats.writeCount).toBeLessThan(recordCount); // the writes are batched too
    await log.close();
  });

  it('batch: written at once, fsynced only when the interval passes, at most once per interval', async () => {
    const clock = new FakeClock();
    const { fs, log } = await faultyLog(temp, { fsync: 'batch', fsyncIntervalMs: 100, clock });
    const receipts = Array.from({ length: 20 }, (_, i) => log.append(entry(i)));
    await Promise.all(receipts.map((receipt) => receipt.committed));
    for (const receipt of receipts) expect(receipt.committed).toBe(receipt.written);
    expect(log.stats().fsyncCount).toBe(0);
    expect(await Promise.all(receipts.map((receipt) => isSettled(receipt.durable)))).toEqual(receipts.map(() => false));
    clock.advance(99);
    expect(log.stats().fsyncCount).toBe(0);
    clock.advance(1);
    await Promise.all(receipts.map((receipt) => receipt.durable));
    expect(log.stats()).toMatchObject({ fsyncCount: 1, recordsFsynced: 20 });
    const syncCalls = fs.calls.sync;
    clock.advance(100); // nothing new: no fsync is even started
    expect(fs.calls.sync).toBe(syncCalls);
    expect(log.stats().fsyncCount).toBe(1);
    await log.close();
  });

  it('off: never fsyncs on its own; sync() (the flushed ack) and close() do', async () => {
    const { fs, log } = await faultyLog(temp, { fsync: 'off' });
    const syncsAtOpen = fs.calls.sync;
    const first = log.append(entry(1));
    await first.committed;
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fs.calls.sync).toBe(syncsAtOpen);
    expect(await isSettled(first.durable)).toBe(false);
    await log.sync();
    await first.durable;
    expect(log.stats()).toMatchObject({ fsyncCount: 1, durableRecords: 1 });
    await log.append(entry(2)).written;
    await log.close();
    expect(log.stats()).toMatchObject({ fsyncCount: 2, durableRecords: 2 });
  });

  const modes: FsyncMode[] = ['always', 'batch', 'off'];
  it.each(modes)('%s: sync() waits for records appended before it even if they are not yet written', async (fsync) => {
    const log = await DiskLog.open({ dir: temp.make(), fsync, clock: new FakeClock() });
    const receipts = Array.from({ length: 5 }, (_, i) => log.append(entry(i)));
    await log.sync();
    for (const receipt of receipts) expect(await isSettled(receipt.durable)).toBe(true);
    expect(log.stats().durableRecords).toBe(5);
    await log.close();
  });
});

describe('DiskLog: I/O failures', () => {
  const temp = useTempDirs();

  it('a failed fsync is fatal: waiting records, later appends, sync and close all fail with fsync_failed', async () => {
    const { dir, fs, log } = await faultyLog(temp, { fsync: 'always' });
    await log.append(entry(1)).committed;
    fs.plan.syncErrno = 'EIO';
    const receipt = log.append(entry(2));
    await expect(receipt.committed).rejects.toMatchObject({ code: 'fsync_failed', fatal: true });
    await expect(receipt.written).resolves.toBeUndefined(); // written to the OS, but not known durable
    await expect(log.append(entry(3)).written).rejects.toMatchObject({ code: 'fsync_failed' });
    await expect(log.sync()).rejects.toMatchObject({ code: 'fsync_failed' });
    await expect(log.close()).rejects.toMatchObject({ code: 'fsync_failed' });
    // The lock is released so the node can be restarted; the restart finds what was written.
    const reopened = await DiskLog.open({ dir, fsync: 'always' });
    expect(await collect(reopened.readRecords())).toEqual([entry(1), entry(2)]);
    await reopened.close();
  });

  it('a failed directory fsync when a segment rolls is fatal too', async () => {
    const { fs, log } = await faultyLog(temp, { fsync: 'off', segmentBytes: 200, maxRecordBytes: 100 });
    await log.append(entry(1)).written;
    fs.plan.syncDirErrno = 'EIO';
    const receipts = Array.from({ length: 5 }, (_, i) => log.append(entry(i + 2)));
    await expect(Promise.all(receipts.map((receipt) => receipt.written))).rejects.toMatchObject({
      code: 'fsync_failed',
    });
    await expect(log.append(entry(9)).written).rejects.toMatchObject({ code: 'fsync_failed' });
    await log.close().catch(() => undefined);
  });

  it('ENOSPC fails the records not written with disk_full, cuts any partial write, and loses nothing acknowledged', async () => {
    const warnings: unknown[] = [];
    const { dir, fs, log } = await faultyLog(temp, { fsync: 'always', onWarn: (w) => warnings.push(w) });
    await log.append(entry(1)).committed;
    fs.plan.writeErrno = 'ENOSPC';
    fs.plan.partialWriteBytes = 7; // a torn write the log must cut back
    const refused = log.append(entry(2));
    await expect(refused.committed).rejects.toMatchObject({ code: 'disk_full', fatal: false });
    fs.plan.writeErrno = undefined;
    await log.append(entry(3)).committed; // space is back: the log goes on
    await log.close();
    const reopened = await DiskLog.open({ dir, fsync: 'always', onWarn: (w) => warnings.push(w) });
    expect(await collect(reopened.readRecords())).toEqual([entry(1), entry(3)]);
    expect(warnings).toEqual([]); // no torn tail: the partial write was cut at once
    await reopened.close();
  });

  it('ENOSPC when a new segment is created fails the waiting records with disk_full; the log goes on', async () => {
    const { fs, log } = await faultyLog(temp, { fsync: 'off', segmentBytes: 200, maxRecordBytes: 100 });
    await Promise.all([1, 2, 3].map((lsn) => log.append(entry(lsn)).written));
    fs.plan.createErrno = 'ENOSPC';
    await expect(log.append(entry(4)).written).rejects.toMatchObject({ code: 'disk_full' });
    fs.plan.createErrno = undefined;
    await log.append(entry(4)).written;
    expect(log.stats()).toMatchObject({ appendedRecords: 4, writtenRecords: 4, segmentCount: 2 });
    await log.close();
  });

  it('any other write error (EIO) is fatal: io_failed', async () => {
    const { fs, log } = await faultyLog(temp, { fsync: 'off' });
    fs.plan.writeErrno = 'EIO';
    await expect(log.append(entry(1)).written).rejects.toMatchObject({ code: 'io_failed', fatal: true });
    fs.plan.writeErrno = undefined;
    await expect(log.append(entry(2)).written).rejects.toMatchObject({ code: 'io_failed' });
    await log.close().catch(() => undefined);
  });
});
