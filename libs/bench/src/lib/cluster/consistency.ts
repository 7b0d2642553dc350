/**
 * Consistency of the followers with the leader, from their `/debug/store` dumps: which keys
 * differ (missing, extra or with another value) and how many entries each follower is behind.
 * `waitForDrain` polls until every follower equals the leader or a deadline passes.
 */
import { isDeepStrictEqual } from 'node:util';
import type { KvClient, StoreDump } from './kv-client';

export interface FollowerComparison {
  /** Follower number, 1-based. */
  follower: number;
  differingKeys: number;
  lsnBehind: number;
  /** Up to 10 keys that differ, for reports and failing tests. */
  sampleKeys: string[];
}

export function compareStores(leader: StoreDump, follower: StoreDump): Omit<FollowerComparison, 'follower'> {
  const keys = new Set([...Object.keys(leader.store), ...Object.keys(follower.store)]);
  const differing: string[] = [];
  for (const key of keys) {
    const inLeader = Object.hasOwn(leader.store, key);
    const inFollower = Object.hasOwn(follower.store, key);
    if (inLeader !== inFollower || !isDeepStrictEqual(leader.store[key], follower.store[key])) differing.push(key);
  }
  return {
    differingKeys: differing.length,
    lsnBehind: Math.max(0, leader.lsn - follower.lsn),
    sampleKeys: differing.slice(0, 10),
  };
}

/** Dumps the leader and every follower at (as nearly as HTTP allows) the same moment, and compares. */
export async function checkConsistency(
  leader: KvClient,
  followers: KvClient[],
  followerNumbers = followers.map((_, i) => i + 1),
): Promise<FollowerComparison[]> {
  const [leaderDump, ...followerDumps] = await Promise.all([
    leader.debugStore(),
    ...followers.map((f) => f.debugStore()),
  ]);
  return followerDumps.map((dump, i) => ({
    follower: followerNumbers[i] ?? i + 1,
    ...compareStores(leaderDump as StoreDump, dump),
  }));
}

export function isConverged(comparisons: FollowerComparison[]): boolean {
  return comparisons.every((c) => c.differingKeys === 0 && c.lsnBehind === 0);
}

/**
 * Polls until every follower equals the leader (returns the last comparison either way, and
 * whether it converged). A follower that cannot be read counts as not converged.
 */
export async function waitForDrain(
  leader: KvClient,
  followers: KvClient[],
  timeoutMs: number,
  pollMs = 50,
  followerNumbers?: number[],
): Promise<{ converged: boolean; comparisons: FollowerComparison[]; waitedMs: number }> {
  const started = Date.now();
  let comparisons: FollowerComparison[] = [];
  for (;;) {
    try {
      comparisons = await checkConsistency(leader, followers, followerNumbers);
      if (isConverged(comparisons)) return { converged: true, comparisons, waitedMs: Date.now() - started };
    } catch {
      // a follower that is down or restarting: keep polling until the deadline
    }
    if (Date.now() - started >= timeoutMs) return { converged: false, comparisons, waitedMs: Date.now() - started };
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
