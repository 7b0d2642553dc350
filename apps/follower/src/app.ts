/** Builds the follower's express app from its parts; never listens. */
import express, { type Express } from 'express';
import type { Registry } from 'prom-client';
import { errorMiddleware, routeNotFound, type Logger } from '@quorum-kv/http-edge';
import type { FollowerConfig } from './config';
import type { FollowerNode } from './follower-node';
import { replicationRoutes } from './routes/replication';
import { kvRoutes } from './routes/kv';
import { debugRoutes } from './routes/debug';
import { healthRoutes } from './routes/health';

export interface FollowerAppDeps {
  config: Readonly<FollowerConfig>;
  node: FollowerNode;
  registry: Registry;
  logger: Logger;
}

export function buildFollowerApp({ config, node, registry, logger }: FollowerAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');
  app.use(replicationRoutes(node, config));
  app.use(kvRoutes(node));
  app.use(debugRoutes(node, config.ENABLE_DEBUG));
  app.use(healthRoutes(node, registry));
  app.use(routeNotFound);
  app.use(errorMiddleware(logger));
  return app;
}
