/**
 * Builds the leader's request listener from its parts: the plain `GET|PUT /kv/<key>` served
 * before express's router, everything else by the express app. Never listens (tests use it
 * without a port).
 */
import { performance } from 'node:perf_hooks';
import type { RequestListener } from 'node:http';
import type { RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import { buildExpressApp, type Logger } from '@quorum-kv/http-edge';
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
  /** What `/status` says of the leader's DATA_DIR (none: in memory). */
  storage?: () => object;
}

/** When the request arrived, for `?trace=1` answers: the leader's own share of a write's latency. */
const stampArrival: RequestHandler = (_req, res, next) => {
  res.locals['arrivedMs'] = performance.now();
  next();
};

export function buildLeaderApp({ config, coordinator, registry, logger, storage }: LeaderAppDeps): RequestListener {
  const kv = kvRoutes(coordinator, config, logger);
  const app = buildExpressApp(logger, [
    stampArrival,
    kv.router,
    statusRoutes(coordinator, storage),
    debugRoutes(coordinator, config.ENABLE_DEBUG),
    healthRoutes(coordinator, registry, config.WRITE_QUORUM),
  ]);
  return (req, res) => {
    if (!kv.serveHot(req, res)) app(req, res);
  };
}
