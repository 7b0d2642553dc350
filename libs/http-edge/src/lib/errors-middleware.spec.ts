import express, { type ErrorRequestHandler } from 'express';
import request from 'supertest';
import { ApiError } from '@quorum-kv/replication-protocol';
import { errorMiddleware, methodNotAllowed, routeNotFound } from './errors-middleware';
import { jsonBody } from './json-body';
import type { Logger } from './logger';

/** An app whose `/throw` route fails with whatever the test gives it. */
function appThrowing(error: unknown) {
  const logger = { error: jest.fn() };
  const app = express();
  app.get('/throw', () => {
    throw error;
  });
  app.get('/next', (_req, _res, next) => next(error));
  app.put('/json', jsonBody(64), (req, res) => res.json({ body: req.body }));
  app.all('/only-get', methodNotAllowed(['GET', 'HEAD']));
  app.use(routeNotFound);
  app.use(errorMiddleware(logger as unknown as Logger));
  return { app, logger };
}

/** What `appThrowing(error)` answers to `method path`, and how many errors it logged. */
async function answerOf(error: unknown, method: 'get' | 'post' | 'delete', path: string) {
  const { app, logger } = appThrowing(error);
  const res = await request(app)[method](path);
  return { status: res.status, body: res.body as unknown, loggedErrors: logger.error.mock.calls.length };
}

describe('errorMiddleware', () => {
  it('answers an ApiError with its catalogue status and its body', async () => {
    const error = new ApiError('quorum_timeout', 'only 1 of 2 acks', { lsn: 7, acks: 1, w: 2 });
    expect(await answerOf(error, 'get', '/throw')).toEqual({
      status: 504,
      body: { error: 'quorum_timeout', message: 'only 1 of 2 acks', definite: false, lsn: 7, acks: 1, w: 2 },
      loggedErrors: 0, // known errors are answers, not incidents
    });
  });

  it('does the same for errors passed to next()', async () => {
    const { app } = appThrowing(new ApiError('not_found', 'no key "a"', { key: 'a' }));
    const res = await request(app).get('/next');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: 'not_found', key: 'a' });
  });

  // Real failures of the JSON body reader, end to end.
  test.each([
    { name: 'bad JSON', contentType: 'application/json', body: '{"a":', status: 400, error: 'invalid_json' },
    {
      name: 'over the limit (64 bytes)',
      contentType: 'application/json',
      body: JSON.stringify({ a: 'x'.repeat(100) }),
      status: 413,
      error: 'payload_too_large',
    },
    {
      name: 'unsupported charset',
      contentType: 'application/json; charset=latin1',
      body: '{}',
      status: 415,
      error: 'unsupported_media_type',
    },
    { name: 'not JSON', contentType: 'text/plain', body: '{}', status: 415, error: 'unsupported_media_type' },
  ])('jsonBody: $name → $status', async ({ contentType, body, status, error }) => {
    const { app } = appThrowing(new Error('unused'));
    const res = await request(app).put('/json').set('Content-Type', contentType).send(body);
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject({ error });
  });

  it('jsonBody accepts any JSON value (not only objects)', async () => {
    const { app } = appThrowing(new Error('unused'));
    const res = await request(app).put('/json').set('Content-Type', 'application/json').send('"just a string"');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ body: 'just a string' });
  });

  // Unknown errors: a plain, indefinite 500 that says nothing of the cause; the log says it all.
  test.each([
    { name: 'an Error', error: new TypeError('secret detail: cannot read x of undefined') },
    { name: 'a thrown string', error: 'secret detail in a string' },
    { name: 'an object with an unknown type and a 5xx status', error: { type: 'secret.detail', status: 502 } },
  ])('answers $name with a logged 500 and no detail', async ({ error }) => {
    const { app, logger } = appThrowing(error);
    const res = await request(app).get('/throw');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: 'internal', message: 'internal error', definite: false });
    expect(res.text).not.toMatch(/secret|stack|at .+:\d+/);
    expect(logger.error).toHaveBeenCalledTimes(1);
    expect(logger.error).toHaveBeenCalledWith(
      expect.objectContaining({ method: 'GET', url: '/throw' }),
      'unhandled error',
    );
    expect(logger.error.mock.calls[0][0].err).toBe(error);
  });

  it('leaves an error after the headers went out to express (it can only close the socket)', async () => {
    const logger = { error: jest.fn() };
    const app = express();
    let seenByNext: unknown;
    app.get('/half', (_req, res, next) => {
      res.write('partial');
      next(new Error('too late'));
    });
    app.use(errorMiddleware(logger as unknown as Logger));
    const after: ErrorRequestHandler = (err, _req, res, _next) => {
      seenByNext = err;
      res.end();
    };
    app.use(after);
    const res = await request(app).get('/half');
    expect(res.status).toBe(200);
    expect((seenByNext as Error).message).toBe('too late');
    expect(logger.error).not.toHaveBeenCalled();
  });
});

describe('routeNotFound and methodNotAllowed', () => {
  it('answers an unknown route with 404 route_not_found naming it', async () => {
    expect(await answerOf(null, 'delete', '/no/such/thing')).toEqual({
      status: 404,
      body: { error: 'route_not_found', message: 'no route for DELETE /no/such/thing', definite: true },
      loggedErrors: 0,
    });
  });

  it('answers a wrong method with 405 and the Allow header', async () => {
    const { app } = appThrowing(null);
    const res = await request(app).post('/only-get');
    expect(res.status).toBe(405);
    expect(res.headers['allow']).toBe('GET, HEAD');
    expect(res.body).toMatchObject({ error: 'method_not_allowed', allowed: ['GET', 'HEAD'], definite: true });
    expect(res.body.message).toContain('POST');
  });
});

describe('errorMiddleware and other 4xx errors', () => {
  // Express's URIError for a broken %-encoding: the client's fault.
  test.each([
    {
      name: 'a URIError with status 400',
      error: Object.assign(new URIError("Failed to decode param '%'"), { status: 400 }),
    },
    { name: 'an unknown-type error with status 400', error: { status: 400, message: 'incorrect header check' } },
  ])('answers $name with a definite 400 invalid_request, not logged as an error', async ({ error }) => {
    const { app, logger } = appThrowing(error);
    const res = await request(app).get('/throw');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_request', definite: true });
    expect(logger.error).not.toHaveBeenCalled();
  });
});

describe('errorMiddleware with a body no route read', () => {
  // 4 MiB: many reads, well past socket buffers. Chunked has no length to judge by: it is drained as it comes.
  it.each([
    { framing: 'content-length', headers: { 'content-length': String(4 * 1024 * 1024) } },
    { framing: 'chunked', headers: { 'transfer-encoding': 'chunked' } },
  ])(
    'reads and drops a $framing body before answering, so a client still sending reads the 404 instead of EPIPE',
    async ({ headers }) => {
      const { createServer, request: httpRequest } = await import('node:http');
      const app = express();
      app.use(routeNotFound);
      app.use(errorMiddleware({ error: jest.fn() } as unknown as Logger));
      const server = createServer(app).listen(0, '127.0.0.1');
      await new Promise((resolve) => server.once('listening', resolve));
      try {
        const { port } = server.address() as { port: number };
        const body = Buffer.alloc(4 * 1024 * 1024, 0x78);
        // Done when the whole body went out and the answer came back; a reset on the way fails it.
        const answer = await new Promise<{ status: number; sentBytes: number }>((resolve, reject) => {
          let status: number | undefined;
          let sentBytes = 0;
          const settle = () => {
            if (status !== undefined && sentBytes === body.length) resolve({ status, sentBytes });
          };
          const req = httpRequest(
            { port, host: '127.0.0.1', method: 'PUT', path: '/nowhere', headers, agent: false },
            (res) => {
              res.resume();
              res.on('end', () => {
                status = res.statusCode ?? 0;
                settle();
              });
            },
          );
          req.on('error', reject);
          // Sent a piece at a time, so the answer is decided while most of the body is still to come.
          const sendFrom = (offset: number) => {
            if (offset >= body.length) return req.end(settle);
            req.write(body.subarray(offset, offset + 65536), (err) => {
              if (err) return reject(err);
              sentBytes = Math.min(body.length, offset + 65536);
              setTimeout(() => sendFrom(offset + 65536), 1);
            });
          };
          sendFrom(0);
        });
        expect(answer).toEqual({ status: 404, sentBytes: body.length });
      } finally {
        server.closeAllConnections();
        server.close();
      }
    },
  );
});
