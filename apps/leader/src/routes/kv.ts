/**
 * `GET|PUT|DELETE /kv/:key`: the client API. Answers go out with `sendJson` (the hot path of
 * every write). The plain `GET|PUT /kv/<key>` is also served before express's router
 * (`serveHot`), with the same steps, errors and headers; anything else goes through the router.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { parse as parseQueryString } from 'node:querystring';
import type { Request, Response, Router } from 'express';
import {
  ACK_MODES,
  ApiError,
  KEY_PATTERN,
  parseKey,
  parseWriteBody,
  type AckMode,
} from '@quorum-kv/replication-protocol';
import {
  BodyBudget,
  answerError,
  endTurn,
  jsonBody,
  methodNotAllowed,
  sendJson,
  strictRouter,
  takeTurn,
  type Logger,
} from '@quorum-kv/http-edge';
import type { ReplicationCoordinator, WriteOp, WriteResult } from '../replication/replication-coordinator';
import type { LeaderConfig } from '../config';
import { parseQuorum } from './write-quorum';

type Query = Record<string, unknown>;

export interface KvRoutes {
  router: Router;
  /** Serves a plain `GET|PUT /kv/<key>` and says true; says false (and does nothing) for any other request. */
  serveHot: (req: IncomingMessage, res: ServerResponse) => boolean;
}

export function kvRoutes(
  coordinator: ReplicationCoordinator,
  config: Readonly<LeaderConfig>,
  logger: Logger,
): KvRoutes {
  const api = new KvApi(coordinator, config, logger);
  const router = strictRouter();
  // Reads and writes alike wait for recovery, and stop once fenced (the state may be stale).
  router.use('/kv/:key', (_req, res, next) => {
    api.admit(res);
    next();
  });
  router.get('/kv/:key', (req, res) => api.get(res, req.params['key']));
  router.put('/kv/:key', api.readBody, (req, res) =>
    api.put(req, res, req.params['key'], req.query, res.locals['arrivedMs'] as number),
  );
  router.delete('/kv/:key', (req, res) =>
    api.delete(req, res, req.params['key'], req.query, res.locals['arrivedMs'] as number),
  );
  router.all('/kv/:key', methodNotAllowed(['GET', 'PUT', 'DELETE']));
  return { router, serveHot: (req, res) => api.serveHot(req, res) };
}

/** The `/kv/:key` steps, on node's own request and response: express's router and `serveHot` share them. */
class KvApi {
  readonly readBody;
  private readonly answerError;

  constructor(
    private readonly coordinator: ReplicationCoordinator,
    private readonly config: Readonly<LeaderConfig>,
    logger: Logger,
  ) {
    this.readBody = jsonBody(config.MAX_BODY_BYTES, {
      budget: new BodyBudget(config.MAX_BODY_BYTES_IN_FLIGHT),
      bodyTimeoutMs: config.BODY_TIMEOUT_MS,
      exactNumbers: true,
    });
    this.answerError = answerError(logger);
  }

  admit(res: ServerResponse): void {
    if (this.coordinator.leaderState === 'recovering') res.setHeader('Retry-After', '1');
    this.coordinator.assertServing();
  }

  get(res: ServerResponse, rawKey: unknown): void {
    const key = parseKey(rawKey, this.config.MAX_KEY_LENGTH);
    const stored = this.coordinator.state.get(key);
    if (!stored) throw new ApiError('not_found', `no key "${key}"`, { key });
    sendJson(res, { key, value: stored.value, lsn: stored.lsn });
  }

  /** After `readBody`: `req.body` holds the parsed body. */
  async put(req: IncomingMessage, res: ServerResponse, rawKey: unknown, query: Query, arrivedMs: number) {
    const key = parseKey(rawKey, this.config.MAX_KEY_LENGTH);
    const { value } = parseWriteBody((req as IncomingMessage & { body?: unknown }).body, this.config.MAX_VALUE_DEPTH);
    sendJson(res, await this.replicate(req, res, query, { op: 'put', key, value }, arrivedMs));
  }

  async delete(req: IncomingMessage, res: ServerResponse, rawKey: unknown, query: Query, arrivedMs: number) {
    const key = parseKey(rawKey, this.config.MAX_KEY_LENGTH);
    sendJson(res, { ...(await this.replicate(req, res, query, { op: 'delete', key }, arrivedMs)), deleted: true });
  }

  private async replicate(req: IncomingMessage, res: ServerResponse, query: Query, op: WriteOp, arrivedMs: number) {
    const { coordinator, config } = this;
    const w = parseQuorum(query['w'], req.headers['x-write-quorum'], config.WRITE_QUORUM, coordinator.followerCount);
    const ackMode = parseAckMode(query['ack'], config.ACK_MODE);
    const trace = query['trace'] === 'true' || query['trace'] === '1';
    const writing = coordinator.write(op, w, ackMode);
    // The LSN is assigned (or the write refused): the next request on this connection may go.
    endTurn(res);
    const result = await writing;
    const body = answer(result, op.key, trace ? performance.now() - arrivedMs : undefined);
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

  serveHot(req: IncomingMessage, res: ServerResponse): boolean {
    const hot = hotRequest(req);
    if (hot === undefined) return false;
    const arrivedMs = performance.now();
    takeTurn(req, res, () => this.runHot(req, res, hot, arrivedMs));
    return true;
  }

  private runHot(req: IncomingMessage, res: ServerResponse, hot: HotRequest, arrivedMs: number): void {
    try {
      this.admit(res);
      if (req.method === 'GET') return this.get(res, hot.key);
      this.readBody(req as Request, res as Response, (error?: unknown) => {
        if (error !== undefined) return this.fail(error, req, res);
        this.put(req, res, hot.key, hot.query, arrivedMs).catch((failure: unknown) => this.fail(failure, req, res));
      });
    } catch (error) {
      this.fail(error, req, res);
    }
  }

  /** As express does with an error: the one error answer, or the connection dropped once the answer has begun. */
  private fail(error: unknown, req: IncomingMessage, res: ServerResponse): void {
    if (res.headersSent) req.socket.destroy();
    else this.answerError(error, req, res);
  }
}

interface HotRequest {
  key: string;
  query: Query;
}

const NO_QUERY: Query = Object.freeze({});
const PREFIX = '/kv/';
const JSON_TYPES = new Set(['application/json', 'application/json; charset=utf-8']);
/** Characters that make express read the URL with node's legacy parser (a `#` ends the query there). */
const UNUSUAL_URL_CHARS = /[\t\n\f\r #\u00a0\ufeff]/;
/** Brackets, plain or percent-encoded: express's query parser may read them as arrays or objects. */
const BRACKETS = /[[\]]|%5[bd]/i;

/**
 * The request when it is a plain `GET|PUT /kv/<key>` that express would route to the same
 * steps: a key of key characters only (nothing to decode), a query of plain parameters (no
 * brackets anywhere, so no array syntax), and for a PUT a JSON body sent as is. Anything else
 * is left to express.
 */
function hotRequest(req: IncomingMessage): HotRequest | undefined {
  const method = req.method;
  const url = req.url as string;
  if ((method !== 'PUT' && method !== 'GET') || !url.startsWith(PREFIX)) return undefined;
  const q = url.indexOf('?');
  const key = q < 0 ? url.slice(PREFIX.length) : url.slice(PREFIX.length, q);
  if (!KEY_PATTERN.test(key)) return undefined;
  if (method === 'PUT') {
    const headers = req.headers;
    if (!JSON_TYPES.has(headers['content-type'] as string) || headers['content-encoding'] !== undefined)
      return undefined;
  }
  if (q < 0) return { key, query: NO_QUERY };
  const search = url.slice(q + 1);
  if (UNUSUAL_URL_CHARS.test(search) || BRACKETS.test(search)) return undefined;
  return { key, query: parseQueryString(search) };
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
