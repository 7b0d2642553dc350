import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { DiskLog, faultyFileSystem, type FsyncMode } from '@quorum-kv/disk-log';
import { clusterIdFromToken, createLogger, createRegistry } from '@quorum-kv/http-edge';
import type { AckMode, Entry, ReplicateRequest } from '@quorum-kv/replication-protocol';
import { buildFollowerApp } from '../app';
import { loadFollowerConfig } from '../config';
import { FollowerNode } from '../follower-node';
import { diskJournal } from './follower-journal';
import { openFollowerStorage, replayFollowerLog } from './open-storage';

const TOKEN = 'cluster-secret-token';
const CLUSTER_ID = clusterIdFromToken(TOKEN);
const silent = createLogger('follower', 'silent');

const dirs: string[] = [];
const logs: DiskLog[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'follower-storage-'));
  dirs.push(dir);
  return dir;
}
afterEach(async () => {
  await Promise.all(logs.splice(0).map((log) => log.close().catch(() => undefined)));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const put = (lsn: number, epoch = 1, key = `k${lsn}`): Entry => ({
  lsn,
  epoch,
  op: 'put',
  key,
  value: { n: lsn },
  leaderTimeMs: 1000 + lsn,
});

const batch = (entries: Entry[], ackMode: AckMode = 'received', epoch = 1, prevEpoch = 1): ReplicateRequest => {
  const first = Math.min(...entries.map((e) => e.lsn));
  return {
    leaderId: 'leader',
    clusterId: CLUSTER_ID,
    epoch,
    prevLsn: first - 1,
    prevEpoch: first === 1 ? 0 : prevEpoch,
    ackMode,
    entries,
  };
};

async function openNode(dir: string, fsync: FsyncMode = 'always', fs = faultyFileSystem()) {
  const log = await DiskLog.open({ dir, fsync, fs, snapshotThresholdBytes: 1024 * 1024 });
  logs.push(log);
  const fatal: unknown[] = [];
  const node = new FollowerNode(
    'f1',
    1000,
    CLUSTER_ID,
    Infinity,
    diskJournal(log, (e) => fatal.push(e)),
  );
  const records = await replayFollowerLog(log, node);
  return { log, node, fs, fatal, records };
}

/** Everything a restart must bring back: promise, applied map and LSN, buffered entries, the whole log. */
const stateOf = (node: FollowerNode) => ({
  promisedEpoch: node.promisedEpoch,
  appliedLsn: node.applier.appliedLsn,
  appliedEpoch: node.applier.appliedEpoch,
  bufferedCount: node.applier.bufferedCount,
  store: node.applier.state.snapshot(),
  log: node.applier.exportLog(),
});

async function reopen(dir: string, log: DiskLog, fsync: FsyncMode = 'always') {
  await log.close();
  return openNode(dir, fsync);
}

describe('follower on a DATA_DIR: what a restart brings back', () => {
  it('replays batches, an early (buffered) entry, a snapshot and a promise into the same state', async () => {
    const dir = tempDir();
    const first = await openNode(dir);
    await first.node.receive(batch([put(1), put(2)]));
    await first.node.receive(batch([put(5)])); // beyond a gap: buffered
    await first.node.installSnapshot({
      leaderId: 'leader',
      clusterId: CLUSTER_ID,
      epoch: 2,
      lsn: 3,
      items: [
        ['k1', { n: 1 }, 1],
        ['s', 'from-snapshot', 3],
      ],
    });
    await first.node.receive(batch([put(4, 2)], 'received', 2, 2)); // 5 (epoch 1) then drains and is discarded
    await first.node.receive(batch([put(7, 2)], 'received', 2, 2)); // buffered beyond the gap at 6
    await first.node.recover({ leaderId: 'next', clusterId: CLUSTER_ID, epoch: 7 });
    const before = stateOf(first.node);
    expect(before).toEqual(
      expect.objectContaining({ promisedEpoch: 7, appliedLsn: 4, appliedEpoch: 2, bufferedCount: 1 }),
    );

    const second = await reopen(dir, first.log);
    expect(second.records).toBe(6);
    expect(stateOf(second.node)).toEqual(before);
  });

  it('a batch that changes nothing (a resend) is not logged again', async () => {
    const dir = tempDir();
    const first = await openNode(dir);
    await first.node.receive(batch([put(1)]));
    await first.node.receive(batch([put(1)]));
    await first.node.receive(batch([put(1)]));
    expect(first.log.stats().appendedRecords).toBe(1);
  });

  it('a refused batch (log mismatch) is not logged and changes nothing after a restart', async () => {
    const dir = tempDir();
    const first = await openNode(dir);
    await first.node.receive(batch([put(1), put(2)]));
    await expect(first.node.receive(batch([put(3, 1)], 'received', 1, 5))).rejects.toThrow(/log mismatch/);
    const second = await reopen(dir, first.log);
    expect(second.records).toBe(1);
    expect(second.node.applier.appliedLsn).toBe(2);
  });

  it.each(['always', 'batch', 'off'] as const)(
    'FSYNC=%s: a snapshot past its threshold covers the log, and a restart from it loses nothing',
    async (fsync) => {
      const dir = tempDir();
      const log = await DiskLog.open({ dir, fsync, snapshotThresholdBytes: 2048 });
      logs.push(log);
      const node = new FollowerNode(
        'f1',
        1000,
        CLUSTER_ID,
        Infinity,
        diskJournal(log, () => undefined),
      );
      for (let lsn = 1; lsn <= 60; lsn++) await node.receive(batch([put(lsn, 1, `k${lsn % 7}`)]));
      await node.receive(batch([put(62)])); // buffered beyond the gap at 61
      await until(() => log.stats().snapshotsWritten >= 1);
      const before = stateOf(node);
      await log.close();
      const again = await openNode(dir, fsync);
      expect(again.log.snapshot).toBeDefined();
      expect(again.records).toBeLessThan(61);
      expect(stateOf(again.node)).toEqual(before);
    },
  );
});

describe('follower acks by mode, on a DATA_DIR with FSYNC=off', () => {
  // FSYNC=off: no fsync happens unless an ack asks for one, so each case counts them.
  const cases: Array<{ why: string; ackMode: AckMode; fsyncs: number }> = [
    { why: 'received waits for the write to the OS, no fsync', ackMode: 'received', fsyncs: 0 },
    { why: 'flushed waits for one fsync covering the entry', ackMode: 'flushed', fsyncs: 1 },
    { why: 'applied waits for the apply, no fsync', ackMode: 'applied', fsyncs: 0 },
  ];
  test.each(cases)('$why', async ({ ackMode, fsyncs }) => {
    const { node, fs, log } = await openNode(tempDir(), 'off');
    const syncsAtOpen = fs.calls.sync;
    await node.receive(batch([put(1)], ackMode));
    expect(fs.calls.sync - syncsAtOpen).toBe(fsyncs);
    expect(log.stats().writtenRecords).toBe(1);
  });

  it('flushed acks waiting at once share fsyncs (group commit: one running, the next covers all who came since)', async () => {
    const { node, fs } = await openNode(tempDir(), 'off');
    const syncsAtOpen = fs.calls.sync;
    await Promise.all([1, 2, 3, 4, 5, 6, 7, 8].map((lsn) => node.receive(batch([put(lsn)], 'flushed'))));
    expect(fs.calls.sync - syncsAtOpen).toBeLessThanOrEqual(2);
    expect(node.applier.appliedLsn).toBe(8);
  });

  it('a new promise is fsynced before the recovery answer, whatever FSYNC says', async () => {
    const { node, fs } = await openNode(tempDir(), 'off');
    const syncsAtOpen = fs.calls.sync;
    await node.recover({ leaderId: 'next', clusterId: CLUSTER_ID, epoch: 3 });
    expect(fs.calls.sync - syncsAtOpen).toBe(1);
  });

  it('a failed fsync stops the follower (onFatal) and fails the ack', async () => {
    const { node, fs, fatal } = await openNode(tempDir(), 'off');
    fs.plan.syncErrno = 'EIO';
    await expect(node.receive(batch([put(1)], 'flushed'))).rejects.toMatchObject({ code: 'fsync_failed' });
    expect(fatal).toEqual([expect.objectContaining({ code: 'fsync_failed' })]);
  });

  it('a full disk stops the follower too: its memory would be ahead of its log', async () => {
    const { node, fs, fatal } = await openNode(tempDir(), 'off');
    fs.plan.writeErrno = 'ENOSPC';
    await expect(node.receive(batch([put(1)]))).rejects.toMatchObject({ code: 'disk_full' });
    expect(fatal).toEqual([expect.objectContaining({ code: 'disk_full' })]);
  });
});

describe('follower /status: what a flushed ack means here', () => {
  const statusOf = async (env: Record<string, string>) => {
    const config = loadFollowerConfig({ CLUSTER_TOKEN: TOKEN, LOG_LEVEL: 'silent', ...env });
    const storage = await openFollowerStorage(config, silent);
    if (storage.log) logs.push(storage.log);
    const app = buildFollowerApp({ config, node: storage.node, registry: createRegistry('follower'), logger: silent });
    return (await request(app).get('/status')).body;
  };

  it('without DATA_DIR: in memory, flushed means received', async () => {
    expect(await statusOf({})).toEqual(
      expect.objectContaining({ persistent: false, dataDir: null, fsync: null, flushedAckMeans: 'received' }),
    );
  });

  it('with DATA_DIR: persistent, its FSYNC mode, flushed means flushed', async () => {
    const dir = tempDir();
    expect(await statusOf({ DATA_DIR: dir, FSYNC: 'batch' })).toEqual(
      expect.objectContaining({ persistent: true, dataDir: dir, fsync: 'batch', flushedAckMeans: 'flushed' }),
    );
  });

  it('a second follower on the same DATA_DIR is refused (the lock)', async () => {
    const dir = tempDir();
    await statusOf({ DATA_DIR: dir });
    const config = loadFollowerConfig({ CLUSTER_TOKEN: TOKEN, DATA_DIR: dir });
    await expect(openFollowerStorage(config, silent)).rejects.toMatchObject({ code: 'log_locked' });
  });

  it.each([
    { env: { FSYNC: 'sometimes' }, message: /FSYNC/ },
    { env: { FSYNC_INTERVAL_MS: '0' }, message: /FSYNC_INTERVAL_MS/ },
    { env: { REPAIR: 'yes' }, message: /REPAIR/ },
  ])('refuses a bad storage setting: $env', ({ env, message }) => {
    expect(() => loadFollowerConfig({ CLUSTER_TOKEN: TOKEN, ...env })).toThrow(message);
  });
});

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error('gave up waiting');
}
