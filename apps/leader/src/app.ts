/** Builds the leader's express app from its parts; never listens (tests use it without a port). */
import { performance } from 'node:perf_hooks';
import type { Express, RequestHandler } from 'express';
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

export function buildLeaderApp({ config, coordinator, registry, logger, storage }: LeaderAppDeps): Express {
  return buildExpressApp(logger, [
    stampArrival,
    kvRoutes(coordinator, config),
    statusRoutes(coordinator, storage),
    debugRoutes(coordinator, config.ENABLE_DEBUG),
    healthRoutes(coordinator, registry, config.WRITE_QUORUM),
  ]);
}
