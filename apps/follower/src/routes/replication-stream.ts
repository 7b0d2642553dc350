/**
 * `POST /replication/stream`: the leader's batches on one long-lived request, as newline-
 * delimited JSON (`{"id":n,"batch":{...}}`), and their acks on the response, as it goes
 * (`{"id":n,"status":200,"body":{...}}`). Acks so travel apart from the requests that carried
 * the entries, and a batch costs a line each way instead of an HTTP exchange.
 *
 * Guarded as every replication route: the cluster token and the protocol version when the
 * stream opens (401, 409 as a plain answer); then each batch is judged on its own exactly as
 * `POST /replication/batch` judges it (cluster, epoch, log matching, leader id), and a refusal
 * is that batch's answer line, with the status and body the route would have answered. A line
 * longer than MAX_BODY_BYTES or not JSON ends the stream (a last line with id null says why);
 * at most MAX_STREAM_UNANSWERED batches wait for their answer before the stream is read on.
 */
import type { Request, RequestHandler, Response, Router } from 'express';
import {
  ApiError,
  PROTOCOL_VERSION,
  checkProtocolVersion,
  isApiError,
  type BatchResponse,
} from '@quorum-kv/replication-protocol';
import {
  LineTooLong,
  NdjsonLines,
  methodNotAllowed,
  requireClusterToken,
  statusOf,
  strictRouter,
  type Logger,
} from '@quorum-kv/http-edge';
import type { FollowerConfig } from '../config';
import type { FollowerNode } from '../follower-node';
import { receiveBatch } from './replication';

/** The header both ends name their protocol version in when the stream opens. */
export const PROTOCOL_VERSION_HEADER = 'x-replication-protocol';
/** Batches read and not yet answered, beyond which the stream is not read on (the leader's window is far smaller). */
export const MAX_STREAM_UNANSWERED = 64;

type AnswerLine = { id: number | null; status: number; body: BatchResponse | Record<string, unknown> };

export function replicationStreamRoutes(node: FollowerNode, config: Readonly<FollowerConfig>, logger: Logger): Router {
  const router = strictRouter();
  // The stream's connection serves it alone: it closes with it, and a refusal when it opens is
  // answered at once (the leader's body never ends, so it cannot wait for it to be drained).
  const closeAfter: RequestHandler = (_req, res, next) => {
    res.setHeader('Connection', 'close');
    next();
  };
  router.post('/replication/stream', closeAfter, requireClusterToken(config.CLUSTER_TOKEN), (req, res) => {
    const check = checkProtocolVersion(
      PROTOCOL_VERSION,
      numberOrUndefined(req.headers[PROTOCOL_VERSION_HEADER]),
      'leader',
    );
    if (!check.ok) {
      throw new ApiError('protocol_version_mismatch', check.message, {
        protocolVersion: PROTOCOL_VERSION,
        leaderProtocolVersion: check.theirs,
      });
    }
    serveStream(req, res, (body) => receiveBatch(node, config, body), config.MAX_BODY_BYTES, logger);
  });
  router.all('/replication/stream', methodNotAllowed(['POST']));
  return router;
}

function numberOrUndefined(header: string | string[] | undefined): unknown {
  if (header === undefined) return undefined;
  const value = Number(header);
  return Number.isFinite(value) ? value : header;
}

function serveStream(
  req: Request,
  res: Response,
  receive: (body: unknown) => Promise<BatchResponse>,
  maxLineBytes: number,
  logger: Logger,
): void {
  res.writeHead(200, { 'content-type': 'application/x-ndjson', [PROTOCOL_VERSION_HEADER]: String(PROTOCOL_VERSION) });
  res.flushHeaders();
  const lines = new NdjsonLines(maxLineBytes);
  let unanswered = 0;
  let ended = false;
  // Answers ready in one turn of the event loop leave in one write.
  let queued: string[] = [];
  const flush = () => {
    if (queued.length === 0 || res.writableEnded || res.destroyed) return;
    res.write(queued.join(''));
    queued = [];
    if (ended && unanswered === 0) res.end();
  };
  const send = (line: AnswerLine) => {
    if (queued.length === 0) setImmediate(flush);
    queued.push(JSON.stringify(line) + '\n');
  };
  const fatal = (error: ApiError) => {
    send({ id: null, status: statusOf(error), body: error.toBody() });
    ended = true;
    req.pause();
  };
  req.on('data', (chunk: Buffer) => {
    let texts: string[];
    try {
      texts = lines.push(chunk);
    } catch (error) {
      return fatal(
        error instanceof LineTooLong
          ? new ApiError('payload_too_large', error.message, { limitBytes: maxLineBytes })
          : new ApiError('invalid_request', 'the replication stream could not be read'),
      );
    }
    for (const text of texts) {
      if (ended) return;
      const message = parseLine(text);
      if (message instanceof ApiError) return fatal(message);
      unanswered++;
      if (unanswered >= MAX_STREAM_UNANSWERED) req.pause();
      receive(message.batch).then(
        (body) => answered({ id: message.id, status: 200, body }),
        (error: unknown) => answered(errorLine(message.id, error, logger)),
      );
    }
  });
  const answered = (line: AnswerLine) => {
    unanswered--;
    send(line);
    if (unanswered < MAX_STREAM_UNANSWERED && !ended) req.resume();
  };
  req.once('end', () => {
    ended = true;
    if (unanswered === 0 && queued.length === 0) res.end();
  });
}

/** `{"id": n, "batch": {...}}`, or why the stream cannot go on. */
function parseLine(text: string): { id: number; batch: unknown } | ApiError {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return new ApiError('invalid_json', 'a line of the replication stream is not valid JSON');
  }
  const { id, batch } = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  if (!Number.isSafeInteger(id) || (id as number) < 1 || batch === undefined)
    return new ApiError(
      'invalid_request',
      'each line of the replication stream is {"id": <positive integer>, "batch": {...}}',
    );
  return { id: id as number, batch };
}

function errorLine(id: number, error: unknown, logger: Logger): AnswerLine {
  if (isApiError(error)) return { id, status: statusOf(error), body: error.toBody() };
  logger.error({ err: error }, 'replication stream: unhandled error');
  const internal = new ApiError('internal', 'internal error');
  return { id, status: statusOf(internal), body: internal.toBody() };
}
