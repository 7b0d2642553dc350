/** `POST /replication/{entries,snapshot,recover}`: from the leader, guarded by the cluster token. */
import type { Router } from 'express';
import {
  ApiError,
  DEFAULT_LIMITS,
  RecoverRequestSchema,
  ReplicateRequestSchema,
  SnapshotRequestSchema,
  describeIssue,
  type ReplicateResponse,
} from '@quorum-kv/replication-protocol';
import { jsonBody, methodNotAllowed, requireClusterToken, strictRouter } from '@quorum-kv/http-edge';
import type { FollowerConfig } from '../config';
import type { FollowerNode } from '../follower-node';

export function replicationRoutes(node: FollowerNode, config: Readonly<FollowerConfig>): Router {
  const router = strictRouter();
  router.post(
    '/replication/entries',
    requireClusterToken(config.CLUSTER_TOKEN),
    jsonBody(config.MAX_BODY_BYTES),
    async (req, res) => {
      const parsed = ReplicateRequestSchema.safeParse(req.body);
      if (!parsed.success)
        throw new ApiError('invalid_request', `bad replication request: ${describeIssue(parsed.error)}`);
      const request = parsed.data;
      checkLeader(config, request.leaderId);
      const result = node.receive(request);
      if (request.ackMode === 'applied' && result.storedLsns.length > 0) {
        await node.waitApplied(
          Math.max(...result.storedLsns),
          request.applyWaitMs ?? DEFAULT_LIMITS.defaultApplyWaitMs,
        );
      }
      res.json(answer(node, result.refusedLsns));
    },
  );
  router.all('/replication/entries', methodNotAllowed(['POST']));

  // A leader whose log no longer holds what this follower lacks sends its whole state.
  router.post(
    '/replication/snapshot',
    requireClusterToken(config.CLUSTER_TOKEN),
    jsonBody(config.MAX_BODY_BYTES),
    (req, res) => {
      const parsed = SnapshotRequestSchema.safeParse(req.body);
      if (!parsed.success) throw new ApiError('invalid_request', `bad snapshot: ${describeIssue(parsed.error)}`);
      checkLeader(config, parsed.data.leaderId);
      node.installSnapshot(parsed.data);
      res.json(answer(node, []));
    },
  );
  router.all('/replication/snapshot', methodNotAllowed(['POST']));

  // A starting leader's one recovery step: promise its epoch and answer with this log.
  router.post(
    '/replication/recover',
    requireClusterToken(config.CLUSTER_TOKEN),
    jsonBody(config.MAX_BODY_BYTES),
    (req, res) => {
      const parsed = RecoverRequestSchema.safeParse(req.body);
      if (!parsed.success)
        throw new ApiError('invalid_request', `bad recovery request: ${describeIssue(parsed.error)}`);
      checkLeader(config, parsed.data.leaderId);
      res.json(node.recover(parsed.data));
    },
  );
  router.all('/replication/recover', methodNotAllowed(['POST']));
  return router;
}

function checkLeader(config: Readonly<FollowerConfig>, leaderId: string): void {
  if (config.ACCEPT_LEADER_ID !== undefined && leaderId !== config.ACCEPT_LEADER_ID) {
    throw new ApiError('unauthorized', `replication from leader "${leaderId}" is not accepted here`);
  }
}

function answer(node: FollowerNode, refusedLsns: number[]): ReplicateResponse {
  return {
    followerId: node.instanceId,
    appliedLsn: node.applier.appliedLsn,
    refusedLsns,
    bufferedCount: node.applier.bufferedCount,
    epoch: node.promisedEpoch,
    appliedEpoch: node.applier.appliedEpoch,
  };
}
