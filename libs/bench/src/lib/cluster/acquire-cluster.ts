/** Gets the cluster a sweep runs against, by runtime: started here, or already running. */
import type { SweepConfig } from '../sweep/records';
import { KvClient } from './kv-client';
import { DEFAULT_CLUSTER_TOKEN, type Cluster, type ClusterSettings } from './cluster';
import { ensureBuilt } from './build';
import { startProcessCluster } from './process-cluster';

export interface AcquireOptions {
  config: SweepConfig;
  clusterToken?: string;
  /** For `external`: follower URLs reachable from here (else the leader's /status URLs). */
  followerUrls?: string[];
  log: (line: string) => void;
}

export function clusterSettings(config: SweepConfig, clusterToken = DEFAULT_CLUSTER_TOKEN): ClusterSettings {
  return {
    followers: config.followers,
    delay: config.delay,
    replicationTimeoutMs: config.replicationTimeoutMs,
    ackMode: config.ackMode,
    seed: config.seed,
    defaultW: 1,
    clusterToken,
  };
}

export async function acquireCluster({ config, clusterToken, followerUrls, log }: AcquireOptions): Promise<Cluster> {
  switch (config.runtime) {
    case 'process':
      ensureBuilt(log);
      log(`starting a leader and ${config.followers} followers as processes on 127.0.0.1`);
      return startProcessCluster(clusterSettings(config, clusterToken));
    case 'docker': {
      log(`starting a leader and ${config.followers} followers as containers (testcontainers)`);
      const { startDockerCluster } = await import('./docker-cluster');
      return startDockerCluster(clusterSettings(config, clusterToken));
    }
    case 'external':
      return externalCluster(config.leaderUrl as string, followerUrls, clusterToken ?? DEFAULT_CLUSTER_TOKEN);
  }
}

/** A running cluster: the leader's URL, and the followers' from the flag or the leader's /status. */
async function externalCluster(
  leaderUrl: string,
  followerUrls: string[] | undefined,
  clusterToken: string,
): Promise<Cluster> {
  const leader = new KvClient(leaderUrl);
  try {
    const status = await leader.getJson<{ followers: Array<{ url: string }> }>('/status');
    const urls = followerUrls ?? status.followers.map((f) => f.url);
    if (urls.length !== status.followers.length) {
      throw new Error(
        `the leader has ${status.followers.length} followers but ${urls.length} follower URLs were given`,
      );
    }
    return { leaderUrl, followerUrls: urls, clusterToken, stop: async () => undefined };
  } finally {
    leader.close();
  }
}
