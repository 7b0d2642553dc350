/**
 * DATA_DIR on named volumes (the docker runtime with `dataDir`): every node keeps its log on a
 * volume of its own, and a node's next container mounts the same one.
 * - A follower container SIGKILLed and removed, then created again while the leader is paused
 *   (so nothing can catch it up), starts with the store it had.
 * - A leader container SIGKILLed and created again on its volume serves every acknowledged write
 *   under a higher epoch.
 * - The cluster's volumes go with it.
 */
import { execFileSync } from 'node:child_process';
import { startDockerCluster, type DockerCluster } from '@quorum-kv/bench/docker';
import type { LeaderStatus } from '@quorum-kv/replication-protocol';
import { expectConverged, plainDump, waitForAllStreaming } from '../support';
import {
  CLUSTER_START_TIMEOUT_MS,
  FOLLOWER_COUNT,
  FollowingClients,
  containerSettings,
  describeSettings,
} from './docker-test-cluster';

const settings = containerSettings({ seed: 7020, dataDir: 'volumes', fsync: 'always' });
const N = FOLLOWER_COUNT;
const RESTARTED = 1; // follower 2

const volumesOf = (cluster: DockerCluster) =>
  execFileSync('docker', ['volume', 'ls', '-q', '--filter', `name=${cluster.networkName}-`], { encoding: 'utf8' })
    .split(/\s+/)
    .filter((name) => name !== '');

describe(`DATA_DIR on named volumes (${describeSettings(settings)}, FSYNC=always)`, () => {
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

  const writeAll = async (prefix: string, count: number) => {
    for (let i = 0; i < count; i++) {
      const answer = await clients.now().leader.put(`${prefix}${i}`, { prefix, i }, { w: N });
      expect(answer.httpStatus).toBe(200);
    }
  };

  test('every node has a volume of its own', () => {
    expect(volumesOf(cluster).sort()).toEqual(
      ['leader', ...Array.from({ length: N }, (_, i) => `follower${i + 1}`)]
        .map((alias) => `${cluster.networkName}-${alias}-data`)
        .sort(),
    );
  });

  test('a follower container removed and created again, with the leader paused, starts with its store', async () => {
    await writeAll('before-', 12);
    const follower = () => {
      const client = clients.now().followers[RESTARTED];
      if (!client) throw new Error(`no follower ${RESTARTED + 1}`);
      return client;
    };
    const before = plainDump(await follower().debugStore());
    expect(Object.keys(before.store)).toHaveLength(12);
    await cluster.leader.pause(); // no catch-up can reach it while it starts
    try {
      await cluster.killFollower(RESTARTED);
      await cluster.restartFollower(RESTARTED);
      expect(plainDump(await follower().debugStore())).toEqual(before);
    } finally {
      await cluster.leader.resume();
    }
    await waitForAllStreaming(clients.now().leader, 60_000);
    await writeAll('after-', 3);
    await expectConverged(clients.now(), { timeoutMs: 60_000 });
  }, 180_000);

  test('a leader container killed and created again on its volume serves every write under a higher epoch', async () => {
    const { epoch } = await clients.now().leader.getJson<LeaderStatus>('/status');
    const before = plainDump(await clients.now().leader.debugStore());
    await cluster.leader.kill();
    await cluster.restartLeader();
    clients.close();
    clients = new FollowingClients(cluster);
    const status = await clients.now().leader.getJson<LeaderStatus>('/status');
    expect(status.state).toBe('serving');
    expect(status.epoch).toBeGreaterThan(epoch);
    expect(plainDump(await clients.now().leader.debugStore()).store).toEqual(before.store);
    expect((await clients.now().leader.put('after-restart', 1, { w: N })).httpStatus).toBe(200);
  }, 180_000);

  test("the cluster's volumes go with it", async () => {
    const names = volumesOf(cluster);
    expect(names).toHaveLength(N + 1);
    await cluster.stop();
    expect(volumesOf(cluster)).toEqual([]);
  }, 60_000);
});
