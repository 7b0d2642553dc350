/** Builds the leader's express app from its parts; never listens (tests use it without a port). */
import { performance } from 'node:perf_hooks';
import express, { type Express } from 'express';
import type { Registry } from 'prom-client';
import { errorMiddleware, routeNotFound, type Logger } from '@quorum-kv/http-edge';
import type { LeaderConfig } from './config';
import type { ReplicationCoordinator } from './replication/replication-coordinator';
import { kvRoutes } from './routes/kv';
import { statusRoutes } from './routes/status';
import { debugRoutes } from './routes/debug';
import { healthRoutes } from './routes/health';

export interface LeaderAppDeps {
  config: Readonly<LeaderConfig>;
  coordinator: ReplicationCoordinator;
  registry: Registry;
  logger: Logger;
}

export function buildLeaderApp({ config, coordinator, registry, logger }: LeaderAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');
  // When the request arrived, for `?trace=1` answers: the leader's own share of a write's latency.
  app.use((_req, res, next) => {
    res.locals['arrivedMs'] = performance.now();
    next();
  });
  app.use(kvRoutes(coordinator, config));
  app.use(statusRoutes(coordinator));
  app.use(debugRoutes(coordinator, config.ENABLE_DEBUG));
  app.use(healthRoutes(coordinator, registry));
  app.use(routeNotFound);
  app.use(errorMiddleware(logger));
  return app;
}
