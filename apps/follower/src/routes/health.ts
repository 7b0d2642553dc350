/** `GET /health` and `GET /metrics`. */
import type { Router } from 'express';
import type { Registry } from 'prom-client';
import { methodNotAllowed, metricsRoute, strictRouter } from '@quorum-kv/http-edge';
import type { FollowerNode } from '../follower-node';

export function healthRoutes(node: FollowerNode, registry: Registry): Router {
  const router = strictRouter();
  router.get('/health', (_req, res) => {
    res.json({
      ok: true,
      role: 'follower',
      id: node.instanceId,
      appliedLsn: node.applier.appliedLsn,
      bufferedCount: node.applier.bufferedCount,
    });
  });
  router.get('/metrics', metricsRoute(registry));
  router.all(['/health', '/metrics'], methodNotAllowed(['GET']));
  return router;
}
