/**
 * The cluster of a durability sweep, by runtime, with a partition point between the leader and
 * each follower: the process runtime with a cuttable proxy before each follower, or the docker
 * runtime, which disconnects a follower from the cluster's network.
 */
import { DEFAULT_CLUSTER_TOKEN, type PartitionableCluster } from '../runtimes/cluster';
import { ensureBuilt } from '../runtimes/build';
import { startProcessCluster } from '../runtimes/process-cluster';
import type { DurabilityConfig } from './durability-records';
import { ClusterTarget } from './cluster-target';

export interface AcquiredTarget {
  target: ClusterTarget;
  /** Stop it when done (the target's client closes with `target.close()`). */
  cluster: PartitionableCluster;
}

export async function acquireDurabilityTarget(
  config: DurabilityConfig,
  log: (line: string) => void,
): Promise<AcquiredTarget> {
  const settings = {
    followers: config.followers,
    delay: config.delay,
    replicationTimeoutMs: config.replicationTimeoutMs,
    ackMode: config.ackMode,
    seed: config.seed,
    defaultW: 1,
    clusterToken: DEFAULT_CLUSTER_TOKEN,
    partitions: true,
  };
  let cluster: PartitionableCluster;
  if (config.runtime === 'process') {
    ensureBuilt(log);
    log(
      `starting a leader and ${config.followers} followers as processes on 127.0.0.1, a cuttable proxy before each follower`,
    );
    cluster = await startProcessCluster(settings);
  } else {
    log(
      `starting a leader and ${config.followers} followers as containers (testcontainers); a cut disconnects a follower from the network`,
    );
    const { startDockerCluster } = await import('../runtimes/docker-cluster');
    cluster = await startDockerCluster(settings);
  }
  return { target: new ClusterTarget(cluster, config.ackMode), cluster };
}
