/** Builds the follower's express app from its parts; never listens. */
import type { Express } from 'express';
import type { Registry } from 'prom-client';
import { buildExpressApp, type Logger } from '@quorum-kv/http-edge';
import type { FollowerConfig } from './config';
import type { FollowerNode } from './follower-node';
import { replicationRoutes } from './routes/replication';
import { replicationStreamRoutes } from './routes/replication-stream';
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
  return buildExpressApp(logger, [
    replicationRoutes(node, config),
    replicationStreamRoutes(node, config, logger),
    kvRoutes(node),
    debugRoutes(node, config.ENABLE_DEBUG),
    healthRoutes(node, registry, config),
  ]);
}
