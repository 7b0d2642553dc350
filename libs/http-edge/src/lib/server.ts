/**
 * Listening and stopping: `main.ts` of each app calls `serve`, which listens, keeps client
 * connections alive (replication and the bench reuse them), and closes cleanly on SIGTERM or
 * SIGINT (node may be PID 1 in a container, where the default signal handling does nothing).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Express } from 'express';
import type { Logger } from 'pino';

export interface ServeOptions {
  port: number;
  host: string;
  logger: Logger;
  /** Work to stop before the server closes (timers, outgoing connections). */
  onShutdown?: () => void;
}

export function serve(app: Express, options: ServeOptions): Promise<http.Server> {
  const server = http.createServer({ keepAliveTimeout: 65_000, noDelay: true }, app);
  server.headersTimeout = 66_000;
  server.on('clientError', answerClientError);
  const stop = (signal: string) => {
    options.logger.info({ signal }, 'shutting down');
    options.onShutdown?.();
    server.close(() => process.exit(0));
    server.closeAllConnections();
    setTimeout(() => process.exit(0), 2000).unref();
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
