/** The leader process: read config, log, listen, stop on SIGTERM. */
import { createLogger, exitOnStartupError, serve } from '@quorum-kv/http-edge';
import { loadLeaderConfig } from './config';
import { createLeader } from './leader';

async function main(): Promise<void> {
  const config = loadLeaderConfig(process.env);
  const logger = createLogger('leader', config.LOG_LEVEL);
  const { app, coordinator } = createLeader(config, logger);
  await serve(app, {
    port: config.PORT,
    host: config.HOST,
    logger,
    onShutdown: () => coordinator.stop(),
    timeouts: {
      keepAliveTimeoutMs: config.KEEP_ALIVE_TIMEOUT_MS,
      headersTimeoutMs: config.HEADERS_TIMEOUT_MS,
      // The backstop of the body timeout: node drops a request still arriving after both.
      requestTimeoutMs: config.HEADERS_TIMEOUT_MS + config.BODY_TIMEOUT_MS,
    },
  });
  logger.info(
    {
      followers: config.FOLLOWERS.length,
      delay: config.DELAY,
      defaultW: config.WRITE_QUORUM,
      ackMode: config.ACK_MODE,
    },
    'leader ready',
  );
}

main().catch((error) => exitOnStartupError('leader', error));
