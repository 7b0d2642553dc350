/** `GET /health` and `GET /metrics`. */
import { Router } from 'express';
import type { Registry } from 'prom-client';
import { methodNotAllowed, metricsRoute } from '@quorum-kv/http-edge';
import type { ReplicationCoordinator } from '../replication/replication-coordinator';

export function healthRoutes(coordinator: ReplicationCoordinator, registry: Registry, defaultW: number): Router {
  const router = Router();
  router.get('/health', (_req, res) => {
    res.json({
      ok: true,
      role: 'leader',
      lsn: coordinator.log.lastLsn,
      followers: coordinator.followerCount,
      writeQuorum: defaultW,
      // The reference study's clients read the default W from here, under this name.
      write_quorum: defaultW,
    });
  });
  router.get('/metrics', metricsRoute(registry));
  router.all(['/health', '/metrics'], methodNotAllowed(['GET']));
  return router;
}
