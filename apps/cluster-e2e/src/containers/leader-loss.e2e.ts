/**
 * Issue #10 on six containers: the leader container is removed with SIGKILL and a new one starts
 * under the same alias with the same environment. It recovers from R = 3 of 5 followers, so at
 * every W with W + R > N every acknowledged write is still there under a higher epoch; it
 * recovers with a follower cut off the network (`docker network disconnect`), which then
 * converges once it is connected again; a follower holding a suffix no quorum saw discards it
 * and converges to the new leader; and an old leader paused (docker pause) while a second leader
 * container recovers is fenced when resumed.
 */
import { KvClient } from '@quorum-kv/bench';
import type { LeaderStatus } from '@quorum-kv/replication-protocol';
import { clientsFor, expectConverged, expectStaleWriteRefused, waitUntil } from '../support';
import { FOLLOWER_COUNT, containerSettings, describeSettings, dockerClusterPerFile } from './docker-test-cluster';

const settings = containerSettings({ seed: 7010 });
const N = FOLLOWER_COUNT;
const R = Math.floor(N / 2) + 1;
/** Writes per W in the kill/restart loop: few, so that five restarts stay short. */
const WRITES_PER_W = 3;
/** W of the writes the unreachable-follower test makes (W + R > N). */
const W_INSIDE = 3;

interface FollowerView {
  discardedCount: number;
}

async function writeKeys(leader: KvClient, prefix: string, count: number, w: number): Promise<string[]> {
  const acked: string[] = [];
  for (let i = 0; i < count; i++) {
    const answer = await leader.put(`${prefix}${i}`, { prefix, i }, { w });
    if (answer.httpStatus !== 200) throw new Error(`${prefix}${i} at W=${w}: ${JSON.stringify(answer.body)}`);
    acked.push(`${prefix}${i}`);
  }
  return acked;
}

async function missing(leader: KvClient, keys: string[]): Promise<string[]> {
  const { store } = await leader.debugStore();
  return keys.filter((k) => !(k in store));
}

describe(`leader loss on containers (${describeSettings(settings)}, R=${R})`, () => {
  const ctx = dockerClusterPerFile(settings);

  /** The leader's URL changes with its container: fresh clients for it. */
  const restartLeader = async () => {
    await ctx.cluster.leader.kill();
    await ctx.cluster.restartLeader();
    ctx.renewClients();
  };

  test('a killed and restarted leader serves the writes acknowledged at every W with W + R > N, under a higher epoch', async () => {
    let lastEpoch = (await ctx.clients.leader.getJson<LeaderStatus>('/status')).epoch;
    for (let w = 1; w <= N; w++) {
      const acked = await writeKeys(ctx.clients.leader, `w${w}-`, WRITES_PER_W, w);
      await restartLeader();
      const status = await ctx.clients.leader.getJson<LeaderStatus>('/status');
      expect(status).toMatchObject({ state: 'serving', recoveryQuorum: R, recovery: { done: true } });
      expect(status.recovery?.answered.length).toBeGreaterThanOrEqual(R);
      expect(status.epoch).toBeGreaterThan(lastEpoch);
      lastEpoch = status.epoch;
      // Inside the promise (W + R > N) nothing acknowledged may be lost; outside it may be.
      if (w + R > N) expect(await missing(ctx.clients.leader, acked)).toEqual([]);
      const answer = await ctx.clients.leader.put(`after-w${w}`, 1, { w: N });
      expect(answer.body).toMatchObject({ epoch: status.epoch });
    }
    await expectConverged(ctx.clients, { timeoutMs: 60_000 });
  }, 240_000);

  test('a follower with a divergent suffix discards it and converges to the new leader', async () => {
    // A leader whose sends to followers 2..5 wait a minute: a W=1 write reaches follower 1 only.
    const slow = Array.from({ length: N - 1 }, (_, i) => `${i + 2}=constant:60000`).join(';');
    await ctx.cluster.restartLeader({ DELAY: `constant:0;${slow}` });
    ctx.renewClients();
    const [lonely] = await writeKeys(ctx.clients.leader, 'lonely-', 1, 1);
    expect((await ctx.clients.followers[0]?.debugStore())?.store).toHaveProperty(lonely as string);
    // The leader dies with its delayed sends; follower 1 is paused (docker pause) while the next one recovers.
    await ctx.cluster.leader.kill();
    await ctx.cluster.pauseFollower(0);
    await ctx.cluster.restartLeader(); // recovers from 2..5: W + R <= N, the write may be (and is) lost
    ctx.renewClients();
    const status = await ctx.clients.leader.getJson<LeaderStatus>('/status');
    expect(status.recovery?.answered).not.toContain(1);
    expect(await missing(ctx.clients.leader, [lonely as string])).toEqual([lonely]);
    await writeKeys(ctx.clients.leader, 'later-', 3, N - 1);
    await ctx.cluster.resumeFollower(0);
    await expectConverged(ctx.clients, { timeoutMs: 60_000 });
    const follower = ctx.clients.followers[0];
    expect((await follower?.getJson<FollowerView>('/status'))?.discardedCount).toBeGreaterThan(0);
    expect((await follower?.debugStore())?.store).not.toHaveProperty(lonely as string);
  }, 180_000);

  test('an old leader paused while a new one recovers is fenced when resumed; nothing it sends sticks', async () => {
    const old = ctx.cluster.leader;
    const oldEpoch = (await ctx.clients.leader.getJson<LeaderStatus>('/status')).epoch;
    await old.pause(); // docker pause: its sockets still accept, it reads what waits there on unpause
    const next = await ctx.cluster.startExtraLeader();
    const nextClient = new KvClient(next.url);
    try {
      const nextStatus = await nextClient.getJson<LeaderStatus>('/status');
      expect(nextStatus).toMatchObject({ state: 'serving' });
      expect(nextStatus.epoch).toBeGreaterThan(oldEpoch);
      expect((await nextClient.put('from-new', 1, { w: N })).httpStatus).toBe(200);
      await expectStaleWriteRefused(ctx.clients.leader, 'from-old', () => old.resume());
      const refused = await ctx.clients.leader.put('after-fence', 1, { w: 1 });
      expect(refused).toMatchObject({ httpStatus: 503, body: { error: 'fenced', epoch: nextStatus.epoch } });
      // Nothing the old leader sent stuck anywhere; the new leader's write is everywhere.
      const dumps = await Promise.all(ctx.clients.followers.map((f) => f.debugStore()));
      for (const dump of dumps) {
        expect(dump.store).not.toHaveProperty('from-old');
        expect(dump.store).not.toHaveProperty('after-fence');
        expect(dump.store).toHaveProperty('from-new');
      }
    } finally {
      nextClient.close();
      await next.kill();
      await restartLeader(); // the fenced one goes; a fresh leader recovers for the next test
    }
  }, 120_000);

  test('recovery with a follower cut off the network; it converges once connected again', async () => {
    const acked = await writeKeys(ctx.clients.leader, 'b', 10, W_INSIDE);
    await ctx.cluster.leader.kill();
    await ctx.cluster.disconnectFollower(0);
    await ctx.cluster.restartLeader();
    const status = await waitUntil(
      'the restarted leader to serve',
      async () => {
        const fresh = clientsFor(ctx.cluster);
        try {
          const s = await fresh.leader.getJson<LeaderStatus>('/status');
          return s.state === 'serving' ? s : undefined;
        } finally {
          fresh.close();
        }
      },
      { timeoutMs: 60_000, pollMs: 200 },
    );
    expect(status.recovery?.answered).not.toContain(1);
    ctx.renewClients();
    await ctx.cluster.reconnectFollower(0);
    expect(await missing(ctx.clients.leader, acked)).toEqual([]);
    // Not W = N: the reconnected follower may still be in its retry backoff, and the leader fails such a write fast.
    await writeKeys(ctx.clients.leader, 'c', 3, W_INSIDE);
    await expectConverged(ctx.clients, { timeoutMs: 60_000 });
  }, 180_000);
});
