/** The leader process: read config, log, listen, stop on SIGTERM. */
import { createLogger, exitOnStartupError, serve } from '@quorum-kv/http-edge';
import { loadLeaderConfig } from './config';
import { createLeader, systemDependencies } from './leader';
import { openLeaderStorage } from './storage/open-storage';

async function main(): Promise<void> {
  const config = loadLeaderConfig(process.env);
  const logger = createLogger('leader', config.LOG_LEVEL);
  const storage = await openLeaderStorage(config, logger);
  const { app, coordinator } = createLeader(config, logger, systemDependencies(config), storage);
  await serve(app, {
    port: config.PORT,
    host: config.HOST,
    logger,
    onShutdown: () => coordinator.stop(),
    // Writes what is queued and fsyncs it (in every FSYNC mode), then releases DATA_DIR's lock.
    ...(storage.log && { onClosed: () => (storage.log as NonNullable<typeof storage.log>).close() }),
    timeouts: {
      keepAliveTimeoutMs: config.KEEP_ALIVE_TIMEOUT_MS,
      headersTimeoutMs: config.HEADERS_TIMEOUT_MS,
      // The backstop of the body timeout: node drops a request still arriving after both.
      requestTimeoutMs: config.HEADERS_TIMEOUT_MS + config.BODY_TIMEOUT_MS,
    },
  });
  const outside = coordinator.wOutsidePromise;
  if (outside.length > 0) {
    logger.warn(
      { recoveryQuorum: coordinator.recoveryQuorum, followers: config.FOLLOWERS.length, wOutsidePromise: outside },
      `with RECOVERY_QUORUM=${coordinator.recoveryQuorum}, writes at W in {${outside.join(',')}} may be lost with the leader (W + R <= N)`,
    );
  }
  logger.info(
    {
      followers: config.FOLLOWERS.length,
      delay: config.DELAY,
      defaultW: config.WRITE_QUORUM,
      ackMode: config.ACK_MODE,
      recoveryQuorum: coordinator.recoveryQuorum,
      clusterId: coordinator.clusterId,
    },
    'leader listening: recovering',
  );
  await coordinator.startRecovery();
  logger.info({ epoch: coordinator.epoch, lsn: coordinator.log.lastLsn }, 'leader ready');
}

main().catch((error) => exitOnStartupError('leader', error));
