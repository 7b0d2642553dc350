/**
 * The environment of a cluster's nodes, built here for every runtime: what a leader and a
 * follower need to form this cluster. The runtime adds only where the node listens (and its
 * log level).
 */
import { join } from 'node:path';
import type { ClusterSettings } from './cluster';

/** A node's DATA_DIR (and FSYNC) under the cluster's data dir: `leader`, `follower1`, ...; nothing in memory. */
export function dataDirEnv(settings: ClusterSettings, nodeName: string): Record<string, string> {
  if (settings.dataDir === undefined) return {};
  return { DATA_DIR: join(settings.dataDir, nodeName), ...(settings.fsync && { FSYNC: settings.fsync }) };
}

/**
 * The leader's id: its own per cluster unless `leaderEnv` names one. Ports are reused quickly on
 * a busy machine, so a leader of another cluster could reach one of these followers at an old
 * address; followers accept entries only from this id, which keeps clusters apart.
 */
export function leaderIdOf(settings: ClusterSettings, clusterId: string): string {
  return settings.leaderEnv?.['LEADER_ID'] ?? `leader-${clusterId}`;
}

export function leaderEnv(settings: ClusterSettings, leaderId: string, followerUrls: string[]): Record<string, string> {
  return {
    FOLLOWERS: followerUrls.join(','),
    WRITE_QUORUM: String(settings.defaultW),
    DELAY: settings.delay,
    REPLICATION_TIMEOUT_MS: String(settings.replicationTimeoutMs),
    ACK_MODE: settings.ackMode,
    CLUSTER_TOKEN: settings.clusterToken,
    SEED: String(settings.seed),
    ENABLE_DEBUG: 'true',
    ...settings.leaderEnv,
    LEADER_ID: leaderId,
  };
}

/** Follower `i` (0-based) is `follower{i+1}`, as in the delay plan. */
export function followerEnv(settings: ClusterSettings, leaderId: string, i: number): Record<string, string> {
  return {
    FOLLOWER_ID: `follower${i + 1}`,
    ACCEPT_LEADER_ID: leaderId,
    CLUSTER_TOKEN: settings.clusterToken,
    ENABLE_DEBUG: 'true',
  };
}
