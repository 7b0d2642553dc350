import express from 'express';
import request from 'supertest';
import type { Logger } from 'pino';
import { errorMiddleware } from './errors-middleware';
import { createServer, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { BodyBudget } from './body-budget';
import { jsonBody, type JsonBodyOptions } from './json-body';

const LIMIT = 32;

function app() {
  const a = express();
  a.put('/json', jsonBody(LIMIT), (req, res) => res.json({ body: req.body ?? null }));
  a.use(errorMiddleware({ error: jest.fn() } as unknown as Logger));
  return a;
}

describe('jsonBody', () => {
  // Each case: what was sent, and what the route or the error handler answered.
  test.each([
    {
      why: 'a JSON object is parsed',
      type: 'application/json',
      body: '{"value":1}',
      status: 200,
      expected: { body: { value: 1 } },
    },
    {
      why: 'a JSON scalar is parsed (strict off)',
      type: 'application/json',
      body: '"s"',
      status: 200,
      expected: { body: 's' },
    },
    {
      why: 'the utf-8 charset is accepted',
      type: 'application/json; charset=UTF-8',
      body: '{"v":"é"}',
      status: 200,
      expected: { body: { v: 'é' } },
    },
    {
      why: 'an empty body leaves req.body undefined',
      type: 'application/json',
      body: '',
      status: 200,
      expected: { body: null },
    },
    {
      why: 'bad JSON is a 400',
      type: 'application/json',
      body: '{"value":',
      status: 400,
      expected: { error: 'invalid_json' },
    },
    {
      why: 'another content type is a 415',
      type: 'text/plain',
      body: '{}',
      status: 415,
      expected: { error: 'unsupported_media_type' },
    },
    {
      why: 'another charset is a 415',
      type: 'application/json; charset=latin1',
      body: '{}',
      status: 415,
      expected: { error: 'unsupported_media_type' },
    },
    {
      why: 'a body over the limit is a 413',
      type: 'application/json',
      body: `{"value":"${'x'.repeat(LIMIT)}"}`,
      status: 413,
      expected: { error: 'payload_too_large' },
    },
  ])('$why', async ({ type, body, status, expected }) => {
    const res = await request(app()).put('/json').set('Content-Type', type).send(body);
    expect(res.status).toBe(status);
    expect(res.body).toMatchObject(expected);
  });

  it('refuses a compressed body with 415 instead of failing to read it', async () => {
    const res = await request(app())
      .put('/json')
      .set('Content-Type', 'application/json')
      .set('Content-Encoding', 'gzip')
      .send('{}');
    expect(res.status).toBe(415);
    expect(res.body).toMatchObject({ error: 'unsupported_media_type', definite: true });
  });

  it('answers 413 for a chunked body (no Content-Length) that grows past the limit, after reading it', async () => {
    const { createServer } = await import('node:http');
    const server = createServer(app()).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as { port: number };
      const { request: httpRequest } = await import('node:http');
      const answer = await new Promise<{ status: number; body: unknown }>((resolve, reject) => {
        const req = httpRequest(
          { port, host: '127.0.0.1', method: 'PUT', path: '/json', headers: { 'content-type': 'application/json' } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString()) }),
            );
          },
        );
        req.on('error', reject);
        // Several writes and no Content-Length: node sends it chunked.
        for (let i = 0; i < 8; i++) req.write(i === 0 ? '{"value":"' : 'yyyyyyyyyyyyyyyy');
        req.end('"}');
      });
      expect(answer.status).toBe(413);
      expect(answer.body).toMatchObject({ error: 'payload_too_large', limitBytes: LIMIT });
    } finally {
      server.close();
    }
  });
});

describe('jsonBody options', () => {
  function appWith(options: JsonBodyOptions) {
    const a = express();
    a.put('/json', jsonBody(64, options), (req, res) => res.json({ body: req.body ?? null }));
    a.use(errorMiddleware({ error: jest.fn() } as unknown as Logger));
    return a;
  }

  test.each([
    {
      why: 'an integer beyond 2^53 − 1 is refused when exact numbers are asked',
      body: '{"value":9007199254740993}',
      exactNumbers: true,
      status: 400,
      error: 'invalid_value',
    },
    {
      why: '-0 is refused when exact numbers are asked',
      body: '{"value":-0}',
      exactNumbers: true,
      status: 400,
      error: 'invalid_value',
    },
    {
      why: 'underflow to 0 is refused when exact numbers are asked',
      body: '{"value":1e-400}',
      exactNumbers: true,
      status: 400,
      error: 'invalid_value',
    },
    {
      why: 'without the option the route decides (the follower takes what its leader checked)',
      body: '{"value":-0}',
      exactNumbers: false,
      status: 200,
      error: undefined,
    },
  ])('$why', async ({ body, exactNumbers, status, error }) => {
    const res = await request(appWith({ exactNumbers }))
      .put('/json')
      .set('Content-Type', 'application/json')
      .send(body);
    expect(res.status).toBe(status);
    expect(res.body.error).toBe(error);
  });

  it('refuses invalid UTF-8 with 400 instead of storing U+FFFD', async () => {
    // Sent with node:http: supertest would serialise a Buffer as JSON.
    const server = createServer(appWith({})).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as { port: number };
      const body = Buffer.from([0x7b, 0x22, 0x76, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]); // {"v":"\xff"}
      const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
        const req = httpRequest(
          { port, host: '127.0.0.1', method: 'PUT', path: '/json', headers: { 'content-type': 'application/json' } },
          (res) => {
            let text = '';
            res.on('data', (d: Buffer) => (text += d.toString()));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.text)).toMatchObject({ error: 'invalid_utf8' });
    } finally {
      server.close();
    }
  });

  it('answers 429 with Retry-After, before reading, when the bodies in flight would exceed the budget', async () => {
    const budget = new BodyBudget(100);
    expect(budget.tryReserve(90)).toBe(true); // another request is reading 90 bytes
    const res = await request(appWith({ budget, retryAfterS: 2 }))
      .put('/json')
      .set('Content-Type', 'application/json')
      .send('{"value":"0123456789abcdef"}');
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('2');
    expect(res.body).toMatchObject({ error: 'too_many_bodies', maxBodyBytesInFlight: 100 });
    expect(budget.inFlightBytes).toBe(90); // the refused request reserved nothing
  });

  it('gives back what a body reserved once it is parsed', async () => {
    const budget = new BodyBudget(100);
    const res = await request(appWith({ budget })).put('/json').set('Content-Type', 'application/json').send('{"a":1}');
    expect(res.status).toBe(200);
    expect(budget.inFlightBytes).toBe(0);
  });

  it('drops a body that stops arriving with 408 after the body timeout, and frees its reservation', async () => {
    const budget = new BodyBudget(1000);
    const server = createServer(appWith({ budget, bodyTimeoutMs: 50 })).listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as { port: number };
      const socket = connect(port, '127.0.0.1');
      // Declares 40 bytes and sends 10: the rest never comes.
      socket.write(
        'PUT /json HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n{"value":',
      );
      const answer = await new Promise<string>((resolve) => {
        let text = '';
        socket.on('data', (d: Buffer) => (text += d.toString()));
        socket.on('close', () => resolve(text));
      });
      expect(answer).toMatch(/^HTTP\/1\.1 408/);
      expect(answer).toMatch(/connection: close/i);
      expect(answer).toContain('"error":"request_timeout"');
      expect(budget.inFlightBytes).toBe(0);
    } finally {
      server.close();
    }
  });
});
