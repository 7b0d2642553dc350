/**
 * The one error handler of an app: known errors become `{error, message, ...}` with their
 * code's status; other 4xx errors (express's own) are `invalid_request`; anything else is
 * logged and answered as a plain 500, never with a stack trace.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ApiError, isApiError } from '@quorum-kv/replication-protocol';
import type { Logger } from 'pino';
import { ERROR_STATUS, statusOf } from './error-status';
import { sendJson } from './send-json';

interface ErrorWithStatus {
  status?: number;
  message?: string;
}

/**
 * Any other error that carries a 4xx status (express's URIError for a broken %-encoding in the
 * path, ...) is the client's: a definite 400, not a 500.
 */
function fromClientError(err: ErrorWithStatus): ApiError | undefined {
  if (typeof err.status !== 'number' || err.status < 400 || err.status > 499) return undefined;
  const reason = typeof err.message === 'string' && err.message.length < 200 ? `: ${err.message}` : '';
  return new ApiError('invalid_request', `the request could not be read${reason}`);
}

/**
 * A refused request's body no route read (an unknown path, a wrong method, a wrong media type)
 * is read and dropped before the answer, up to this many bytes, as body-parser and express's
 * finalhandler do: a client still sending would otherwise get EPIPE instead of the answer, since
 * node closes a connection whose request was not read. A body declared larger is answered at
 * once; a chunked one that grows past the bound is answered when it does. Either way the
 * connection closes after the answer.
 */
export const DRAIN_BEFORE_ERROR_MAX_BYTES = 8 * 1024 * 1024;

/** Answers once the unread rest of the body is in and dropped, or at once when draining it would cost too much. */
function afterDrainingBody(req: IncomingMessage, res: ServerResponse, send: () => void): void {
  if (req.complete || req.readableEnded || res.getHeader('connection') === 'close') return send();
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (Number.isFinite(declared) && declared > DRAIN_BEFORE_ERROR_MAX_BYTES) {
    res.setHeader('Connection', 'close');
    return send();
  }
  let drained = 0;
  let sent = false;
  const once = () => {
    if (sent) return;
    sent = true;
    req.off('data', onData);
    send();
  };
  const onData = (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_BEFORE_ERROR_MAX_BYTES) {
      res.setHeader('Connection', 'close');
      once();
    }
  };
  req.on('data', onData);
  req.once('end', once);
  req.once('close', once);
  req.once('error', once);
  req.resume();
}

/**
 * Answers an error on node's own request and response (express's are those too), so a route
 * served before express's router refuses requests exactly as the routes behind it do.
 */
export function answerError(logger: Logger): (err: unknown, req: IncomingMessage, res: ServerResponse) => void {
  return (err, req, res) => {
    const known = isApiError(err) ? err : fromClientError(err as ErrorWithStatus);
    if (known) {
      const send = () => {
        if (res.headersSent || res.destroyed) return;
        // A refusal that names when to come back (shed load) says so in the header clients know.
        const retryAfterS = known.details['retryAfterS'];
        if (typeof retryAfterS === 'number') res.setHeader('Retry-After', String(retryAfterS));
        sendJson(res, known.toBody(), statusOf(known));
      };
      return afterDrainingBody(req, res, send);
    }
    const url = (req as IncomingMessage & { originalUrl?: string }).originalUrl ?? req.url;
    logger.error({ err, method: req.method, url }, 'unhandled error');
    sendJson(res, new ApiError('internal', 'internal error').toBody(), ERROR_STATUS.internal);
  };
}

export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  const answer = answerError(logger);
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    answer(err, req, res);
  };
}

/** The last route: anything no route matched. */
export const routeNotFound: RequestHandler = (req, _res, next) => {
  next(new ApiError('route_not_found', `no route for ${req.method} ${req.path}`));
};

/** For a path's catch-all: the path exists, the method does not. */
export function methodNotAllowed(allowed: string[]): RequestHandler {
  return (req, res, next) => {
    res.setHeader('Allow', allowed.join(', '));
    next(
      new ApiError('method_not_allowed', `${req.method} is not allowed here; use ${allowed.join(' or ')}`, { allowed }),
    );
  };
}
