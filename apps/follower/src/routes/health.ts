/** `GET /health`, `GET /status` and `GET /metrics`. */
import type { Router } from 'express';
import type { Registry } from 'prom-client';
import { methodNotAllowed, metricsRoute, strictRouter } from '@quorum-kv/http-edge';
import { storageStatus, type DiskLogConfig } from '@quorum-kv/disk-log';
import type { FollowerNode } from '../follower-node';

export function healthRoutes(node: FollowerNode, registry: Registry, config: DiskLogConfig): Router {
  const storage = storageStatus(config);
  const router = strictRouter();
  router.get('/health', (_req, res) => {
    res.json({
      ok: true,
      status: 'ok',
      role: 'follower',
      id: node.instanceId,
      epoch: node.promisedEpoch,
      appliedLsn: node.applier.appliedLsn,
      bufferedCount: node.applier.bufferedCount,
      discardedCount: node.discardedCount,
    });
  });
  // The follower's own view of replication: its promise and log position.
  router.get('/status', (_req, res) => {
    res.json({
      role: 'follower',
      id: node.instanceId,
      clusterId: node.clusterId,
      epoch: node.promisedEpoch,
      appliedLsn: node.applier.appliedLsn,
      appliedEpoch: node.applier.appliedEpoch,
      bufferedCount: node.applier.bufferedCount,
      discardedCount: node.discardedCount,
      receivedEntries: node.receivedEntries,
      snapshotsInstalled: node.snapshotsInstalled,
      /** The snapshot being staged chunk by chunk, or null; and how many were dropped unfinished. */
      snapshotStaging: node.staging.status,
      snapshotsAborted: node.staging.abortedCount,
      mismatches: node.mismatches,
      // With DATA_DIR: where, and the FSYNC mode; without, `flushedAckMeans: 'received'`.
      ...storage,
    });
  });
  router.get('/metrics', metricsRoute(registry));
  router.all(['/health', '/status', '/metrics'], methodNotAllowed(['GET']));
  return router;
}
