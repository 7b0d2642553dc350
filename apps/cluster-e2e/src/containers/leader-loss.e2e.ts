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
import { startDockerCluster, type DockerCluster } from '@quorum-kv/bench/docker';
import type { LeaderStatus } from '@quorum-kv/replication-protocol';
import { expectConverged, waitUntil } from '../support';
import {
  CLUSTER_START_TIMEOUT_MS,
  FOLLOWER_COUNT,
  FollowingClients,
  containerSettings,
  describeSettings,
} from './docker-test-cluster';

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
  let cluster: DockerCluster;
  let clients: FollowingClients;

  beforeAll(async () => {
    cluster = await startDockerCluster(settings);
    clients = new FollowingClients(cluster);
  }, CLUSTER_START_TIMEOUT_MS);

  afterAll(async () => {
    clients?.close();
    await cluster?.stop();
  }, 60_000);

  /** The leader's URL changes with its container: fresh clients for it. */
  const restartLeader = async () => {
    await cluster.leader.kill();
    await cluster.restartLeader();
    clients.close();
    clients = new FollowingClients(cluster);
  };

  test('a killed and restarted leader serves the writes acknowledged at every W with W + R > N, under a higher epoch', async () => {
    let lastEpoch = (await clients.now().leader.getJson<LeaderStatus>('/status')).epoch;
    for (let w = 1; w <= N; w++) {
      const acked = await writeKeys(clients.now().leader, `w${w}-`, WRITES_PER_W, w);
      await restartLeader();
      const status = await clients.now().leader.getJson<LeaderStatus>('/status');
      expect(status).toMatchObject({ state: 'serving', recoveryQuorum: R, recovery: { done: true } });
      expect(status.recovery?.answered.length).toBeGreaterThanOrEqual(R);
      expect(status.epoch).toBeGreaterThan(lastEpoch);
      lastEpoch = status.epoch;
      // Inside the promise (W + R > N) nothing acknowledged may be lost; outside it may be.
      if (w + R > N) expect(await missing(clients.now().leader, acked)).toEqual([]);
      const answer = await clients.now().leader.put(`after-w${w}`, 1, { w: N });
      expect(answer.body).toMatchObject({ epoch: status.epoch });
    }
    await expectConverged(clients.now(), { timeoutMs: 60_000 });
  }, 240_000);

  test('a follower with a divergent suffix discards it and converges to the new leader', async () => {
    // A leader whose sends to followers 2..5 wait a minute: a W=1 write reaches follower 1 only.
    const slow = Array.from({ length: N - 1 }, (_, i) => `${i + 2}=constant:60000`).join(';');
    await cluster.restartLeader({ DELAY: `constant:0;${slow}` });
    clients.close();
    clients = new FollowingClients(cluster);
    const [lonely] = await writeKeys(clients.now().leader, 'lonely-', 1, 1);
    expect((await clients.now().followers[0]?.debugStore())?.store).toHaveProperty(lonely as string);
    // The leader dies with its delayed sends; follower 1 is paused (docker pause) while the next one recovers.
    await cluster.leader.kill();
    await cluster.pauseFollower(0);
    await cluster.restartLeader(); // recovers from 2..5: W + R <= N, the write may be (and is) lost
    clients.close();
    clients = new FollowingClients(cluster);
    const status = await clients.now().leader.getJson<LeaderStatus>('/status');
    expect(status.recovery?.answered).not.toContain(1);
    expect(await missing(clients.now().leader, [lonely as string])).toEqual([lonely]);
    await writeKeys(clients.now().leader, 'later-', 3, N - 1);
    await cluster.resumeFollower(0);
    await expectConverged(clients.now(), { timeoutMs: 60_000 });
    const follower = clients.now().followers[0];
    expect((await follower?.getJson<FollowerView>('/status'))?.discardedCount).toBeGreaterThan(0);
    expect((await follower?.debugStore())?.store).not.toHaveProperty(lonely as string);
  }, 180_000);

  test('an old leader paused while a new one recovers is fenced when resumed; nothing it sends sticks', async () => {
    const old = cluster.leader;
    const oldEpoch = (await clients.now().leader.getJson<LeaderStatus>('/status')).epoch;
    await old.pause(); // docker pause: its sockets still accept, it reads what waits there on unpause
    const next = await cluster.startExtraLeader();
    const nextClient = new KvClient(next.url);
    try {
      const nextStatus = await nextClient.getJson<LeaderStatus>('/status');
      expect(nextStatus).toMatchObject({ state: 'serving' });
      expect(nextStatus.epoch).toBeGreaterThan(oldEpoch);
      expect((await nextClient.put('from-new', 1, { w: N })).httpStatus).toBe(200);
      const stale = clients.now().leader.put('from-old', 1, { w: 1 });
      await old.resume();
      const answer = await stale;
      expect(answer.httpStatus).toBe(503);
      expect(['fenced', 'superseded']).toContain(answer.body['error']);
      const refused = await clients.now().leader.put('after-fence', 1, { w: 1 });
      expect(refused).toMatchObject({ httpStatus: 503, body: { error: 'fenced', epoch: nextStatus.epoch } });
      // Nothing the old leader sent stuck anywhere; the new leader's write is everywhere.
      const dumps = await Promise.all(clients.now().followers.map((f) => f.debugStore()));
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
    const acked = await writeKeys(clients.now().leader, 'b', 10, W_INSIDE);
    await cluster.leader.kill();
    await cluster.disconnectFollower(0);
    await cluster.restartLeader();
    const status = await waitUntil(
      'the restarted leader to serve',
      async () => {
        const fresh = new FollowingClients(cluster);
        try {
          const s = await fresh.now().leader.getJson<LeaderStatus>('/status');
          return s.state === 'serving' ? s : undefined;
        } finally {
          fresh.close();
        }
      },
      { timeoutMs: 60_000, pollMs: 200 },
    );
    expect(status.recovery?.answered).not.toContain(1);
    clients.close();
    await cluster.reconnectFollower(0);
    clients = new FollowingClients(cluster);
    expect(await missing(clients.now().leader, acked)).toEqual([]);
    // Not W = N: the reconnected follower may still be in its retry backoff, and the leader fails such a write fast.
    await writeKeys(clients.now().leader, 'c', 3, W_INSIDE);
    await expectConverged(clients.now(), { timeoutMs: 60_000 });
  }, 180_000);
});
