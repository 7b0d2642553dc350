/** `POST /replication/{entries,batch,snapshot,recover}`: from the leader, guarded by the cluster token. */
import { performance } from 'node:perf_hooks';
import type { Request, Response, Router } from 'express';
import type { z } from 'zod';
import {
  ApiError,
  DEFAULT_LIMITS,
  PROTOCOL_VERSION,
  checkProtocolVersion,
  RecoverRequestSchema,
  SnapshotChunkRequestSchema,
  describeIssue,
  followerAnswer,
  parseBatchRequest,
  parseReplicateRequest,
  type WireParse,
  type BatchRequest,
  type BatchResponse,
  type ReceiveResult,
  type ReplicateRequest,
} from '@quorum-kv/replication-protocol';
import { jsonBody, methodNotAllowed, requireClusterToken, sendJson, strictRouter } from '@quorum-kv/http-edge';
import type { FollowerConfig } from '../config';
import type { FollowerNode } from '../follower-node';

export function replicationRoutes(node: FollowerNode, config: Readonly<FollowerConfig>): Router {
  const router = strictRouter();
  // Every replication route: POST only, the cluster token, a JSON body within MAX_BODY_BYTES.
  const fromLeaderPost = (path: string, handle: (req: Request, res: Response) => Promise<void>) => {
    router.post(path, requireClusterToken(config.CLUSTER_TOKEN), jsonBody(config.MAX_BODY_BYTES), handle);
    router.all(path, methodNotAllowed(['POST']));
  };

  fromLeaderPost('/replication/entries', async (req, res) => {
    const request = fromLeader(config, parseReplicateRequest, req.body, 'replication request');
    const result = await receiveEntries(node, request);
    sendJson(res, followerAnswer(node, result.refusedLsns));
  });

  // Protocol version 2: the entries of the leader's outbox that were ready together, answered
  // with a cumulative ack. The same core step stores them as for one entry. The hot path of
  // replication: checked cheaply (wire-fast.ts) and answered straight to node's response.
  fromLeaderPost('/replication/batch', async (req, res) => sendJson(res, await receiveBatch(node, config, req.body)));

  // A leader whose log no longer holds what this follower lacks sends its whole state, in
  // chunks bounded in bytes; the last one installs it. A chunk without a Content-Length counts
  // as the largest body allowed against the staging bound.
  fromLeaderPost('/replication/snapshot', async (req, res) => {
    const chunk = fromLeader(config, schemaParse(SnapshotChunkRequestSchema), req.body, 'snapshot chunk');
    const declared = Number(req.headers['content-length']);
    const bodyBytes = Number.isFinite(declared) ? declared : config.MAX_BODY_BYTES;
    await node.receiveSnapshotChunk(chunk, bodyBytes, performance.now());
    res.json(followerAnswer(node, []));
  });

  // A starting leader's one recovery step: promise its epoch and answer with this log.
  fromLeaderPost('/replication/recover', async (req, res) => {
    const request = fromLeader(config, schemaParse(RecoverRequestSchema), req.body, 'recovery request');
    res.json(await node.recover(request));
  });
  return router;
}

/**
 * One batch of protocol version 2, by request or on the stream: the leader's version first,
 * then its shape and id, then the core step; answered with the cumulative ack.
 */
export async function receiveBatch(
  node: FollowerNode,
  config: Readonly<FollowerConfig>,
  body: unknown,
): Promise<BatchResponse> {
  checkLeaderVersion(body);
  const request = fromLeader(config, parseBatchRequest, body, 'replication batch');
  return batchAnswer(node, await receiveEntries(node, request));
}

/** The core step for entries from the leader; for `applied` the answer waits until they are applied (or the wait ends). */
async function receiveEntries(node: FollowerNode, request: ReplicateRequest | BatchRequest): Promise<ReceiveResult> {
  const result = await node.receive(request);
  if (request.ackMode === 'applied' && result.storedLsns.length > 0) {
    const highest = result.storedLsns.reduce((a, b) => Math.max(a, b), 0);
    await node.waitApplied(highest, request.applyWaitMs ?? DEFAULT_LIMITS.defaultApplyWaitMs);
  }
  return result;
}

/** A leader of another protocol version is refused before its body is read further (409, nothing changed). */
function checkLeaderVersion(body: unknown): void {
  const announced =
    typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['protocolVersion'] : undefined;
  const check = checkProtocolVersion(PROTOCOL_VERSION, announced, 'leader');
  if (!check.ok) {
    throw new ApiError('protocol_version_mismatch', check.message, {
      protocolVersion: PROTOCOL_VERSION,
      leaderProtocolVersion: check.theirs,
    });
  }
}

const schemaParse =
  <T>(schema: z.ZodType<T>) =>
  (body: unknown): WireParse<T> =>
    schema.safeParse(body);

/** The body as `parse` reads it (a schema's check), from a leader this follower accepts; else a definite 4xx. */
function fromLeader<T extends { leaderId: string }>(
  config: Readonly<FollowerConfig>,
  parse: (body: unknown) => WireParse<T>,
  body: unknown,
  what: string,
): T {
  const parsed = parse(body);
  if (!parsed.success) throw new ApiError('invalid_request', `bad ${what}: ${describeIssue(parsed.error)}`);
  const { leaderId } = parsed.data;
  if (config.ACCEPT_LEADER_ID !== undefined && leaderId !== config.ACCEPT_LEADER_ID) {
    throw new ApiError('unauthorized', `replication from leader "${leaderId}" is not accepted here`);
  }
  return parsed.data;
}

/** The answer to a batch: the usual one, this protocol version and the cumulative ack (applied LSN, and what is stored beyond it). */
function batchAnswer(node: FollowerNode, result: ReceiveResult): BatchResponse {
  const upToLsn = node.applier.appliedLsn;
  const beyondLsns: number[] = [];
  for (const lsn of result.storedLsns) if (lsn > upToLsn) beyondLsns.push(lsn);
  const base = followerAnswer(node, result.refusedLsns);
  // One literal, not a spread and two more fields: V8 defined those two the slow way on every
  // answer (3% of a follower's CPU at saturation).
  return {
    followerId: base.followerId,
    appliedLsn: base.appliedLsn,
    refusedLsns: base.refusedLsns,
    bufferedCount: base.bufferedCount,
    epoch: base.epoch,
    appliedEpoch: base.appliedEpoch,
    protocolVersion: PROTOCOL_VERSION,
    ack: { upToLsn, beyondLsns },
  };
}
