/**
 * The sweep's config that `acquireCluster` takes, for a soak's cluster. acquireCluster and
 * clusterSettings read the runtime, the leader URL, the followers, the delay, the timeout, the
 * ack mode and the seed, which mean the same in a soak; the rest describes a sweep's workload,
 * and is set to "nothing of that" (no follower down, closed loop, no writes). Pure.
 */
import type { SweepConfig } from '../sweep/records';
import type { SoakConfig } from './soak-records';

export function soakClusterConfig(config: SoakConfig): SweepConfig {
  return {
    runtime: config.runtime,
    ...(config.leaderUrl !== undefined && { leaderUrl: config.leaderUrl }),
    followers: config.followers,
    quorums: [config.w],
    writes: 0,
    concurrency: 1,
    keys: config.keys,
    scenario: 'soak',
    delay: config.delay,
    downFollowers: [],
    replicationTimeoutMs: config.replicationTimeoutMs,
    ackMode: config.ackMode,
    ackModes: [config.ackMode],
    repeat: 1,
    rate: null,
    seed: config.seed,
    warmupWrites: config.warmupWrites,
    warmupConcurrency: 1,
    out: config.out,
  };
}
