/**
 * The express app both roles build: the same settings (no x-powered-by or etag, the simple
 * query parser, so `?w=1&w=2` arrives as an array and is refused), their routers in order,
 * then the catch-all 404 and the one error handler.
 */
import express, { type Express, type RequestHandler, type Router } from 'express';
import type { Logger } from 'pino';
import { errorMiddleware, routeNotFound } from './errors-middleware';

export function buildExpressApp(logger: Logger, routes: Array<Router | RequestHandler>): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');
  for (const route of routes) app.use(route);
  app.use(routeNotFound);
  app.use(errorMiddleware(logger));
  return app;
}
