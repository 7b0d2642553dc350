/** Wires a follower from its configuration. */
import { SnapshotStaging } from '@quorum-kv/replication-protocol';
import { clusterIdFromToken, createRegistry, type Logger } from '@quorum-kv/http-edge';
import type { FollowerConfig } from './config';
import { buildFollowerApp } from './app';
import { FollowerNode } from './follower-node';
import { followerMetrics } from './follower-metrics';

export function createFollower(config: Readonly<FollowerConfig>, logger: Logger) {
  const registry = createRegistry('follower');
  const node = new FollowerNode(
    config.FOLLOWER_ID,
    config.MAX_BUFFERED_ENTRIES,
    config.CLUSTER_ID ?? clusterIdFromToken(config.CLUSTER_TOKEN),
    config.MAX_BUFFERED_BYTES,
    new SnapshotStaging({ maxStagedBytes: config.MAX_SNAPSHOT_BYTES, idleTimeoutMs: config.SNAPSHOT_IDLE_TIMEOUT_MS }),
  );
  followerMetrics(registry, node);
  return { app: buildFollowerApp({ config, node, registry, logger }), node, registry };
}
