/**
 * Listening and stopping: `main.ts` of each app calls `serve`, which listens, keeps client
 * connections alive (replication and the bench reuse them), and closes cleanly on SIGTERM or
 * SIGINT (node may be PID 1 in a container, where the default signal handling does nothing).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';

export interface ServeOptions {
  port: number;
  host: string;
  logger: Logger;
  /** Work to stop before the server closes (timers, outgoing connections). */
  onShutdown?: () => void;
  /** Work to finish once the server has closed, before the process exits (e.g. flush and close the on-disk log). */
  onClosed?: () => Promise<void>;
  timeouts?: ServerTimeouts;
}

/**
 * How long node's HTTP server waits for a client. Set on purpose, never left to node's
 * defaults (a 300 s request timeout lets a client hold a body buffer for five minutes).
 */
export interface ServerTimeouts {
  /** An idle keep-alive connection is closed after this; above a client's or proxy's own idle timeout, so the server never closes a connection the client is about to reuse. */
  keepAliveTimeoutMs: number;
  /** The request line and headers must have arrived this long after the request began (slowloris). */
  headersTimeoutMs: number;
  /** The whole request, headers and body, must have arrived within this: the backstop of a route's own body timeout. */
  requestTimeoutMs: number;
}

/** What a follower keeps (its only client is the leader, which reuses connections for ever). */
export const DEFAULT_SERVER_TIMEOUTS: Readonly<ServerTimeouts> = Object.freeze({
  keepAliveTimeoutMs: 65_000,
  headersTimeoutMs: 66_000,
  requestTimeoutMs: 300_000,
});

/** How often node checks the headers and request timeouts (its default, 30 s, would let a stalled request live up to 30 s past them). */
const TIMEOUT_CHECK_INTERVAL_MS = 1000;

export function serve(app: http.RequestListener, options: ServeOptions): Promise<http.Server> {
  const timeouts = options.timeouts ?? DEFAULT_SERVER_TIMEOUTS;
  const server = http.createServer(
    {
      keepAliveTimeout: timeouts.keepAliveTimeoutMs,
      headersTimeout: timeouts.headersTimeoutMs,
      requestTimeout: timeouts.requestTimeoutMs,
      connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
      noDelay: true,
    },
    app,
  );
  server.on('clientError', answerClientError);
  const stop = (signal: string) => {
    options.logger.info({ signal }, 'shutting down');
    options.onShutdown?.();
    const exit = (code: number) => process.exit(code);
    server.close(() => {
      const closing = options.onClosed?.() ?? Promise.resolve();
      closing.then(
        () => exit(0),
        (error: unknown) => {
          options.logger.error({ err: error }, 'closing failed');
          exit(1);
        },
      );
    });
    server.closeAllConnections();
    // A backstop: whatever hangs, the process is gone within a few seconds.
    setTimeout(() => exit(0), options.onClosed ? 10_000 : 2000).unref();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      const { port } = server.address() as AddressInfo;
      // One machine-readable line: the process runtime of the bench waits for it.
      options.logger.info({ port, host: options.host }, 'listening');
      resolve(server);
    });
  });
}

/**
 * Requests node's own HTTP parser refuses before express sees them (unknown method, headers
 * too large, ambiguous framing): a JSON error like every other, then the connection closes.
 */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable || (socket as Duplex & { _httpMessage?: unknown })._httpMessage) {
    socket.destroy();
    return;
  }
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request';
  const body = JSON.stringify({
    error: 'invalid_request',
    message: tooLarge ? 'the request line or headers are too large' : 'the request could not be parsed as HTTP/1.1',
    definite: true,
  });
  socket.end(
    `HTTP/1.1 ${status}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
  );
}

/** Prints a one-line reason and exits: for failures before the server is up. */
export function exitOnStartupError(role: string, error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`${role}: ${message}\n`);
  process.exit(1);
}

/** The one line a node prints when its log in DATA_DIR fails under it, then exit 1 (the log refuses everything from then on). */
export function exitOnStorageFailure(role: string, error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  return exitOnStartupError(role, new Error(`stopping: the log in DATA_DIR failed (${String(code)}): ${message}`));
}
