/**
 * Issue #10 on six containers: the leader container is removed with SIGKILL and a new one starts
 * under the same alias with the same environment. It recovers from R = 3 of 5 followers, so
 * every write acknowledged with W = 3 (W + R > N) is still there under a higher epoch; and it
 * recovers with a follower cut off the network (`docker network disconnect`), which then
 * converges once it is connected again.
 */
import type { KvClient } from '@quorum-kv/bench';
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
const R = Math.floor(FOLLOWER_COUNT / 2) + 1;
const W = 3;

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

describe(`leader loss on containers (${describeSettings(settings)}, W=${W}, R=${R})`, () => {
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

  test('a killed and restarted leader serves every write acknowledged with W + R > N, under a higher epoch', async () => {
    const before = await clients.now().leader.getJson<LeaderStatus>('/status');
    const acked = await writeKeys(clients.now().leader, 'a', 10, W);
    await restartLeader();
    const after = await clients.now().leader.getJson<LeaderStatus>('/status');
    expect(after).toMatchObject({ state: 'serving', recoveryQuorum: R });
    expect(after.epoch).toBeGreaterThan(before.epoch);
    expect(await missing(clients.now().leader, acked)).toEqual([]);
    const answer = await clients.now().leader.put('after-a', 1, { w: FOLLOWER_COUNT });
    expect(answer.body).toMatchObject({ epoch: after.epoch });
    await expectConverged(clients.now(), { timeoutMs: 60_000 });
  }, 180_000);

  test('recovery with a follower cut off the network; it converges once connected again', async () => {
    const acked = await writeKeys(clients.now().leader, 'b', 10, W);
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
    await writeKeys(clients.now().leader, 'c', 3, FOLLOWER_COUNT);
    await expectConverged(clients.now(), { timeoutMs: 60_000 });
  }, 180_000);
});
