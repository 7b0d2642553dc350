import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { answerClientError, exitOnStartupError, serve } from './server';
import type { Logger } from './logger';

describe('exitOnStartupError', () => {
  // Each case: what failed at start-up, and the one line printed before exit(1).
  test.each([
    {
      name: 'an Error',
      error: new Error('invalid configuration: PORT must be 0..65535'),
      line: 'leader: invalid configuration: PORT must be 0..65535\n',
    },
    { name: 'a string', error: 'EADDRINUSE', line: 'follower: EADDRINUSE\n' },
  ])('prints one line for $name and exits 1', ({ error, line }) => {
    const role = line.split(':')[0] as string;
    const exit = jest.spyOn(process, 'exit').mockImplementation((() => undefined) as never);
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      exitOnStartupError(role, error);
      expect(write).toHaveBeenCalledWith(line);
      expect(exit).toHaveBeenCalledWith(1);
    } finally {
      exit.mockRestore();
      write.mockRestore();
    }
  });
});

describe('serve', () => {
  it('listens on the given host, keeps connections alive, and logs one "listening" line', async () => {
    const signalsBefore = { SIGTERM: process.listeners('SIGTERM'), SIGINT: process.listeners('SIGINT') };
    const info = jest.fn();
    const logger = { info } as unknown as Logger;
    const app = express();
    app.get('/ping', (_req, res) => res.json({ pong: true }));
    const server = await serve(app, { port: 0, host: '127.0.0.1', logger });
    try {
      const { port } = server.address() as AddressInfo;
      expect(port).toBeGreaterThan(0);
      expect(server.keepAliveTimeout).toBe(65_000);
      expect(server.headersTimeout).toBeGreaterThan(server.keepAliveTimeout);
      expect(info).toHaveBeenCalledWith({ port, host: '127.0.0.1' }, 'listening');
      const body = await new Promise<string>((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path: '/ping', agent: false }, (res) => {
            let text = '';
            res.on('data', (chunk: Buffer) => (text += chunk.toString()));
            res.on('end', () => resolve(text));
          })
          .on('error', reject);
      });
      expect(JSON.parse(body)).toEqual({ pong: true });
      // It handles SIGTERM and SIGINT itself (node may be PID 1 in a container).
      expect(process.listeners('SIGTERM').length).toBe(signalsBefore.SIGTERM.length + 1);
      expect(process.listeners('SIGINT').length).toBe(signalsBefore.SIGINT.length + 1);
    } finally {
      // Remove only the handlers this test added, then close the server.
      for (const signal of ['SIGTERM', 'SIGINT'] as const) {
        for (const listener of process.listeners(signal)) {
          if (!signalsBefore[signal].includes(listener)) process.removeListener(signal, listener);
        }
      }
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('rejects when the port cannot be taken', async () => {
    const blocker = http.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    const signalsBefore = { SIGTERM: process.listeners('SIGTERM'), SIGINT: process.listeners('SIGINT') };
    try {
      await expect(
        serve(express(), { port, host: '127.0.0.1', logger: { info: jest.fn() } as unknown as Logger }),
      ).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      for (const signal of ['SIGTERM', 'SIGINT'] as const) {
        for (const listener of process.listeners(signal)) {
          if (!signalsBefore[signal].includes(listener)) process.removeListener(signal, listener);
        }
      }
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});

describe('answerClientError', () => {
  const fakeSocket = () => {
    const written: string[] = [];
    return {
      written,
      socket: {
        writable: true,
        end: (text: string) => written.push(text),
        destroy: jest.fn(),
      } as unknown as import('node:stream').Duplex,
    };
  };

  // Node's parser refuses these before express runs; the answer is still a JSON error.
  test.each([
    { code: 'HPE_INVALID_METHOD', status: '400 Bad Request' },
    { code: 'HPE_HEADER_OVERFLOW', status: '431 Request Header Fields Too Large' },
  ])('$code: $status with a JSON body, then the connection closes', ({ code, status }) => {
    const { written, socket } = fakeSocket();
    answerClientError(Object.assign(new Error('parse error'), { code }), socket);
    const [text] = written;
    expect(text).toMatch(new RegExp(`^HTTP/1.1 ${status}\\r\\n`));
    expect(text).toMatch(/connection: close/);
    const body = JSON.parse((text as string).split('\r\n\r\n')[1] as string);
    expect(body).toMatchObject({ error: 'invalid_request', definite: true });
  });
});
