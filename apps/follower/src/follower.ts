/** Wires a follower from its configuration (and its node, when main.ts replayed one from DATA_DIR). */
import { SnapshotStaging } from '@quorum-kv/replication-protocol';
import { clusterIdFromToken, createRegistry, type Logger } from '@quorum-kv/http-edge';
import type { FollowerConfig } from './config';
import { buildFollowerApp } from './app';
import { FollowerNode } from './follower-node';
import { followerMetrics } from './follower-metrics';

/** Where a snapshot's chunks wait until the last one, bounded by the follower's settings. */
export function snapshotStaging(config: Readonly<FollowerConfig>): SnapshotStaging {
  return new SnapshotStaging({
    maxStagedBytes: config.MAX_SNAPSHOT_BYTES,
    idleTimeoutMs: config.SNAPSHOT_IDLE_TIMEOUT_MS,
  });
}

export function createFollower(
  config: Readonly<FollowerConfig>,
  logger: Logger,
  node = new FollowerNode(
    config.FOLLOWER_ID,
    config.MAX_BUFFERED_ENTRIES,
    config.CLUSTER_ID ?? clusterIdFromToken(config.CLUSTER_TOKEN),
    config.MAX_BUFFERED_BYTES,
    undefined,
    snapshotStaging(config),
  ),
) {
  const registry = createRegistry('follower');
  followerMetrics(registry, node);
  return { app: buildFollowerApp({ config, node, registry, logger }), node, registry };
}
