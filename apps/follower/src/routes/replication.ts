/** `POST /replication/{entries,snapshot,recover}`: from the leader, guarded by the cluster token. */
import { performance } from 'node:perf_hooks';
import type { Router } from 'express';
import type { z } from 'zod';
import {
  ApiError,
  DEFAULT_LIMITS,
  RecoverRequestSchema,
  ReplicateRequestSchema,
  SnapshotChunkRequestSchema,
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
      const request = fromLeader(config, ReplicateRequestSchema, req.body, 'replication request');
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

  // A leader whose log no longer holds what this follower lacks sends its whole state, in
  // chunks bounded in bytes; the last one installs it. A chunk without a Content-Length counts
  // as the largest body allowed against the staging bound.
  router.post(
    '/replication/snapshot',
    requireClusterToken(config.CLUSTER_TOKEN),
    jsonBody(config.MAX_BODY_BYTES),
    (req, res) => {
      const chunk = fromLeader(config, SnapshotChunkRequestSchema, req.body, 'snapshot chunk');
      const declared = Number(req.headers['content-length']);
      const bodyBytes = Number.isFinite(declared) ? declared : config.MAX_BODY_BYTES;
      node.receiveSnapshotChunk(chunk, bodyBytes, performance.now());
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
      res.json(node.recover(fromLeader(config, RecoverRequestSchema, req.body, 'recovery request')));
    },
  );
  router.all('/replication/recover', methodNotAllowed(['POST']));
  return router;
}

/** The body as `schema` reads it, from a leader this follower accepts; else a definite 4xx. */
function fromLeader<T extends { leaderId: string }>(
  config: Readonly<FollowerConfig>,
  schema: z.ZodType<T>,
  body: unknown,
  what: string,
): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ApiError('invalid_request', `bad ${what}: ${describeIssue(parsed.error)}`);
  const { leaderId } = parsed.data;
  if (config.ACCEPT_LEADER_ID !== undefined && leaderId !== config.ACCEPT_LEADER_ID) {
    throw new ApiError('unauthorized', `replication from leader "${leaderId}" is not accepted here`);
  }
  return parsed.data;
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
