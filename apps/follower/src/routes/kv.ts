/** `GET /kv/:key` on a follower: reads what it has applied. Followers take no client writes. */
import type { Router } from 'express';
import { strictRouter } from '@quorum-kv/http-edge';
import { ApiError, WIRE_LIMITS, parseKey } from '@quorum-kv/replication-protocol';
import type { FollowerNode } from '../follower-node';

export function kvRoutes(node: FollowerNode): Router {
  const router = strictRouter();
  router.get('/kv/:key', (req, res) => {
    const key = parseKey(req.params['key'], WIRE_LIMITS.maxKeyLength);
    const stored = node.applier.state.get(key);
    if (!stored) throw new ApiError('not_found', `no key "${key}"`, { key });
    res.json({ key, value: stored.value, lsn: stored.lsn });
  });
  router.all('/kv/:key', (req, res, next) => {
    res.setHeader('Allow', 'GET');
    next(
      new ApiError(
        'method_not_allowed',
        `${req.method} is not allowed on a follower: followers are read-only, write to the leader`,
        { allowed: ['GET'] },
      ),
    );
  });
  return router;
}
