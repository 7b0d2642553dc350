/** `GET /debug/store`: the whole map and the applied LSN; only with ENABLE_DEBUG=true. */
import type { Router } from 'express';
import { ApiError } from '@quorum-kv/replication-protocol';
import { methodNotAllowed, strictRouter } from '@quorum-kv/http-edge';
import type { ReplicationCoordinator } from '../replication/replication-coordinator';

export function debugRoutes(coordinator: ReplicationCoordinator, enabled: boolean): Router {
  const router = strictRouter();
  router.get('/debug/store', (_req, res) => {
    if (!enabled)
      throw new ApiError('debug_disabled', 'debug endpoints are off; start the node with ENABLE_DEBUG=true');
    res.json({ role: 'leader', lsn: coordinator.state.appliedLsn, store: coordinator.state.snapshot() });
  });
  router.all('/debug/store', methodNotAllowed(['GET']));
  return router;
}
