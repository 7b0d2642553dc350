/**
 * Issue #2, point 3: a follower killed in the middle of a run and restarted empty at the same
 * address catches up from the leader's log. While it is down, writes with W <= N-1 keep
 * succeeding and the leader's `/status` calls it unreachable; once back, it is streaming with
 * no lag and equals the leader.
 */
import type { KvClient, StoreDump } from '@quorum-kv/bench';
import {
  expectConverged,
  health,
  leaderStatus,
  planWrites,
  plainDump,
  runWrites,
  waitForAllStreaming,
  waitForFollowerStatus,
  waitUntil,
  type DoneWrite,
} from '../support';
import { describeSettings, testSettings, processClusterPerFile } from './start-cluster';

const settings = testSettings({ delay: 'uniform:0:20', seed: 303 });
/** Follower 2 (0-based index 1) is the one that goes down. */
const VICTIM = 1;
const LIVE = [0, 2, 3, 4];

function failures(done: DoneWrite[]) {
  return done
    .filter((d) => d.httpStatus !== 200)
    .map((d) => ({ seq: d.seq, w: d.w, httpStatus: d.httpStatus, body: d.body }));
}

describe(`a follower killed mid-run and restarted empty (${describeSettings(settings)})`, () => {
  const ctx = processClusterPerFile(settings);
  let victimIdBefore: unknown;
  let lsnBeforeOutage: number;

  test('with every follower up, W=5 writes succeed and the cluster converges', async () => {
    const plan = planWrites({
      writes: 20,
      keys: 5,
      seed: settings.seed,
      quorums: [5],
      label: 'before',
    });
    expect(failures(await runWrites(ctx.clients.leader, plan, 4))).toEqual([]);
    lsnBeforeOutage = (await expectConverged(ctx.clients)).lsn;
    expect(lsnBeforeOutage).toBe(20);
    victimIdBefore = (await health(ctx.clients.followers[VICTIM] as KvClient))['id'];
    expect(victimIdBefore).toEqual(expect.any(String));
  });

  test('killed mid-run: every write with W <= 4 succeeds, and the leader reports the follower unreachable', async () => {
    const plan = planWrites({
      writes: 80,
      keys: 5,
      seed: settings.seed + 1,
      quorums: [1, 2, 3, 4],
      ackModes: ['received', 'applied'],
      deleteShare: 0.1,
      label: 'outage',
    });
    const running = runWrites(ctx.clients.leader, plan, 8);
    // Kill once the run is well under way, so some of its RPCs to the victim are in flight.
    await waitUntil(
      'the run to pass LSN 40',
      async () => ((await leaderStatus(ctx.clients.leader)).lsn >= lsnBeforeOutage + 20 ? true : undefined),
      {
        timeoutMs: 10_000,
        pollMs: 5,
      },
    );
    await ctx.cluster.killFollower(VICTIM);
    const done = await running;
    expect(failures(done)).toEqual([]);

    const status = await waitForFollowerStatus(
      ctx.clients.leader,
      VICTIM,
      'follower 2 unreachable',
      (row) => row.state === 'unreachable',
    );
    const row = status.followers[VICTIM];
    expect(row).toEqual(expect.objectContaining({ state: 'unreachable', lastError: expect.any(String) }));
    expect(row?.lagEntries).toBeGreaterThan(0);
    expect(row?.consecutiveFailures).toBeGreaterThan(0);
    // The follower is really gone: nothing answers at its address.
    await expect(ctx.clients.followers[VICTIM]?.debugStore()).rejects.toThrow();
  });

  test('the four live followers stay equal to the leader during the outage', async () => {
    const leader = await expectConverged(ctx.clients, { followerIndexes: LIVE });
    expect(leader.lsn).toBe(lsnBeforeOutage + 80);
    const status = await leaderStatus(ctx.clients.leader);
    expect(LIVE.map((i) => status.followers[i]?.state)).toEqual(LIVE.map(() => 'streaming'));
  });

  test('restarted empty at the same address, it catches up while writes continue; then every store is equal', async () => {
    await ctx.cluster.restartFollower(VICTIM);
    const victim = ctx.clients.followers[VICTIM] as KvClient;
    // A new process: the leader must not take its old progress for granted.
    const restartedId = await waitUntil(
      'the restarted follower to answer /health',
      async () => (await health(victim))['id'],
      { timeoutMs: 10_000 },
    );
    expect(restartedId).not.toEqual(victimIdBefore);

    const plan = planWrites({
      writes: 40,
      keys: 5,
      seed: settings.seed + 2,
      quorums: [1, 2, 3, 4],
      deleteShare: 0.1,
      label: 'after',
    });
    expect(failures(await runWrites(ctx.clients.leader, plan, 4))).toEqual([]);

    const leader: StoreDump = await expectConverged(ctx.clients, { timeoutMs: 20_000 });
    expect(leader.lsn).toBe(lsnBeforeOutage + 80 + 40);
    // The restarted follower holds the writes from before the outage too (a full catch-up).
    const victimDump = plainDump(await victim.debugStore());
    expect(Object.keys(victimDump.store).filter((k) => k.startsWith('before-')).length).toBeGreaterThan(0);
  });

  test('the leader reports it streaming again with lagEntries 0, and W=5 succeeds again', async () => {
    const status = await waitForAllStreaming(ctx.clients.leader);
    expect(status.followers[VICTIM]).toEqual(
      expect.objectContaining({
        state: 'streaming',
        lagEntries: 0,
        ackedLsn: status.lsn,
        consecutiveFailures: 0,
        lastError: null,
      }),
    );
    const plan = planWrites({
      writes: 10,
      keys: 5,
      seed: settings.seed + 3,
      quorums: [5],
      ackModes: ['received', 'applied'],
      label: 'final',
    });
    expect(failures(await runWrites(ctx.clients.leader, plan, 2))).toEqual([]);
    await expectConverged(ctx.clients);
  });
});
