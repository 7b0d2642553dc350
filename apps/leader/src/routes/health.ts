/** `GET /health` and `GET /metrics`. */
import type { Router } from 'express';
import type { Registry } from 'prom-client';
import { methodNotAllowed, metricsRoute, strictRouter } from '@quorum-kv/http-edge';
import type { ReplicationCoordinator } from '../replication/replication-coordinator';

export function healthRoutes(coordinator: ReplicationCoordinator, registry: Registry): Router {
  const router = strictRouter();
  router.get('/health', (_req, res) => {
    res.json({ ok: true, role: 'leader', lsn: coordinator.log.lastLsn, followers: coordinator.followerCount });
  });
  router.get('/metrics', metricsRoute(registry));
  router.all(['/health', '/metrics'], methodNotAllowed(['GET']));
  return router;
}
