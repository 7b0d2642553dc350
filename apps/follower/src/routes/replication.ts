/** `POST /replication/entries`: entries from the leader, guarded by the cluster token. */
import { Router } from 'express';
import { ApiError, DEFAULT_LIMITS, ReplicateRequestSchema, describeIssue, type ReplicateResponse } from '@quorum-kv/replication-protocol';
import { jsonBody, methodNotAllowed, requireClusterToken } from '@quorum-kv/http-edge';
import type { FollowerConfig } from '../config';
import type { FollowerNode } from '../follower-node';

export function replicationRoutes(node: FollowerNode, config: Readonly<FollowerConfig>): Router {
  const router = Router();
  router.post('/replication/entries', requireClusterToken(config.CLUSTER_TOKEN), jsonBody(config.MAX_BODY_BYTES), async (req, res) => {
    const parsed = ReplicateRequestSchema.safeParse(req.body);
    if (!parsed.success) throw new ApiError('invalid_request', `bad replication request: ${describeIssue(parsed.error)}`);
    const request = parsed.data;
    if (config.ACCEPT_LEADER_ID !== undefined && request.leaderId !== config.ACCEPT_LEADER_ID) {
      throw new ApiError('unauthorized', `entries from leader "${request.leaderId}" are not accepted here`);
    }
    const result = node.receive(request);
    if (request.ackMode === 'applied' && result.storedLsns.length > 0) {
      await node.waitApplied(Math.max(...result.storedLsns), request.applyWaitMs ?? DEFAULT_LIMITS.defaultApplyWaitMs);
    }
    const answer: ReplicateResponse = {
      followerId: node.instanceId,
      appliedLsn: node.applier.appliedLsn,
      refusedLsns: result.refusedLsns,
      bufferedCount: node.applier.bufferedCount,
    };
    res.json(answer);
  });
  router.all('/replication/entries', methodNotAllowed(['POST']));
  return router;
}
