/**
 * The express app both roles build: the same settings (no x-powered-by or etag, the simple
 * query parser, so `?w=1&w=2` arrives as an array and is refused; strict, case-sensitive
 * routing, so `/KV/k` and `/kv/k/` are not `/kv/k`), requests on one connection in arrival
 * order, array-style query parameters refused, their routers in order, then the catch-all 404
 * and the one error handler.
 */
import express, { Router, type Express, type RequestHandler } from 'express';
import type { Logger } from 'pino';
import { ApiError } from '@quorum-kv/replication-protocol';
import { arrivalOrder } from './arrival-order';
import { errorMiddleware, routeNotFound } from './errors-middleware';

/** A router with the app's routing rules: case-sensitive, no trailing-slash match. */
export function strictRouter(): Router {
  return Router({ caseSensitive: true, strict: true });
}

/**
 * `?w[]=2` is PHP's and qs's array syntax; the simple parser keeps `w[]` as a key of its own,
 * which no route reads, so the default W would silently apply. Refuse it instead.
 */
export const refuseArrayQuery: RequestHandler = (req, _res, next) => {
  if (!req.url.includes('?')) return next();
  const arrayKey = Object.keys(req.query).find((key) => key.includes('[') || key.includes(']'));
  if (arrayKey === undefined) return next();
  next(new ApiError('invalid_request', `query parameter "${arrayKey}": array-style parameters are not accepted`));
};

export function buildExpressApp(logger: Logger, routes: Array<Router | RequestHandler>): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');
  app.set('case sensitive routing', true);
  app.set('strict routing', true);
  app.use(arrivalOrder);
  app.use(refuseArrayQuery);
  for (const route of routes) app.use(route);
  app.use(routeNotFound);
  app.use(errorMiddleware(logger));
  return app;
}
