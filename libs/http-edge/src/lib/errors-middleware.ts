/**
 * The one error handler of an app: known errors become `{error, message, ...}` with their
 * code's status; other 4xx errors (express's own) are `invalid_request`; anything else is
 * logged and answered as a plain 500, never with a stack trace.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import { ApiError, isApiError } from '@quorum-kv/replication-protocol';
import type { Logger } from 'pino';
import { ERROR_STATUS, statusOf } from './error-status';

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

export function errorMiddleware(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    const known = isApiError(err) ? err : fromClientError(err as ErrorWithStatus);
    if (known) {
      res.status(statusOf(known)).json(known.toBody());
      return;
    }
    logger.error({ err, method: req.method, url: req.originalUrl }, 'unhandled error');
    res.status(ERROR_STATUS.internal).json(new ApiError('internal', 'internal error').toBody());
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
