/**
 * The cluster of a durability sweep, by runtime, with a partition point between the leader and
 * each follower: the process runtime with a cuttable proxy before each follower, or the docker
 * runtime, which disconnects a follower from the cluster's network. The settings come from the
 * run's cluster config as every runtime's do (`clusterSettings`), plus `partitions`.
 */
import {
  clusterSettings,
  DEFAULT_CLUSTER_TOKEN,
  type ClusterConfig,
  type PartitionableCluster,
} from '../cluster/cluster';
import { ensureBuilt } from '../cluster/build';
import type { DurabilityConfig } from './durability-records';
import { ClusterTarget } from './cluster-target';

export interface AcquiredTarget {
  target: ClusterTarget;
  /** Stop it when done (the target's client closes with `target.close()`). */
  cluster: PartitionableCluster;
}

/** The cluster part of a durability sweep's config. */
export function durabilityClusterConfig(config: DurabilityConfig): ClusterConfig {
  return {
    runtime: config.runtime,
    followers: config.followers,
    delay: config.delay,
    replicationTimeoutMs: config.replicationTimeoutMs,
    ackMode: config.ackMode,
    seed: config.seed,
    ...(config.dataDir !== undefined && { dataDir: config.dataDir }),
    ...(config.fsync !== undefined && { fsync: config.fsync }),
  };
}

export async function acquireDurabilityTarget(
  config: DurabilityConfig,
  log: (line: string) => void,
): Promise<AcquiredTarget> {
  const settings = { ...clusterSettings(durabilityClusterConfig(config), DEFAULT_CLUSTER_TOKEN), partitions: true };
  let cluster: PartitionableCluster;
  if (config.runtime === 'process') {
    ensureBuilt(log);
    log(
      `starting a leader and ${config.followers} followers as processes on 127.0.0.1, a cuttable proxy before each follower`,
    );
    const { startProcessCluster } = await import('../cluster/process-cluster');
    cluster = await startProcessCluster(settings);
  } else {
    log(
      `starting a leader and ${config.followers} followers as containers (testcontainers); a cut disconnects a follower from the network`,
    );
    const { startDockerCluster } = await import('../cluster/docker-cluster');
    cluster = await startDockerCluster(settings);
  }
  return { target: new ClusterTarget(cluster, config.ackMode), cluster };
}
