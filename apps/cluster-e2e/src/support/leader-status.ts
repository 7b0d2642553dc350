/** The leader's `GET /status` (cf. `pg_stat_replication`), typed, and waiting on it. */
import type { KvClient } from '@quorum-kv/bench';
import type { FollowerStatus as FollowerStatusRow, LeaderStatus } from '@quorum-kv/replication-protocol';
import { waitUntil } from './wait-until';

/** The wire shapes of `/status`, from the protocol library. */
export type { FollowerStatus as FollowerStatusRow, LeaderStatus } from '@quorum-kv/replication-protocol';

export function leaderStatus(leader: KvClient): Promise<LeaderStatus> {
  return leader.getJson<LeaderStatus>('/status');
}

/**
 * Polls `/status` until follower `followerIndex` (0-based) satisfies `accept`, and returns that
 * status; on timeout the error shows the follower's last row.
 */
export async function waitForFollowerStatus(
  leader: KvClient,
  followerIndex: number,
  what: string,
  accept: (row: FollowerStatusRow, status: LeaderStatus) => boolean,
  timeoutMs = 10_000,
): Promise<LeaderStatus> {
  let last: FollowerStatusRow | undefined;
  try {
    return await waitUntil(
      what,
      async () => {
        const status = await leaderStatus(leader);
        last = status.followers[followerIndex];
        return last && accept(last, status) ? status : undefined;
      },
      { timeoutMs },
    );
  } catch (err) {
    throw new Error(
      `${(err as Error).message}; follower ${followerIndex + 1} last reported as ${JSON.stringify(last)}`,
    );
  }
}

/** Waits until the leader reports follower `followerIndex` (0-based) unreachable with entries it lacks. */
export function waitForUnreachable(leader: KvClient, followerIndex: number): Promise<LeaderStatus> {
  return waitForFollowerStatus(
    leader,
    followerIndex,
    `follower ${followerIndex + 1} unreachable`,
    (row) => row.state === 'unreachable' && row.lagEntries > 0,
  );
}

/** Waits until every follower is `streaming` with no lag and has acked the leader's last LSN. */
export function waitForAllStreaming(leader: KvClient, timeoutMs = 10_000): Promise<LeaderStatus> {
  return waitUntil(
    'every follower streaming with lagEntries 0',
    async () => {
      const status = await leaderStatus(leader);
      const caughtUp = status.followers.every(
        (f) => f.state === 'streaming' && f.lagEntries === 0 && f.ackedLsn === status.lsn,
      );
      return caughtUp ? status : undefined;
    },
    { timeoutMs },
  );
}
