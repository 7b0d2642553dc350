/** `GET /health` (readiness, and liveness with `?probe=live`) and `GET /metrics`. */
import type { Router } from 'express';
import type { Registry } from 'prom-client';
import { methodNotAllowed, metricsRoute, strictRouter } from '@quorum-kv/http-edge';
import type { ReplicationCoordinator } from '../replication/replication-coordinator';

const HEALTH_STATUS = { recovering: 'recovering', serving: 'ok', fenced: 'fenced' } as const;

/**
 * Readiness (the default): 200 only while the leader serves; 503 while it recovers or once it
 * is fenced, so a load balancer sends it nothing. Liveness (`?probe=live`): 200 whenever the
 * process answers, so an orchestrator does not restart a leader that is merely recovering.
 */
export function healthRoutes(coordinator: ReplicationCoordinator, registry: Registry, defaultW: number): Router {
  const router = strictRouter();
  router.get('/health', (req, res) => {
    const status = HEALTH_STATUS[coordinator.leaderState];
    const live = req.query['probe'] === 'live';
    res.status(status === 'ok' || live ? 200 : 503).json({
      ok: status === 'ok',
      status,
      role: 'leader',
      epoch: coordinator.epoch,
      lsn: coordinator.log.lastLsn,
      followers: coordinator.followerCount,
      writeQuorum: defaultW,
      // The reference study's clients read the default W from here, under this name.
      write_quorum: defaultW,
      ...(coordinator.fencedBy !== null && { fencedBy: coordinator.fencedBy }),
    });
  });
  router.get('/metrics', metricsRoute(registry));
  router.all(['/health', '/metrics'], methodNotAllowed(['GET']));
  return router;
}
