/** The follower process: read config, log, listen, stop on SIGTERM. */
import { createLogger, exitOnStartupError, serve } from '@quorum-kv/http-edge';
import { loadFollowerConfig } from './config';
import { createFollower } from './follower';

async function main(): Promise<void> {
  const config = loadFollowerConfig(process.env);
  const logger = createLogger('follower', config.LOG_LEVEL);
  const { app, node } = createFollower(config, logger);
  await serve(app, { port: config.PORT, host: config.HOST, logger });
  logger.info({ id: node.instanceId }, 'follower ready');
}

main().catch((error) => exitOnStartupError('follower', error));
