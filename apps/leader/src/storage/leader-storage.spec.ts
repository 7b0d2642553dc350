import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DiskLog, faultyFileSystem, type FaultyFileSystem, type FsyncMode } from '@quorum-kv/disk-log';
import { systemClock } from '../leader';
import { ReplicationCoordinator, type WriteOp } from '../replication/replication-coordinator';
import { InMemoryTransport, coordinatorOptions } from '../replication/testing';
import { diskEntryJournal, replayLeaderLog } from './leader-journal';

const N = 5;
const dirs: string[] = [];
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'leader-storage-'));
  dirs.push(dir);
  return dir;
}

const put = (key: string, value: unknown = key): WriteOp => ({ op: 'put', key, value: value as never });

/** A leader on a DATA_DIR with five in-memory followers; `recovering` starts it as main.ts does. */
async function leaderOn(
  dir: string,
  options: { fsync?: FsyncMode; recovering?: boolean; snapshotThresholdBytes?: number } = {},
) {
  const fs: FaultyFileSystem = faultyFileSystem();
  const log = await DiskLog.open({
    dir,
    fsync: options.fsync ?? 'always',
    fs,
    snapshotThresholdBytes: options.snapshotThresholdBytes ?? 1024 * 1024,
  });
  const fatal: unknown[] = [];
  const replayed = await replayLeaderLog(log);
  const transport = new InMemoryTransport(N, systemClock, 'auto');
  // What the log had written when each RPC went out: the entry must be on disk before the fan-out.
  const writtenAtSend: number[] = [];
  // Both routes out: one entry per request (applied, flushed, catch-up) and the outbox's batches.
  const send = transport.send.bind(transport);
  transport.send = (follower, request, timeoutMs) => {
    writtenAtSend.push(log.stats().writtenRecords);
    return send(follower, request, timeoutMs);
  };
  const sendBatch = transport.sendBatch.bind(transport);
  transport.sendBatch = (follower, request, timeoutMs) => {
    writtenAtSend.push(log.stats().writtenRecords);
    return sendBatch(follower, request, timeoutMs);
  };
  const coordinator = new ReplicationCoordinator({
    ...coordinatorOptions(transport, systemClock, { clusterId: 'c-test', recovering: options.recovering ?? false }),
    catchUpIntervalMs: 50,
    wallClockMs: () => Date.now(),
    journal: diskEntryJournal(log, (error) => fatal.push(error)),
    ...(replayed && { ownLog: replayed.ownLog }),
  });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    coordinator.stop();
    await log.close().catch(() => undefined);
  };
  cleanups.push(close);
  return { log, fs, fatal, coordinator, transport, writtenAtSend, close, replayed };
}

describe('leader on a DATA_DIR', () => {
  it('logs each entry before its fan-out and answers once the entry is fsynced (FSYNC=always)', async () => {
    const leader = await leaderOn(tempDir());
    const result = await leader.coordinator.write(put('a', 1), 3, 'received');
    expect(result.outcome.status).toBe('met');
    expect(leader.writtenAtSend.slice(0, N)).toEqual(Array(N).fill(1));
    expect(leader.log.stats().durableRecords).toBe(1);
  });

  it.each(['always', 'batch', 'off'] as const)(
    'FSYNC=%s: restarted with every follower empty, it recovers every write from its own log',
    async (fsync) => {
      const dir = tempDir();
      const first = await leaderOn(dir, { fsync });
      for (let i = 0; i < 20; i++) await first.coordinator.write(put(`k${i % 6}`, i), 1, 'received');
      await first.coordinator.write({ op: 'delete', key: 'k0' }, 1, 'received');
      const before = first.coordinator.state.snapshot();
      await first.close();

      const second = await leaderOn(dir, { fsync, recovering: true });
      expect(second.replayed?.ownLog.entries).toHaveLength(21);
      await second.coordinator.startRecovery();
      expect(second.coordinator.state.snapshot()).toEqual(before);
      expect(second.coordinator.recoveryStatus).toEqual(
        expect.objectContaining({ adopted: { leader: 21 }, holesFilled: 0, lastLsn: 21, done: true }),
      );
      expect(second.coordinator.epoch).toBeGreaterThan(1);
      // New writes continue after the recovered log.
      expect((await second.coordinator.write(put('after'), 1, 'received')).entry.lsn).toBe(22);
    },
  );

  it('snapshots the state once the log passes its size, and a restart from it loses nothing', async () => {
    const dir = tempDir();
    const first = await leaderOn(dir, { snapshotThresholdBytes: 2048 });
    for (let i = 0; i < 80; i++) await first.coordinator.write(put(`k${i % 9}`, { i }), 1, 'received');
    expect(first.log.stats().snapshotsWritten).toBeGreaterThanOrEqual(1);
    const before = first.coordinator.state.snapshot();
    await first.close();

    const second = await leaderOn(dir, { recovering: true });
    expect(second.replayed?.ownLog.baseLsn).toBeGreaterThan(0);
    await second.coordinator.startRecovery();
    expect(second.coordinator.state.snapshot()).toEqual(before);
  });

  it('hands recovery a bounded own log: older contiguous entries are folded into its base state', async () => {
    const dir = tempDir();
    const first = await leaderOn(dir);
    for (let i = 1; i <= 12; i++) await first.coordinator.write(put(`k${i % 4}`, i), 1, 'received');
    const before = first.coordinator.state.snapshot();
    await first.close();
    const log = await DiskLog.open({ dir, fsync: 'off' });
    cleanups.push(() => log.close());
    const replayed = await replayLeaderLog(log, 5);
    expect(replayed?.ownLog.entries.map((e) => e.lsn)).toEqual([8, 9, 10, 11, 12]);
    expect(replayed?.ownLog.baseLsn).toBe(7);
    // The base holds each key's value as of LSN 7: k3 was last written at 7, k0 at 4, k1 at 5, k2 at 6.
    expect(replayed?.ownLog.items).toEqual(
      expect.arrayContaining([
        ['k0', 4, 4],
        ['k1', 5, 5],
        ['k2', 6, 6],
        ['k3', 7, 7],
      ]),
    );
    expect(Object.keys(before)).toHaveLength(4);
  });

  it('a full disk answers 507 disk_full (indefinite); the log goes on once there is space', async () => {
    const leader = await leaderOn(tempDir());
    await leader.coordinator.write(put('a'), 1, 'received');
    leader.fs.plan.writeErrno = 'ENOSPC';
    await expect(leader.coordinator.write(put('b'), 1, 'received')).rejects.toMatchObject({
      code: 'disk_full',
      definite: false,
    });
    expect(leader.fatal).toEqual([]);
    leader.fs.plan.writeErrno = undefined;
    expect((await leader.coordinator.write(put('c'), 1, 'received')).outcome.status).toBe('met');
  });

  it('a failed fsync stops the leader (onFatal) and the write is not acknowledged', async () => {
    const leader = await leaderOn(tempDir());
    leader.fs.plan.syncErrno = 'EIO';
    await expect(leader.coordinator.write(put('a'), 1, 'received')).rejects.toMatchObject({ code: 'storage_failed' });
    expect(leader.fatal).toEqual([expect.objectContaining({ code: 'fsync_failed' })]);
  });
});
