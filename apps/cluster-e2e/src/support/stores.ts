/**
 * The consistency checks every cluster test ends with: the leader's and every follower's
 * `/debug/store` (map and applied LSN) compared after draining.
 */
import { waitForDrain, type KvClient, type StoreDump } from '@quorum-kv/bench';
import type { ClusterClients } from './cluster-clients';
import { waitForAllStreaming, type LeaderStatus } from './leader-status';

/** What a node's `/debug/store` says, without its role and instance id. */
export function plainDump(dump: StoreDump): StoreDump {
  return { lsn: dump.lsn, store: dump.store };
}

export interface ClusterDumps {
  leader: StoreDump;
  /** Index i is follower i + 1. */
  followers: StoreDump[];
}

/** Dumps every node at (as nearly as HTTP allows) the same moment. */
export async function dumpAll(clients: ClusterClients): Promise<ClusterDumps> {
  const [leader, ...followers] = await Promise.all(clients.all.map(async (c) => plainDump(await c.debugStore())));
  return { leader: leader as StoreDump, followers };
}

/**
 * Waits until the given followers (all by default) equal the leader, then asserts it on fresh
 * dumps: same map, same LSN. Returns the leader's dump.
 */
export async function expectConverged(
  clients: ClusterClients,
  options: { timeoutMs?: number; followerIndexes?: number[] } = {},
): Promise<StoreDump> {
  const indexes = options.followerIndexes ?? clients.followers.map((_, i) => i);
  const followers = indexes.map((i) => clients.followers[i] as KvClient);
  const drain = await waitForDrain(clients.leader, followers, options.timeoutMs ?? 15_000);
  const [leader, ...dumps] = await Promise.all(
    [clients.leader, ...followers].map(async (c) => plainDump(await c.debugStore())),
  );
  const named = (list: StoreDump[]) =>
    Object.fromEntries(list.map((dump, k) => [`follower${(indexes[k] as number) + 1}`, dump]));
  // Compared as one object so a failure shows every follower that differs, not just the first.
  expect({ drained: drain.converged, ...named(dumps) }).toEqual({
    drained: true,
    ...named(dumps.map(() => leader as StoreDump)),
  });
  return leader as StoreDump;
}

/** Asserts that every node given answers `GET /kv/<key>` with `value` written at `lsn`. */
export async function expectReads(nodes: KvClient[], key: string, value: unknown, lsn: number): Promise<void> {
  const reads = await Promise.all(nodes.map((node) => node.getJson(`/kv/${key}`)));
  expect(reads).toEqual(nodes.map(() => ({ key, value, lsn })));
}

/**
 * After a fault has healed: every store equals the leader's (within 20 s), the write made during
 * the fault is on the leader and reads back from `readers` (every follower by default) at its
 * LSN, and every follower streams again. Resolves with the leader's `/status` then.
 */
export async function expectCaughtUp(
  clients: ClusterClients,
  write: { key: string; value: unknown; lsn: number },
  readers: KvClient[] = clients.followers,
): Promise<LeaderStatus> {
  const leader = await expectConverged(clients, { timeoutMs: 20_000 });
  expect(leader.store[write.key]).toEqual(write.value);
  await expectReads(readers, write.key, write.value, write.lsn);
  return waitForAllStreaming(clients.leader);
}
