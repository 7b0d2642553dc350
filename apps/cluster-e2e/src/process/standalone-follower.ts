/**
 * One follower process with no leader, started the way the process runtime starts its followers
 * (same build, same environment), but with an `ACCEPT_LEADER_ID` the test chooses. The runtime
 * gives each cluster a random leader id and does not expose it, so a test cannot send a
 * replication request that a cluster follower would accept; this follower it can. Nothing else
 * writes to it, so the test's model of its state is exact.
 */
import { startNode, stopNode } from '@quorum-kv/bench';
import { STANDALONE_CLUSTER_ID } from './hostile-replication-requests';

export interface StandaloneFollowerOptions {
  acceptLeaderId: string;
  clusterToken: string;
  followerId: string;
}

export interface StandaloneFollower {
  readonly url: string;
  readonly acceptLeaderId: string;
  /** True while the process runs (a crash shows here even before a request fails). */
  isRunning(): boolean;
  stop(): Promise<void>;
}

export async function startStandaloneFollower(options: StandaloneFollowerOptions): Promise<StandaloneFollower> {
  const { child, port } = await startNode('follower', {
    FOLLOWER_ID: options.followerId,
    CLUSTER_TOKEN: options.clusterToken,
    ACCEPT_LEADER_ID: options.acceptLeaderId,
    CLUSTER_ID: STANDALONE_CLUSTER_ID,
    ENABLE_DEBUG: 'true',
  });
  return {
    url: `http://127.0.0.1:${port}`,
    acceptLeaderId: options.acceptLeaderId,
    isRunning: () => child.exitCode === null && child.signalCode === null,
    stop: () => stopNode(child),
  };
}
