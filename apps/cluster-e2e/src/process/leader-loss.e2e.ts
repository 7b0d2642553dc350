/**
 * Issue #10: leader loss without losing acknowledged writes. A leader SIGKILLed and started
 * again with the same environment recovers from R = 3 of 5 followers: every write acknowledged
 * with W + R > N is still there, followers that diverged are brought in line, and an old
 * leader that comes back from a pause is fenced (nothing it sends sticks).
 */
import { KvClient, type StoreDump } from '@quorum-kv/bench';
import type { LeaderStatus } from '@quorum-kv/replication-protocol';
import { expectStaleWriteRefused, plainDump, waitUntil, type ClusterClients } from '../support';
import { describeSettings, processClusterPerFile, testSettings } from './start-cluster';

const settings = testSettings({ delay: 'uniform:0:20', seed: 1010 });
const N = settings.followers;
const R = Math.floor(N / 2) + 1;

interface FollowerView {
  epoch: number;
  appliedLsn: number;
  discardedCount: number;
}

/**
 * Right after a recovery: polls `/status` until drained, and every time it says drained,
 * checks that every follower holds exactly the leader's store at the leader's LSN (drained
 * must never be said while a follower's log differs from the leader's).
 */
async function expectDrainedOnlyWhenEqual(clients: ClusterClients): Promise<LeaderStatus> {
  return waitUntil(
    'the leader to report drained, with every follower equal to it',
    async () => {
      const status = await clients.leader.getJson<LeaderStatus>('/status');
      if (!status.drained) return undefined;
      const [leader, ...followers] = await Promise.all(clients.all.map(async (c) => plainDump(await c.debugStore())));
      const again = await clients.leader.getJson<LeaderStatus>('/status');
      if (again.lsn !== status.lsn) return undefined; // a write came between: look again
      expect(followers).toEqual(followers.map(() => leader as StoreDump));
      return status;
    },
    { timeoutMs: 20_000, pollMs: 20 },
  );
}

async function writeKeys(leader: KvClient, prefix: string, count: number, w: number): Promise<string[]> {
  const acked: string[] = [];
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const answer = await leader.put(`${prefix}${i}`, { w, i }, { w });
      if (answer.httpStatus === 200) acked.push(`${prefix}${i}`);
      else throw new Error(`write ${prefix}${i} at W=${w} failed: ${JSON.stringify(answer.body)}`);
    }),
  );
  return acked;
}

async function readable(leader: KvClient, keys: string[]): Promise<string[]> {
  const store = (await leader.debugStore()).store;
  return keys.filter((k) => k in store);
}

describe(`leader loss (${describeSettings(settings)}, R=${R})`, () => {
  const ctx = processClusterPerFile(settings, {
    // Resumes any follower a failed test left paused, so that the cluster stops cleanly.
    beforeStop: async (cluster) => {
      for (let i = 0; i < N; i++) await cluster.resumeFollower(i);
    },
  });

  test('a restarted leader serves the acknowledged writes at every W, under a higher epoch; /status says so', async () => {
    let lastEpoch = (await ctx.clients.leader.getJson<LeaderStatus>('/status')).epoch;
    for (let w = 1; w <= N; w++) {
      const acked = await writeKeys(ctx.clients.leader, `w${w}-`, 10, w);
      await ctx.cluster.leader.kill('SIGKILL');
      await ctx.cluster.restartLeader();
      ctx.renewClients();
      const status = await ctx.clients.leader.getJson<LeaderStatus>('/status');
      expect(status).toMatchObject({ state: 'serving', recoveryQuorum: R, wOutsidePromise: [1, 2] });
      expect(status.epoch).toBeGreaterThan(lastEpoch);
      expect(status.recovery).toMatchObject({ done: true });
      expect(status.recovery?.answered.length).toBeGreaterThanOrEqual(R);
      lastEpoch = status.epoch;
      // Inside the promise (W + R > N) nothing acknowledged may be lost.
      if (w + R > N) expect(await readable(ctx.clients.leader, acked)).toEqual(acked);
      await expectDrainedOnlyWhenEqual(ctx.clients);
      const answer = await ctx.clients.leader.put(`after-w${w}`, 1, { w: N });
      expect(answer.body).toMatchObject({ epoch: status.epoch });
    }
  });

  test('recovery with followers unreachable: R answering suffice, and the writes W of them held survive', async () => {
    await ctx.cluster.pauseFollower(3);
    await ctx.cluster.pauseFollower(4);
    const acked = await writeKeys(ctx.clients.leader, 'paused-', 10, 3); // only followers 1..3 can ack
    await ctx.cluster.leader.kill('SIGKILL');
    await ctx.cluster.resumeFollower(3);
    await ctx.cluster.resumeFollower(4);
    await ctx.cluster.pauseFollower(0);
    await ctx.cluster.pauseFollower(1);
    // Followers 1 and 2 answer nothing: recovery hears from 3, 4 and 5 only (3 holds the writes).
    await ctx.cluster.restartLeader();
    ctx.renewClients();
    const status = await ctx.clients.leader.getJson<LeaderStatus>('/status');
    expect(status.recovery?.answered).toEqual([3, 4, 5]);
    expect(await readable(ctx.clients.leader, acked)).toEqual(acked);
    await ctx.cluster.resumeFollower(0);
    await ctx.cluster.resumeFollower(1);
    await expectDrainedOnlyWhenEqual(ctx.clients);
  });

  test('a follower with a divergent suffix converges to the leader and counts what it discarded', async () => {
    // A leader whose sends to followers 2..5 wait a minute: a W=1 write reaches follower 1 only.
    // (Pausing them would not do: a paused follower reads the old leader's bytes when resumed.)
    const slow = Array.from({ length: N - 1 }, (_, i) => `${i + 2}=constant:60000`).join(';');
    await ctx.cluster.restartLeader({ DELAY: `constant:0;${slow}` });
    ctx.renewClients();
    const [lonely] = await writeKeys(ctx.clients.leader, 'lonely-', 1, 1);
    await ctx.cluster.leader.kill('SIGKILL');
    await ctx.cluster.pauseFollower(0);
    await ctx.cluster.restartLeader(); // recovers from 2..5: W + R <= N, the write may be (and is) lost
    ctx.renewClients();
    expect(await readable(ctx.clients.leader, [lonely as string])).toEqual([]);
    await writeKeys(ctx.clients.leader, 'later-', 5, 4);
    await ctx.cluster.resumeFollower(0);
    await expectDrainedOnlyWhenEqual(ctx.clients);
    const view = await ctx.clients.followers[0]?.getJson<FollowerView>('/status');
    expect(view?.discardedCount).toBeGreaterThan(0);
    expect((await ctx.clients.followers[0]?.debugStore())?.store).not.toHaveProperty(lonely as string);
  });

  test('an old leader paused while a new one recovers is fenced when resumed; nothing it sends sticks', async () => {
    const old = ctx.cluster.leader;
    const oldEpoch = (await ctx.clients.leader.getJson<LeaderStatus>('/status')).epoch;
    await old.pause();
    const next = await ctx.cluster.startExtraLeader();
    const nextClient = new KvClient(next.url);
    try {
      const nextStatus = await nextClient.getJson<LeaderStatus>('/status');
      expect(nextStatus.epoch).toBeGreaterThan(oldEpoch);
      expect((await nextClient.put('from-new', 1, { w: N })).httpStatus).toBe(200);
      await expectStaleWriteRefused(ctx.clients.leader, 'from-old', () => old.resume());
      const health = await waitUntil(
        'the old leader to say fenced',
        async () => {
          const res = await fetch(`${old.url}/health`);
          const body = (await res.json()) as Record<string, unknown>;
          return res.status === 503 && body['status'] === 'fenced' ? body : undefined;
        },
        { timeoutMs: 10_000 },
      );
      expect(health).toMatchObject({ status: 'fenced', fencedBy: nextStatus.epoch });
      expect((await fetch(`${old.url}/health?probe=live`)).status).toBe(200);
      const refused = await ctx.clients.leader.put('after-fence', 1, { w: 1 });
      expect(refused).toMatchObject({ httpStatus: 503, body: { error: 'fenced', epoch: nextStatus.epoch } });
      // Nothing the old leader sent stuck anywhere; the new leader's write is everywhere.
      const dumps = await Promise.all(ctx.clients.followers.map((f) => f.debugStore()));
      for (const dump of dumps) expect(dump.store).not.toHaveProperty('from-old');
      const nextDump = await nextClient.debugStore();
      expect(nextDump.store).toHaveProperty('from-new');
      expect(nextDump.store).not.toHaveProperty('from-old');
    } finally {
      nextClient.close();
      await next.kill('SIGTERM');
    }
  });
});
