/** `GET /debug/store`: the whole applied map and LSN; only with ENABLE_DEBUG=true. */
import type { Router } from 'express';
import { ApiError } from '@quorum-kv/replication-protocol';
import { methodNotAllowed, strictRouter } from '@quorum-kv/http-edge';
import type { FollowerNode } from '../follower-node';

export function debugRoutes(node: FollowerNode, enabled: boolean): Router {
  const router = strictRouter();
  router.get('/debug/store', (_req, res) => {
    if (!enabled)
      throw new ApiError('debug_disabled', 'debug endpoints are off; start the node with ENABLE_DEBUG=true');
    res.json({
      role: 'follower',
      id: node.instanceId,
      lsn: node.applier.appliedLsn,
      store: node.applier.state.snapshot(),
    });
  });
  router.all('/debug/store', methodNotAllowed(['GET']));
  return router;
}
