import express from 'express';
import request from 'supertest';
import type { Logger } from 'pino';
import { errorMiddleware } from './errors-middleware';
import { jsonBody } from './json-body';

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
