/** The follower process: read config, log, replay DATA_DIR, listen, stop on SIGTERM (closing the log). */
import { createLogger, diskLogMetrics, exitOnStartupError, serve } from '@quorum-kv/http-edge';
import { loadFollowerConfig } from './config';
import { createFollower } from './follower';
import { openFollowerStorage } from './storage/open-storage';

async function main(): Promise<void> {
  const config = loadFollowerConfig(process.env);
  const logger = createLogger('follower', config.LOG_LEVEL);
  const storage = await openFollowerStorage(config, logger);
  const { app, node, registry } = createFollower(config, logger, storage.node);
  const log = storage.log;
  if (log) diskLogMetrics(registry, () => log.stats());
  await serve(app, {
    port: config.PORT,
    host: config.HOST,
    logger,
    // Writes what is queued and fsyncs it (in every FSYNC mode), then releases DATA_DIR's lock.
    ...(storage.log && { onClosed: () => (storage.log as NonNullable<typeof storage.log>).close() }),
  });
  logger.info({ id: node.instanceId, persistent: storage.log !== undefined }, 'follower ready');
}

main().catch((error) => exitOnStartupError('follower', error));
