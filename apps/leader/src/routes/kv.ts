/** `GET|PUT|DELETE /kv/:key`: the client API. Answers go out with `sendJson` (the hot path of every write). */
import { performance } from 'node:perf_hooks';
import type { Request, Response, Router } from 'express';
import { ACK_MODES, ApiError, parseKey, parseWriteBody, type AckMode } from '@quorum-kv/replication-protocol';
import { BodyBudget, endTurn, jsonBody, methodNotAllowed, sendJson, strictRouter } from '@quorum-kv/http-edge';
import type { ReplicationCoordinator, WriteOp, WriteResult } from '../replication/replication-coordinator';
import type { LeaderConfig } from '../config';
import { parseQuorum } from './write-quorum';

export function kvRoutes(coordinator: ReplicationCoordinator, config: Readonly<LeaderConfig>): Router {
  const router = strictRouter();
  const readBody = jsonBody(config.MAX_BODY_BYTES, {
    budget: new BodyBudget(config.MAX_BODY_BYTES_IN_FLIGHT),
    bodyTimeoutMs: config.BODY_TIMEOUT_MS,
    exactNumbers: true,
  });

  // Reads and writes alike wait for recovery, and stop once fenced (the state may be stale).
  router.use('/kv/:key', (_req, res, next) => {
    if (coordinator.leaderState === 'recovering') res.setHeader('Retry-After', '1');
    coordinator.assertServing();
    next();
  });
  router.get('/kv/:key', (req, res) => {
    const key = parseKey(req.params['key'], config.MAX_KEY_LENGTH);
    const stored = coordinator.state.get(key);
    if (!stored) throw new ApiError('not_found', `no key "${key}"`, { key });
    sendJson(res, { key, value: stored.value, lsn: stored.lsn });
  });

  router.put('/kv/:key', readBody, async (req, res) => {
    const key = parseKey(req.params['key'], config.MAX_KEY_LENGTH);
    const { value } = parseWriteBody(req.body, config.MAX_VALUE_DEPTH);
    sendJson(res, await replicate(coordinator, config, req, res, { op: 'put', key, value }));
  });

  router.delete('/kv/:key', async (req, res) => {
    const key = parseKey(req.params['key'], config.MAX_KEY_LENGTH);
    sendJson(res, { ...(await replicate(coordinator, config, req, res, { op: 'delete', key })), deleted: true });
  });

  router.all('/kv/:key', methodNotAllowed(['GET', 'PUT', 'DELETE']));
  return router;
}

async function replicate(
  coordinator: ReplicationCoordinator,
  config: Readonly<LeaderConfig>,
  req: Request,
  res: Response,
  op: WriteOp,
) {
  const w = parseQuorum(req.query['w'], req.headers['x-write-quorum'], config.WRITE_QUORUM, coordinator.followerCount);
  const ackMode = parseAckMode(req.query['ack'], config.ACK_MODE);
  const trace = req.query['trace'] === 'true' || req.query['trace'] === '1';
  const writing = coordinator.write(op, w, ackMode);
  // The LSN is assigned (or the write refused): the next request on this connection may go.
  endTurn(res);
  const result = await writing;
  const body = answer(result, op.key, trace ? performance.now() - (res.locals['arrivedMs'] as number) : undefined);
  if (result.outcome.status === 'met') return body;
  const why =
    result.outcome.status === 'timeout'
      ? `only ${result.outcome.ackCount} of ${w} acks within ${config.REPLICATION_TIMEOUT_MS} ms`
      : `only ${result.outcome.ackCount} acks and too many followers failed to reach ${w}`;
  throw new ApiError(
    result.outcome.status === 'timeout' ? 'quorum_timeout' : 'quorum_unreachable',
    `${why}; the write (lsn ${result.entry.lsn}) stays on the leader and keeps replicating`,
    body,
  );
}

/** The answer; with a trace (`leaderMs` given), also the timings and the injected delays. */
function answer(result: WriteResult, key: string, leaderMs: number | undefined) {
  const base = {
    key,
    lsn: result.entry.lsn,
    epoch: result.entry.epoch,
    w: result.w,
    acks: result.outcome.ackCount,
    ackMode: result.ackMode,
  };
  if (leaderMs === undefined) return base;
  return {
    ...base,
    quorumMs: result.outcome.elapsedMs,
    leaderMs,
    ackedFollowers: result.outcome.ackedFollowers.map((i) => i + 1),
    delaysMs: result.delaysMs,
  };
}

function parseAckMode(raw: unknown, fallback: AckMode): AckMode {
  if (raw === undefined) return fallback;
  if (typeof raw === 'string' && (ACK_MODES as readonly string[]).includes(raw)) return raw as AckMode;
  throw new ApiError('invalid_request', `ack must be one of ${ACK_MODES.join(', ')}`);
}
