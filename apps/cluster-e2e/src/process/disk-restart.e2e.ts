/**
 * Issue #13: nodes on a DATA_DIR, under each FSYNC mode. A follower SIGKILLed and restarted
 * comes back with its own log (before the leader can send it anything); a torn tail appended by
 * the test is cut with a warn line naming the file and offset; a second node on a DATA_DIR in
 * use is refused; and all six nodes SIGKILLed at once and started again on their DATA_DIRs hold
 * every acknowledged write. Process crashes lose nothing acknowledged in any FSYNC mode: an ack
 * waits at least for the write to the OS (a machine crash is what the modes differ on, and a
 * test on one machine cannot pull the power).
 */
import { spawn } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { builtAppPath, type StoreDump } from '@quorum-kv/bench';
import type { FsyncMode } from '@quorum-kv/replication-protocol';
import {
  clusterPerFile,
  expectConverged,
  planWrites,
  plainDump,
  runWrites,
  waitForAllStreaming,
  waitUntil,
  type DoneWrite,
} from '../support';
import { describeSettings, startTestCluster, testSettings } from './start-cluster';

const FSYNC_MODES_UNDER_TEST: FsyncMode[] = ['always', 'batch', 'off'];

function failures(done: DoneWrite[]) {
  return done
    .filter((d) => d.httpStatus !== 200)
    .map((d) => ({ seq: d.seq, w: d.w, ackMode: d.ackMode, httpStatus: d.httpStatus, body: d.body }));
}

/** The newest segment file of a node's DATA_DIR. */
function lastSegment(dir: string): string {
  const segments = readdirSync(dir)
    .filter((name) => name.startsWith('segment-'))
    .sort();
  const last = segments[segments.length - 1];
  if (!last) throw new Error(`no segment in ${dir}`);
  return join(dir, last);
}

interface NodeRun {
  code: number | null;
  /** Parsed JSON log lines (pino) of stdout. */
  lines: Array<Record<string, unknown>>;
  stderr: string;
}

/**
 * Starts a follower on `dataDir` outside the cluster, collects what it prints until it listens
 * (then stops it with SIGTERM, which closes its log) or exits by itself.
 */
function runFollowerOn(dataDir: string, clusterToken: string): Promise<NodeRun> {
  const child = spawn(process.execPath, [builtAppPath('follower')], {
    env: {
      PATH: process.env['PATH'] ?? '',
      HOST: '127.0.0.1',
      PORT: '0',
      CLUSTER_TOKEN: clusterToken,
      FOLLOWER_ID: 'probe',
      DATA_DIR: dataDir,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: NodeRun['lines'] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    try {
      const event = JSON.parse(line) as Record<string, unknown>;
      lines.push(event);
      if (event['msg'] === 'listening') child.kill('SIGTERM');
    } catch {
      // not one of our log lines
    }
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  return new Promise((resolve) =>
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, lines, stderr });
    }),
  );
}

describe.each(FSYNC_MODES_UNDER_TEST)('nodes on a DATA_DIR, FSYNC=%s', (fsync) => {
  // A long replication timeout: the suite is about what survives, and fsyncs on a busy machine can be slow.
  const titleSettings = testSettings({ delay: 'uniform:0:10', seed: 1313, replicationTimeoutMs: 10_000, fsync });
  // Made in beforeAll, so a describe that a -t filter skips leaves no folder behind.
  let dataDir: string;
  let settings: typeof titleSettings;
  const followerDir = (i: number) => join(dataDir, `follower${i + 1}`);
  const ctx = clusterPerFile(() => {
    dataDir = mkdtempSync(join(tmpdir(), `quorum-kv-disk-${fsync}-`));
    settings = { ...titleSettings, dataDir };
    return startTestCluster(settings);
  });
  // After the cluster has stopped: afterAll hooks run in the order they are declared.
  afterAll(() => {
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  describe(describeSettings(titleSettings), () => {
    test('writes in every ack mode, flushed included, succeed and converge; /status names the storage', async () => {
      const plan = planWrites({
        writes: 60,
        keys: 8,
        seed: settings.seed,
        quorums: [1, 3, 5],
        ackModes: ['received', 'flushed', 'applied'],
        deleteShare: 0.1,
        label: 'first',
      });
      expect(failures(await runWrites(ctx.clients.leader, plan, 6))).toEqual([]);
      expect((await expectConverged(ctx.clients)).lsn).toBe(60);
      const status = await ctx.clients.followers[0]?.getJson<Record<string, unknown>>('/status');
      expect(status).toEqual(
        expect.objectContaining({ persistent: true, dataDir: followerDir(0), fsync, flushedAckMeans: 'flushed' }),
      );
      const leaderStatus = await ctx.clients.leader.getJson<{ storage: Record<string, unknown> }>('/status');
      expect(leaderStatus.storage).toEqual(
        expect.objectContaining({ persistent: true, fsync, log: expect.objectContaining({ recordsWritten: 60 }) }),
      );
      // The same counters on /metrics, with the group-commit batch size.
      const metrics = await ctx.clients.leader.getJson<string>('/metrics');
      expect(metrics).toMatch(/^quorumkv_disk_records_written_total\{role="leader"\} 60$/m);
      expect(metrics).toMatch(/^quorumkv_disk_records_per_fsync_mean\{role="leader"\} [\d.]+$/m);
    });

    test('a follower SIGKILLed and restarted comes back with its own log, before the leader sends it anything', async () => {
      const victim = ctx.clients.followers[1];
      const before = plainDump(await (victim as NonNullable<typeof victim>).debugStore());
      await ctx.cluster.leader.pause(); // no catch-up can reach it while it starts
      try {
        await ctx.cluster.killFollower(1);
        await ctx.cluster.restartFollower(1);
        expect(plainDump(await (victim as NonNullable<typeof victim>).debugStore())).toEqual(before);
      } finally {
        await ctx.cluster.leader.resume();
      }
      // The leader saw it fail: W=5 waits until it has heard from it again.
      await waitForAllStreaming(ctx.clients.leader);
      const plan = planWrites({
        writes: 20,
        keys: 8,
        seed: settings.seed + 1,
        quorums: [5],
        ackModes: ['flushed'],
        deleteShare: 0,
        label: 'after-restart',
      });
      expect(failures(await runWrites(ctx.clients.leader, plan, 4))).toEqual([]);
      await expectConverged(ctx.clients);
    });

    test('a torn tail appended to a stopped follower log is cut at start, with a warn line naming file and offset', async () => {
      await ctx.cluster.killFollower(2);
      const segment = lastSegment(followerDir(2));
      const sizeBytes = statSync(segment).size;
      appendFileSync(segment, Buffer.from([0x2a, 0x00, 0x00, 0x00, 0xde, 0xad, 0xbe, 0xef, 0x01, 0x7b]));
      const run = await runFollowerOn(followerDir(2), settings.clusterToken);
      const warning = run.lines.find((line) => line['event'] === 'torn_tail');
      expect(warning).toEqual(expect.objectContaining({ level: 40, file: segment, offsetBytes: sizeBytes }));
      expect(statSync(segment).size).toBe(sizeBytes);
      expect(run.code).toBe(0);
      await ctx.cluster.restartFollower(2);
      await expectConverged(ctx.clients);
    });

    test('a second node on a DATA_DIR in use is refused with one line naming the lock', async () => {
      const run = await runFollowerOn(followerDir(0), settings.clusterToken);
      expect(run.code).toBe(1);
      expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^follower: .*lock/i)]);
      // The follower that holds it is untouched.
      await expectConverged(ctx.clients);
    });

    test('all six SIGKILLed at once and restarted on their DATA_DIRs: every acknowledged write is there', async () => {
      const plan = planWrites({
        writes: 40,
        keys: 12,
        seed: settings.seed + 2,
        quorums: [1, 2, 3],
        ackModes: ['received', 'flushed'],
        deleteShare: 0.1,
        label: 'before-crash',
      });
      expect(failures(await runWrites(ctx.clients.leader, plan, 8))).toEqual([]);
      const before: StoreDump = await expectConverged(ctx.clients);
      await Promise.all([
        ctx.cluster.leader.kill('SIGKILL'),
        ...[0, 1, 2, 3, 4].map((i) => ctx.cluster.killFollower(i)),
      ]);
      for (const i of [0, 1, 2, 3, 4]) await ctx.cluster.restartFollower(i);
      await ctx.cluster.restartLeader();
      const recovered = plainDump(await ctx.clients.leader.debugStore());
      expect(recovered).toEqual(before);
      const after = await expectConverged(ctx.clients);
      expect(after.store).toEqual(before.store);
      const leaderStatus = await waitUntil(
        'the leader to report its recovery',
        async () =>
          (await ctx.clients.leader.getJson<{ recovery: { done: boolean } | null }>('/status')).recovery ?? undefined,
        { timeoutMs: 5000 },
      );
      expect(leaderStatus).toEqual(expect.objectContaining({ done: true, holesFilled: 0 }));
    });
  });
});
