import express from 'express';
import request from 'supertest';
import { errorMiddleware } from './errors-middleware';
import { requireClusterToken, tokenMatches } from './cluster-auth';
import type { Logger } from './logger';

describe('tokenMatches', () => {
  // Each case: a presented token against the expected one; only an exact match passes.
  test.each([
    { name: 'identical', presented: 'cluster-secret', expected: 'cluster-secret', want: true },
    { name: 'unicode identical', presented: 'clé-secrète-✓', expected: 'clé-secrète-✓', want: true },
    { name: 'one character differs', presented: 'cluster-secreT', expected: 'cluster-secret', want: false },
    { name: 'a prefix of it', presented: 'cluster-secre', expected: 'cluster-secret', want: false },
    { name: 'longer than it', presented: 'cluster-secret ', expected: 'cluster-secret', want: false },
    { name: 'empty', presented: '', expected: 'cluster-secret', want: false },
    { name: 'different case', presented: 'CLUSTER-SECRET', expected: 'cluster-secret', want: false },
    // Lengths differ: timingSafeEqual on raw buffers would throw; digests make it a plain false.
    { name: 'much longer', presented: 'x'.repeat(10_000), expected: 'cluster-secret', want: false },
  ])('$name → $want', ({ presented, expected, want }) => {
    expect(tokenMatches(presented, expected)).toBe(want);
  });
});

describe('requireClusterToken', () => {
  const logger = { error: jest.fn() } as unknown as Logger;
  const app = express();
  let reached = 0;
  app.post('/guarded', requireClusterToken('cluster-secret'), (_req, res) => {
    reached += 1;
    res.json({ ok: true });
  });
  app.use(errorMiddleware(logger));

  // Each case: an Authorization header and whether the handler behind the guard may run.
  test.each([
    { name: 'the right bearer token', authorization: 'Bearer cluster-secret', status: 200 },
    { name: 'no header', authorization: undefined, status: 401 },
    { name: 'wrong token', authorization: 'Bearer cluster-secrets', status: 401 },
    { name: 'Basic scheme', authorization: 'Basic cluster-secret', status: 401 },
    { name: 'token without scheme', authorization: 'cluster-secret', status: 401 },
    { name: 'two spaces after Bearer', authorization: 'Bearer  cluster-secret', status: 401 },
    { name: 'empty token', authorization: 'Bearer ', status: 401 },
  ])('$name → $status', async ({ authorization, status }) => {
    const before = reached;
    let req = request(app).post('/guarded');
    if (authorization !== undefined) req = req.set('Authorization', authorization);
    const res = await req;
    expect(res.status).toBe(status);
    expect(reached - before).toBe(status === 200 ? 1 : 0);
    if (status === 401) expect(res.body).toMatchObject({ error: 'unauthorized', definite: true });
  });
});
