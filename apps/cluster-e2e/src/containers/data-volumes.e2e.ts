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
import type { DockerCluster } from '@quorum-kv/bench/docker';
import type { LeaderStatus } from '@quorum-kv/replication-protocol';
import { expectConverged, plainDump, waitForAllStreaming } from '../support';
import { FOLLOWER_COUNT, containerSettings, describeSettings, dockerClusterPerFile } from './docker-test-cluster';

const settings = containerSettings({ seed: 7020, dataDir: 'volumes', fsync: 'always' });
const N = FOLLOWER_COUNT;
const RESTARTED = 1; // follower 2

const volumesOf = (cluster: DockerCluster) =>
  execFileSync('docker', ['volume', 'ls', '-q', '--filter', `name=${cluster.networkName}-`], { encoding: 'utf8' })
    .split(/\s+/)
    .filter((name) => name !== '');

describe(`DATA_DIR on named volumes (${describeSettings(settings)}, FSYNC=always)`, () => {
  const ctx = dockerClusterPerFile(settings);

  const writeAll = async (prefix: string, count: number) => {
    for (let i = 0; i < count; i++) {
      const answer = await ctx.clients.leader.put(`${prefix}${i}`, { prefix, i }, { w: N });
      expect(answer.httpStatus).toBe(200);
    }
  };

  test('every node has a volume of its own', () => {
    expect(volumesOf(ctx.cluster).sort()).toEqual(
      ['leader', ...Array.from({ length: N }, (_, i) => `follower${i + 1}`)]
        .map((alias) => `${ctx.cluster.networkName}-${alias}-data`)
        .sort(),
    );
  });

  test('a follower container removed and created again, with the leader paused, starts with its store', async () => {
    await writeAll('before-', 12);
    const follower = () => {
      const client = ctx.clients.followers[RESTARTED];
      if (!client) throw new Error(`no follower ${RESTARTED + 1}`);
      return client;
    };
    const before = plainDump(await follower().debugStore());
    expect(Object.keys(before.store)).toHaveLength(12);
    await ctx.cluster.leader.pause(); // no catch-up can reach it while it starts
    try {
      await ctx.cluster.killFollower(RESTARTED);
      await ctx.cluster.restartFollower(RESTARTED);
      expect(plainDump(await follower().debugStore())).toEqual(before);
    } finally {
      await ctx.cluster.leader.resume();
    }
    await waitForAllStreaming(ctx.clients.leader, 60_000);
    await writeAll('after-', 3);
    await expectConverged(ctx.clients, { timeoutMs: 60_000 });
  }, 180_000);

  test('a leader container killed and created again on its volume serves every write under a higher epoch', async () => {
    const { epoch } = await ctx.clients.leader.getJson<LeaderStatus>('/status');
    const before = plainDump(await ctx.clients.leader.debugStore());
    await ctx.cluster.leader.kill();
    await ctx.cluster.restartLeader();
    ctx.renewClients();
    const status = await ctx.clients.leader.getJson<LeaderStatus>('/status');
    expect(status.state).toBe('serving');
    expect(status.epoch).toBeGreaterThan(epoch);
    expect(plainDump(await ctx.clients.leader.debugStore()).store).toEqual(before.store);
    expect((await ctx.clients.leader.put('after-restart', 1, { w: N })).httpStatus).toBe(200);
  }, 180_000);

  test("the cluster's volumes go with it", async () => {
    const names = volumesOf(ctx.cluster);
    expect(names).toHaveLength(N + 1);
    await ctx.cluster.stop();
    expect(volumesOf(ctx.cluster)).toEqual([]);
  }, 60_000);
});
