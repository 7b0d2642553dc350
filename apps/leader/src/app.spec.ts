import request, { type Response } from 'supertest';
import fc from 'fast-check';
import { FakeClock } from '@quorum-kv/replication-protocol';
import { createLogger } from '@quorum-kv/http-edge';
import { loadLeaderConfig } from './config';
import { createLeader } from './leader';
import { InMemoryTransport, flushMicrotasks, type FollowerMode } from './replication/testing';

const FOLLOWERS = 'http://f1.test:8080,http://f2.test:8080,http://f3.test:8080';
const WALL_START_MS = 1_700_000_000_000;

/** Three followers, W=2 by default, no injected delay, debug on, a 256-byte body limit. */
const BASE_ENV = {
  FOLLOWERS,
  CLUSTER_TOKEN: 'cluster-secret-token',
  DELAY: 'constant:0',
  WRITE_QUORUM: '2',
  REPLICATION_TIMEOUT_MS: '2000',
  ENABLE_DEBUG: 'true',
  LOG_LEVEL: 'silent',
  MAX_BODY_BYTES: '256',
};

/** The leader as `createLeader` wires it, with a fake clock and in-memory followers. */
function buildLeader(env: Record<string, string> = {}, mode: FollowerMode = 'auto') {
  const config = loadLeaderConfig({ ...BASE_ENV, ...env });
  const clock = new FakeClock();
  // Every follower answers the recovery at start-up; then each takes the mode the test asked for.
  const transport = new InMemoryTransport(config.FOLLOWERS.length, clock, 'auto');
  const wallClockMs = () => WALL_START_MS + clock.now();
  const { app, coordinator } = createLeader(config, createLogger('leader', 'silent'), {
    transport,
    clock,
    wallClockMs,
  });
  // createLeader makes a real leader, which recovers before it serves: from empty followers, at epoch 1.
  void coordinator.startRecovery().then(() => {
    if (mode !== 'auto') config.FOLLOWERS.forEach((_, i) => transport.setMode(i, mode));
  });
  return { app, config, clock, transport, coordinator };
}

type Leader = ReturnType<typeof buildLeader>;

/** What a rejected request must leave untouched: the log and the state. */
const storeOf = ({ coordinator }: Leader) => ({
  lastLsn: coordinator.log.lastLsn,
  appliedLsn: coordinator.state.appliedLsn,
  snapshot: coordinator.state.snapshot(),
  sent: 0,
});

/** Every error is JSON `{error, message, definite, ...}` and never carries a stack trace. */
function expectErrorBody(res: Response, status: number, code: string): void {
  expect({ status: res.status, error: res.body?.error }).toEqual({ status, error: code });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(typeof res.body.message).toBe('string');
  expect(res.body.message.length).toBeGreaterThan(0);
  expect(typeof res.body.definite).toBe('boolean');
  expect(res.body).not.toHaveProperty('stack');
  expect(res.text).not.toMatch(/\bat .+:\d+:\d+/); // no stack frame anywhere
  expect(res.text).not.toMatch(/node_modules|\.ts:\d/);
}

/** Polls (real time, a few ms) until the app has done something asynchronous. */
async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`gave up waiting for ${what}`);
}

/** Starts a request without awaiting it (supertest sends on `then`). */
const start = (test: request.Test): Promise<Response> => test.then((res) => res);

describe('leader app: the client API', () => {
  let leader: Leader;
  beforeEach(() => {
    leader = buildLeader();
  });

  it('PUT answers {key, lsn, w, acks, ackMode} and GET reads it back', async () => {
    const put = await request(leader.app)
      .put('/kv/user:42')
      .send({ value: { name: 'ada', tags: [1, 2] } });
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ key: 'user:42', lsn: 1, epoch: 1, w: 2, acks: 2, ackMode: 'received' });
    const get = await request(leader.app).get('/kv/user:42');
    expect(get.status).toBe(200);
    expect(get.body).toEqual({ key: 'user:42', value: { name: 'ada', tags: [1, 2] }, lsn: 1 });
    // Every follower got it (W=2 answered; nothing cancelled).
    for (let i = 0; i < 3; i++) expect(leader.transport.applier(i).state.get('user:42')?.lsn).toBe(1);
  });

  it('stores any JSON value, null and scalars included', async () => {
    const values = [null, 0, -1.5, '', 'text', true, false, [], {}, [null, [{}]]];
    for (const [i, value] of values.entries()) {
      const put = await request(leader.app).put(`/kv/v${i}`).send({ value });
      expect(put.status).toBe(200);
      const get = await request(leader.app).get(`/kv/v${i}`);
      expect(get.body).toEqual({ key: `v${i}`, value, lsn: i + 1 });
    }
  });

  it('takes W from ?w=, from X-Write-Quorum, or both when they agree, and ack mode from ?ack=', async () => {
    const cases: Array<{ path: string; header?: string; want: { w: number; acks: number; ackMode: string } }> = [
      // The configured default (WRITE_QUORUM=2).
      { path: '/kv/a', want: { w: 2, acks: 2, ackMode: 'received' } },
      // Query only.
      { path: '/kv/a?w=3', want: { w: 3, acks: 3, ackMode: 'received' } },
      // Header only.
      { path: '/kv/a', header: '1', want: { w: 1, acks: 1, ackMode: 'received' } },
      // Both, equal.
      { path: '/kv/a?w=3', header: '3', want: { w: 3, acks: 3, ackMode: 'received' } },
      // The applied ack mode per request.
      { path: '/kv/a?w=1&ack=applied', want: { w: 1, acks: 1, ackMode: 'applied' } },
      // The flushed ack mode per request (followers without DATA_DIR answer it as received).
      { path: '/kv/a?w=2&ack=flushed', want: { w: 2, acks: 2, ackMode: 'flushed' } },
    ];
    for (const { path, header, want } of cases) {
      const req = request(leader.app).put(path).send({ value: 1 });
      const res = await (header === undefined ? req : req.set('X-Write-Quorum', header));
      expect({ path, header, status: res.status, ...res.body }).toMatchObject({ path, header, status: 200, ...want });
    }
  });

  it('DELETE replicates a tombstone; GET is then 404', async () => {
    await request(leader.app).put('/kv/gone').send({ value: 'x' });
    const del = await request(leader.app).delete('/kv/gone?w=3');
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ key: 'gone', lsn: 2, epoch: 1, w: 3, acks: 3, ackMode: 'received', deleted: true });
    const get = await request(leader.app).get('/kv/gone');
    expectErrorBody(get, 404, 'not_found');
    expect(get.body).toMatchObject({ key: 'gone', definite: true });
    for (let i = 0; i < 3; i++) expect(leader.transport.applier(i).state.get('gone')).toBeUndefined();
  });

  it('GET of a key never written is 404 not_found', async () => {
    const res = await request(leader.app).get('/kv/never');
    expectErrorBody(res, 404, 'not_found');
  });

  it('?trace=1 adds the drawn delays, the acking followers (1-based) and the quorum time', async () => {
    // Follower delays 5, 20, 40 ms: W=2 is met by followers 1 and 2 at 20 ms.
    const traced = buildLeader({ DELAY: 'constant:5;2=constant:20;3=constant:40' });
    const pending = start(request(traced.app).put('/kv/t?trace=1').send({ value: 1 }));
    await until(() => traced.coordinator.inFlightWrites === 1, 'the write to start');
    for (let ms = 0; ms < 40; ms++) {
      traced.clock.advance(1);
      await flushMicrotasks();
    }
    const res = await pending;
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      key: 't',
      lsn: 1,
      epoch: 1,
      w: 2,
      acks: 2,
      ackMode: 'received',
      quorumMs: 20,
      leaderMs: expect.any(Number),
      ackedFollowers: [1, 2],
      delaysMs: [5, 20, 40],
    });
    // leaderMs is measured on the real clock from the request's arrival: never negative.
    expect(res.body.leaderMs).toBeGreaterThanOrEqual(0);
    // Without trace the answer stays small.
    const plain = request(traced.app).put('/kv/u').send({ value: 1 });
    const plainPending = start(plain);
    await until(() => traced.coordinator.inFlightWrites === 1, 'the second write');
    for (let ms = 0; ms < 40; ms++) {
      traced.clock.advance(1);
      await flushMicrotasks();
    }
    expect(Object.keys((await plainPending).body).sort()).toEqual(['ackMode', 'acks', 'epoch', 'key', 'lsn', 'w']);
  });
});

describe('leader app: the plain GET|PUT /kv/<key> served before the router', () => {
  // Supertest sends `Content-Type: application/json`: served before express's router. A charset
  // in capitals or an encoded key takes express's router: each pair must answer alike.
  const headersOf = (res: Response) => {
    const { date: _date, ...rest } = res.headers as Record<string, string>;
    return rest;
  };
  const cases: Array<{
    name: string;
    hot: (app: Leader['app']) => request.Test;
    routed: (app: Leader['app']) => request.Test;
  }> = [
    {
      name: 'a PUT',
      hot: (app) => request(app).put('/kv/a?w=3').set('Content-Type', 'application/json').send('{"value":[1,"x"]}'),
      routed: (app) =>
        request(app)
          .put('/kv/%61?w=3')
          .set('Content-Type', 'application/json; charset=UTF-8')
          .send('{"value":[1,"x"]}'),
    },
    {
      name: 'a refused W',
      hot: (app) => request(app).put('/kv/a?w=9').set('Content-Type', 'application/json').send('{"value":1}'),
      routed: (app) => request(app).put('/kv/%61?w=9').set('Content-Type', 'application/json').send('{"value":1}'),
    },
    {
      name: 'a refused body',
      hot: (app) => request(app).put('/kv/a').set('Content-Type', 'application/json').send('{"value":1,"x":2}'),
      routed: (app) => request(app).put('/kv/%61').set('Content-Type', 'application/json').send('{"value":1,"x":2}'),
    },
    {
      name: 'a GET of a missing key',
      hot: (app) => request(app).get('/kv/a'),
      routed: (app) => request(app).get('/kv/%61'),
    },
  ];
  test.each(cases)('$name: the same status, headers and body either way', async ({ hot, routed }) => {
    const [first, second] = [buildLeader(), buildLeader()];
    const [viaHot, viaRouter] = [await hot(first.app), await routed(second.app)];
    expect(viaHot.status).toBe(viaRouter.status);
    expect(headersOf(viaHot)).toEqual(headersOf(viaRouter));
    expect(viaHot.body).toEqual(viaRouter.body);
    expect(first.coordinator.log.lastLsn).toBe(second.coordinator.log.lastLsn);
  });

  it('answers an unexpected failure with a plain 500, as the router does, and keeps serving', async () => {
    const leader = buildLeader();
    await request(leader.app).put('/kv/a').send({ value: 1 });
    const state = leader.coordinator.state;
    const realGet = state.get.bind(state);
    state.get = () => {
      throw new Error('boom at /secret/path.ts:1:2');
    };
    for (const path of ['/kv/a', '/kv/%61']) {
      const res = await request(leader.app).get(path);
      expectErrorBody(res, 500, 'internal');
      expect(res.text).not.toContain('boom');
    }
    state.get = realGet;
    expect((await request(leader.app).get('/kv/a')).body).toMatchObject({ key: 'a', value: 1 });
  });

  it('answers 503 with Retry-After while recovering, as the router does', async () => {
    // Not told to recover: it stays recovering.
    const config = loadLeaderConfig(BASE_ENV);
    const clock = new FakeClock();
    const { app } = createLeader(config, createLogger('leader', 'silent'), {
      transport: new InMemoryTransport(config.FOLLOWERS.length, clock, 'auto'),
      clock,
      wallClockMs: () => WALL_START_MS,
    });
    const hot = await request(app).put('/kv/a').send({ value: 1 });
    const routed = await request(app).put('/kv/%61').set('Content-Type', 'application/json').send('{"value":1}');
    for (const res of [hot, routed, await request(app).get('/kv/a')]) {
      expectErrorBody(res, 503, 'recovering');
      expect(res.headers['retry-after']).toBe('1');
    }
  });
});

describe('leader app: bad input is a 4xx JSON error and changes nothing', () => {
  const deep = (levels: number): unknown => (levels === 0 ? 1 : [deep(levels - 1)]);
  // A request of each method; a PUT carries {"value":1} unless a body is given.
  const put = (path: string, body = '{"value":1}') => ({ method: 'put' as const, path, body });
  const del = (path: string) => ({ method: 'delete' as const, path });
  const get = (path: string) => ({ method: 'get' as const, path });
  interface BadRequest {
    name: string;
    method: 'put' | 'delete' | 'get';
    path: string;
    body?: string;
    contentType?: string;
    headers?: Record<string, string | string[]>;
  }
  /** Requests the leader must refuse with `status` and `error`, before anything is written. */
  const refused = (status: number, error: string, requests: BadRequest[]) =>
    requests.map((r) => ({ ...r, status, error }));
  const cases = [
    // Keys: only letters, digits and _ . : ~ -, 1..256 characters.
    ...refused(400, 'invalid_key', [
      { name: 'key with a space', ...put('/kv/a%20b') },
      { name: 'key with a slash (encoded)', ...put('/kv/a%2Fb') },
      { name: 'key with a non-ASCII letter', ...put('/kv/caf%C3%A9') },
      { name: 'key of 257 characters', ...put(`/kv/${'k'.repeat(257)}`) },
      { name: 'key with a quote, on DELETE', ...del('/kv/a%22b') },
      { name: 'key with a star, on GET', ...get('/kv/a*b') },
    ]),
    // Bodies: exactly {"value": <JSON>}.
    ...refused(400, 'invalid_value', [
      { name: 'missing value', ...put('/kv/a', '{}') },
      { name: 'misspelt field', ...put('/kv/a', '{"valeu":1}') },
      { name: 'extra field', ...put('/kv/a', '{"value":1,"ttl":5}') },
      { name: '__proto__ beside value', ...put('/kv/a', '{"value":1,"__proto__":{"x":1}}') },
      { name: 'body is an array', ...put('/kv/a', '[{"value":1}]') },
      { name: 'body is a string', ...put('/kv/a', '"value"') },
      { name: 'body is null', ...put('/kv/a', 'null') },
      { name: 'body is a number', ...put('/kv/a', '42') },
      { name: 'empty JSON body', ...put('/kv/a', '') },
      { name: 'value nested 65 deep', ...put('/kv/a', JSON.stringify({ value: deep(65) })) },
      // Values are stored exactly or refused, never rounded.
      { name: 'integer beyond 2^53 − 1', ...put('/kv/a', '{"value":9007199254740993}') },
      { name: 'negative integer beyond −(2^53 − 1)', ...put('/kv/a', '{"value":[-9007199254740993]}') },
      { name: 'negative zero', ...put('/kv/a', '{"value":{"x":-0}}') },
      { name: 'a number that underflows to 0', ...put('/kv/a', '{"value":1e-400}') },
    ]),
    // JSON itself.
    ...refused(400, 'invalid_json', [
      { name: 'truncated JSON', ...put('/kv/a', '{"value":') },
      { name: 'single quotes', ...put('/kv/a', "{'value':1}") },
      { name: 'trailing garbage', ...put('/kv/a', '{"value":1} x') },
    ]),
    // Content type and size.
    ...refused(415, 'unsupported_media_type', [
      { name: 'text/plain', ...put('/kv/a'), contentType: 'text/plain' },
      { name: 'form encoded', ...put('/kv/a', 'value=1'), contentType: 'application/x-www-form-urlencoded' },
      { name: 'no body and no content type', method: 'put' as const, path: '/kv/a' },
      { name: 'JSON in Latin-1', ...put('/kv/a'), contentType: 'application/json; charset=latin1' },
      { name: 'unknown content encoding', ...put('/kv/a'), headers: { 'Content-Encoding': 'x-custom' } },
    ]),
    ...refused(413, 'payload_too_large', [
      { name: 'body over MAX_BODY_BYTES (256)', ...put('/kv/a', JSON.stringify({ value: 'x'.repeat(300) })) },
    ]),
    // The quorum: one integer in 1..3 (three followers), query and header agreeing.
    ...refused(400, 'invalid_quorum', [
      { name: 'w=0', ...put('/kv/a?w=0') },
      { name: 'w above the follower count', ...put('/kv/a?w=4') },
      { name: 'w negative', ...put('/kv/a?w=-1') },
      { name: 'w not an integer', ...put('/kv/a?w=1.5') },
      { name: 'w a word', ...put('/kv/a?w=all') },
      { name: 'w empty', ...put('/kv/a?w=') },
      { name: 'w with spaces', ...put('/kv/a?w=%202') },
      { name: 'w given twice', ...put('/kv/a?w=1&w=2') },
      { name: 'w given twice, same value', ...put('/kv/a?w=2&w=2') },
      { name: 'header out of range', ...put('/kv/a'), headers: { 'X-Write-Quorum': '9' } },
      { name: 'header twice', ...put('/kv/a'), headers: { 'X-Write-Quorum': ['1', '2'] } },
      { name: 'query and header disagree', ...put('/kv/a?w=1'), headers: { 'X-Write-Quorum': '2' } },
      { name: 'bad w on DELETE', ...del('/kv/a?w=7') },
    ]),
    // The ack mode: one of the known ones. Array-style parameters would be ignored and the
    // default used: refused instead.
    ...refused(400, 'invalid_request', [
      { name: 'unknown ack mode', ...put('/kv/a?ack=fsync') },
      { name: 'ack mode given twice', ...del('/kv/a?ack=received&ack=applied') },
      { name: 'w[] (array-style)', ...put('/kv/a?w[]=2') },
      { name: 'ack[] (array-style)', ...del('/kv/a?ack[]=x') },
      { name: 'w%5B%5D (array-style, encoded)', ...del('/kv/a?w%5B%5D=2') },
      // PUTs take the hot path unless the query has a bracket, plain or encoded in either case.
      { name: 'w%5B%5D on PUT (encoded)', ...put('/kv/a?w%5B%5D=2') },
      { name: 'w%5b%5d on PUT (encoded, lower case)', ...put('/kv/a?w%5b%5d=2') },
      { name: 'ack[0] on PUT (index style)', ...put('/kv/a?ack[0]=received') },
    ]),
    // Strict routing: a path differing in case or by a trailing slash is another path.
    ...refused(404, 'route_not_found', [
      { name: 'path in another case', ...put('/KV/a') },
      { name: 'path with a trailing slash', ...del('/kv/a/') },
    ]),
  ];

  test.each(cases)('$name → $status $error', async ({ method, path, body, contentType, headers, status, error }) => {
    const leader = buildLeader();
    // One good write first, so "unchanged" is checked against a non-empty store.
    await request(leader.app).put('/kv/a').send({ value: 'before' });
    const before = storeOf(leader);
    const sentBefore = leader.transport.sent.length;
    let req = request(leader.app)[method](path);
    // An array sends the header once per element (superagent's types allow that for Cookie only).
    for (const [name, value] of Object.entries(headers ?? {})) req = req.set(name, value as string);
    if (body !== undefined) req = req.set('Content-Type', contentType ?? 'application/json').send(body);
    const res = await req;
    expectErrorBody(res, status, error);
    expect(res.body.definite).toBe(true);
    expect(storeOf(leader)).toEqual(before);
    expect(leader.transport.sent.length).toBe(sentBefore); // nothing replicated either
  });

  it('413 names the limit', async () => {
    const leader = buildLeader();
    const res = await request(leader.app)
      .put('/kv/a')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ value: 'x'.repeat(300) }));
    expect(res.body).toMatchObject({ error: 'payload_too_large', limitBytes: 256 });
  });

  it('accepts a body of exactly MAX_BODY_BYTES', async () => {
    const leader = buildLeader();
    const body = JSON.stringify({ value: 'x'.repeat(256 - '{"value":""}'.length) });
    expect(Buffer.byteLength(body)).toBe(256);
    const res = await request(leader.app).put('/kv/a').set('Content-Type', 'application/json').send(body);
    expect(res.status).toBe(200);
  });

  // Routes and methods.
  test.each([
    // Paths no route serves.
    { name: 'unknown path', method: 'get', path: '/nope', status: 404, error: 'route_not_found', allow: undefined },
    { name: 'no key', method: 'get', path: '/kv/', status: 404, error: 'route_not_found', allow: undefined },
    {
      name: 'key with a path below it',
      method: 'get',
      path: '/kv/a/b',
      status: 404,
      error: 'route_not_found',
      allow: undefined,
    },
    {
      name: 'replication endpoint on the leader',
      method: 'post',
      path: '/replication/entries',
      status: 404,
      error: 'route_not_found',
      allow: undefined,
    },
    // Known paths, wrong method: 405 with Allow.
    {
      name: 'POST /kv/:key',
      method: 'post',
      path: '/kv/a',
      status: 405,
      error: 'method_not_allowed',
      allow: 'GET, PUT, DELETE',
    },
    {
      name: 'PATCH /kv/:key',
      method: 'patch',
      path: '/kv/a',
      status: 405,
      error: 'method_not_allowed',
      allow: 'GET, PUT, DELETE',
    },
    {
      name: 'DELETE /status',
      method: 'delete',
      path: '/status',
      status: 405,
      error: 'method_not_allowed',
      allow: 'GET',
    },
  ] as const)('$name → $status', async ({ method, path, status, error, allow }) => {
    const leader = buildLeader();
    const before = storeOf(leader);
    const res = await request(leader.app)[method](path).set('Content-Type', 'application/json').send('{"value":1}');
    expectErrorBody(res, status, error);
    expect(res.headers['allow']).toBe(allow);
    expect(storeOf(leader)).toEqual(before);
  });
});

describe('leader app: quorum failures are indefinite and keep the write', () => {
  it('answers 504 quorum_timeout at REPLICATION_TIMEOUT_MS, and the write stays readable', async () => {
    // The followers never answer; the fake clock jumps to the timeout.
    const leader = buildLeader({ REPLICATION_TIMEOUT_MS: '1500' }, 'manual');
    const pending = start(request(leader.app).put('/kv/slow?w=2').send({ value: 'kept' }));
    await until(() => leader.coordinator.inFlightWrites === 1, 'the write to wait for its quorum');
    leader.transport.unsettled(0)[0]?.answer(); // one ack of the two needed
    await flushMicrotasks();
    leader.clock.advance(1499);
    await flushMicrotasks();
    expect(leader.coordinator.inFlightWrites).toBe(1);
    leader.clock.advance(1);
    const res = await pending;
    expectErrorBody(res, 504, 'quorum_timeout');
    expect(res.body).toMatchObject({ error: 'quorum_timeout', definite: false, key: 'slow', lsn: 1, acks: 1, w: 2 });
    expect(res.body.message).toMatch(/1500 ms/);
    const get = await request(leader.app).get('/kv/slow');
    expect(get.body).toEqual({ key: 'slow', value: 'kept', lsn: 1 });
    // Not rolled back, not cancelled: the late answers still land on the followers.
    for (const rpc of leader.transport.unsettled()) rpc.answer();
    await flushMicrotasks();
    expect(leader.coordinator.isDrained()).toBe(true);
  });

  it('answers 503 quorum_unreachable at once when too many followers fail, and the write stays', async () => {
    const leader = buildLeader({}, 'down');
    const res = await request(leader.app).put('/kv/lonely?w=3').send({ value: 1 });
    expectErrorBody(res, 503, 'quorum_unreachable');
    expect(res.body).toMatchObject({ definite: false, lsn: 1, acks: 0, w: 3 });
    expect((await request(leader.app).get('/kv/lonely')).body).toMatchObject({ value: 1, lsn: 1 });
  });

  it('refuses a write beyond MAX_IN_FLIGHT_WRITES with 429 and writes nothing', async () => {
    const leader = buildLeader({ MAX_IN_FLIGHT_WRITES: '1' }, 'manual');
    const first = start(request(leader.app).put('/kv/one').send({ value: 1 }));
    await until(() => leader.coordinator.inFlightWrites === 1, 'the first write');
    const before = storeOf(leader);
    const second = await request(leader.app).put('/kv/two').send({ value: 2 });
    expectErrorBody(second, 429, 'overloaded');
    expect(second.body).toMatchObject({ definite: true, maxInFlightWrites: 1, retryAfterS: 1 });
    expect(second.headers['retry-after']).toBe('1');
    expect(storeOf(leader)).toEqual(before);
    for (const rpc of leader.transport.unsettled()) rpc.answer();
    expect((await first).status).toBe(200);
  });
});

describe('leader app: MAX_STORE_BYTES', () => {
  it('answers 507 store_full when a put would take the store past its bound, and writes nothing', async () => {
    const leader = buildLeader({ MAX_STORE_BYTES: '1024', MAX_BODY_BYTES: '4096' });
    const putValue = (key: string, value: string) => request(leader.app).put(`/kv/${key}`).send({ value });
    expect((await putValue('a', 'x'.repeat(600))).status).toBe(200);
    const before = storeOf(leader);
    const full = await putValue('b', 'y'.repeat(600));
    expectErrorBody(full, 507, 'store_full');
    expect(full.body).toMatchObject({ definite: true, maxStoreBytes: 1024 });
    expect(storeOf(leader)).toEqual(before);
    // An overwrite of the same key with the same size fits: it replaces its own bytes.
    expect((await putValue('a', 'z'.repeat(600))).status).toBe(200);
  });
});

describe('leader app: exact values', () => {
  it('reads back exactly what it stored, for any JSON a client can send (fast-check, seeded)', async () => {
    const leader = buildLeader({ MAX_BODY_BYTES: '65536' });
    // Values as they survive JSON: no -0, finite numbers. Integers beyond the safe range are
    // refused, so they are left out here (they have their own bad-input cases).
    const value = fc
      .jsonValue({ maxDepth: 4 })
      .map((v) => JSON.parse(JSON.stringify(v)) as unknown)
      .filter((v) => !JSON.stringify(v).match(/(^|[^\d.eE"])-?\d{16,}(?![\d.eE])/));
    await fc.assert(
      fc.asyncProperty(value, async (v) => {
        const put = await request(leader.app).put('/kv/p').send({ value: v });
        expect(put.status).toBe(200);
        const got = await request(leader.app).get('/kv/p');
        expect(got.text).toContain(`"value":${JSON.stringify(v)}`);
        expect(got.body.value).toEqual(v);
      }),
      { seed: 20261202, numRuns: 40 },
    );
  }, 30_000);
});

describe('leader app: status, health, metrics, debug', () => {
  it('/status reports the log and every follower', async () => {
    const leader = buildLeader();
    leader.transport.setMode(2, 'manual'); // follower 3 never answers
    await request(leader.app).put('/kv/a').send({ value: 1 });
    leader.clock.advance(250);
    const res = await request(leader.app).get('/status');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ role: 'leader', lsn: 1, inFlightWrites: 0, drained: false });
    // No DATA_DIR: in memory, and /status says so.
    expect(res.body.storage).toEqual({ persistent: false, dataDir: null, fsync: null, log: null });
    expect(res.body.followers).toHaveLength(3);
    expect(res.body.followers[0]).toMatchObject({
      url: 'http://f1.test:8080',
      ackedLsn: 1,
      lagEntries: 0,
      lagMs: 0,
      state: 'streaming',
    });
    expect(res.body.followers[2]).toMatchObject({
      url: 'http://f3.test:8080',
      ackedLsn: 0,
      lagEntries: 1,
      lagMs: 250,
      state: 'streaming',
    });
    for (const follower of res.body.followers) {
      expect(Object.keys(follower)).toEqual(
        expect.arrayContaining(['url', 'ackedLsn', 'lagEntries', 'lagMs', 'state']),
      );
    }
  });

  it.each([
    { name: 'the configured default W', env: {} as Record<string, string>, w: 2 },
    { name: 'W=1 when WRITE_QUORUM is not set', env: { WRITE_QUORUM: '' }, w: 1 },
  ])('/health says ok, the role and $name, also as the reference study names it', async ({ env, w }) => {
    const res = await request(buildLeader(env).app).get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ ok: true, role: 'leader', lsn: 0, followers: 3, writeQuorum: w, write_quorum: w });
  });

  it('/metrics is Prometheus text with the write histogram, fed by writes', async () => {
    const leader = buildLeader();
    await request(leader.app).put('/kv/a?w=1').send({ value: 1 });
    const res = await request(leader.app).get('/metrics');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toContain('# TYPE quorumkv_write_duration_seconds histogram');
    expect(res.text).toMatch(/^quorumkv_write_duration_seconds_count\{[^}]*w="1"[^}]*outcome="met"[^}]*\} 1$/m);
    expect(res.text).toMatch(/^quorumkv_leader_lsn\{[^}]*\} 1$/m);
    expect(res.text).toMatch(/^quorumkv_replication_lag_entries\{[^}]*follower="http:\/\/f1.test:8080"[^}]*\} 0$/m);
  });

  it('/metrics counts the acks each write had when it settled, across scrapes', async () => {
    const leader = buildLeader();
    const acksTotal = async () => {
      const text = (await request(leader.app).get('/metrics')).text;
      return Number(/^quorumkv_write_acks_total(?:\{[^}]*\})? (\d+)$/m.exec(text)?.[1]);
    };
    expect(await acksTotal()).toBe(0);
    const first = await request(leader.app).put('/kv/a?w=2').send({ value: 1 });
    expect(await acksTotal()).toBe(first.body.acks);
    const second = await request(leader.app).put('/kv/b?w=3').send({ value: 2 });
    expect(await acksTotal()).toBe(first.body.acks + second.body.acks);
  });

  it('honours MAX_LOG_ENTRIES: the log keeps at most that many entries', async () => {
    // The app is wired by createLeader itself, so a limit from the environment reaches the log.
    const leader = buildLeader({ MAX_LOG_ENTRIES: '2' });
    for (const key of ['a', 'b', 'c', 'd', 'e']) await request(leader.app).put(`/kv/${key}`).send({ value: key });
    expect(leader.coordinator.log.lastLsn).toBe(5);
    expect(leader.coordinator.log.length).toBeLessThanOrEqual(leader.config.MAX_LOG_ENTRIES);
  });

  it('/metrics has every label set at zero before the first write: each W and outcome, each follower', async () => {
    const res = await request(buildLeader().app).get('/metrics');
    for (const w of ['1', '2', '3'])
      for (const outcome of ['met', 'timeout', 'unreachable'])
        expect(res.text).toMatch(
          new RegExp(`^quorumkv_write_duration_seconds_count\\{[^}]*w="${w}",outcome="${outcome}"[^}]*\\} 0$`, 'm'),
        );
    for (const follower of FOLLOWERS.split(','))
      for (const name of [
        'quorumkv_replication_rpc_errors_total',
        'quorumkv_catch_up_batches_total',
        'quorumkv_replication_rpc_duration_seconds_count',
        'quorumkv_replication_lag_seconds',
      ])
        expect(res.text).toMatch(
          new RegExp(`^${name}\\{[^}]*follower="${follower.replace(/[/.]/g, '\\$&')}"[^}]*\\} 0$`, 'm'),
        );
    // Recovery at start-up may already have sent a follower the adopted state: the label is there, counted.
    for (const follower of FOLLOWERS.split(','))
      expect(res.text).toMatch(
        new RegExp(
          `^quorumkv_snapshots_sent_total\\{[^}]*follower="${follower.replace(/[/.]/g, '\\$&')}"[^}]*\\} [0-9]+$`,
          'm',
        ),
      );
    expect(res.text).toMatch(/^quorumkv_quorum_timeouts_total\{[^}]*\} 0$/m);
    expect(res.text).toMatch(/^quorumkv_quorum_unreachable_total\{[^}]*\} 0$/m);
  });

  it('/metrics: a quorum timeout counts as a timeout', async () => {
    // The followers never answer; the fake clock jumps to the timeout.
    const leader = buildLeader({ REPLICATION_TIMEOUT_MS: '1500' }, 'manual');
    const pending = start(request(leader.app).put('/kv/slow?w=2').send({ value: 1 }));
    await until(() => leader.coordinator.inFlightWrites === 1, 'the write to wait for its quorum');
    leader.clock.advance(1500);
    expect((await pending).status).toBe(504);
    const text = (await request(leader.app).get('/metrics')).text;
    expect(text).toMatch(/^quorumkv_quorum_timeouts_total\{[^}]*\} 1$/m);
    expect(text).toMatch(/^quorumkv_quorum_unreachable_total\{[^}]*\} 0$/m);
  });

  it('/metrics: an unreachable quorum is not counted as a timeout', async () => {
    const leader = buildLeader({}, 'down');
    expect((await request(leader.app).put('/kv/lonely?w=3').send({ value: 1 })).status).toBe(503);
    const text = (await request(leader.app).get('/metrics')).text;
    expect(text).toMatch(/^quorumkv_quorum_timeouts_total\{[^}]*\} 0$/m);
    expect(text).toMatch(/^quorumkv_quorum_unreachable_total\{[^}]*\} 1$/m);
  });

  it('/debug/store is 404 debug_disabled unless ENABLE_DEBUG', async () => {
    const leader = buildLeader({ ENABLE_DEBUG: 'false' });
    await request(leader.app).put('/kv/a').send({ value: 1 });
    const res = await request(leader.app).get('/debug/store');
    expectErrorBody(res, 404, 'debug_disabled');
    expect(res.text).not.toContain('"a"');
  });

  it('/debug/store gives the applied LSN and the whole map when enabled', async () => {
    const leader = buildLeader();
    await request(leader.app)
      .put('/kv/b')
      .send({ value: [2] });
    await request(leader.app)
      .put('/kv/a')
      .send({ value: { x: 1 } });
    await request(leader.app).delete('/kv/b');
    const res = await request(leader.app).get('/debug/store');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ role: 'leader', lsn: 3, store: { a: { x: 1 } } });
  });
});

describe('leader app: random requests (fast-check, seeded)', () => {
  // Any key, body, content type, method and W: never a 5xx; a refusal changes nothing; a
  // success writes exactly one entry holding what was sent. The seed is printed on failure.
  // Each dimension is mostly valid, so that a good share of requests is accepted too.
  const often = <T, U>(valid: fc.Arbitrary<T>, invalid: fc.Arbitrary<U>) =>
    fc.oneof({ arbitrary: valid, weight: 5 }, { arbitrary: invalid, weight: 1 });
  const anyKey = often(
    fc.stringMatching(/^[A-Za-z0-9_.:~-]{1,12}$/),
    fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 20 }),
      fc.string({ minLength: 250, maxLength: 270, unit: fc.constantFrom('a', '-') }),
    ),
  );
  const body = often(
    fc.jsonValue().map((value) => JSON.stringify({ value })), // the right shape
    fc.oneof(
      fc.jsonValue().map((value) => JSON.stringify(value)), // any JSON
      fc.record({ value: fc.jsonValue(), other: fc.jsonValue() }).map((o) => JSON.stringify(o)), // an extra field
      fc.string({ maxLength: 40 }), // mostly not JSON
    ),
  );
  const quorum = often(
    fc.constantFrom(undefined, undefined, '1', '2', '3'),
    fc.oneof(fc.integer({ min: -1, max: 5 }).map(String), fc.stringMatching(/^[ -~]{0,4}$/)),
  );
  const headerQuorum = often(fc.constant(undefined), quorum);
  const contentType = often(
    fc.constantFrom('application/json', 'application/json; charset=utf-8'),
    fc.constantFrom('text/plain', 'application/json; charset=latin1', 'application/jsonx'),
  );

  it('never answers 5xx, and rejected requests leave the store unchanged', async () => {
    const leader = buildLeader({ MAX_BODY_BYTES: '512' });
    const seen = { accepted: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('put', 'put', 'put', 'delete', 'post'),
        anyKey,
        body,
        contentType,
        quorum,
        headerQuorum,
        async (method, key, text, type, queryW, headerW) => {
          const path = `/kv/${encodeURIComponent(key)}${queryW === undefined ? '' : `?w=${encodeURIComponent(queryW)}`}`;
          const before = storeOf(leader);
          let req = request(leader.app)[method](path);
          if (headerW !== undefined) req = req.set('X-Write-Quorum', headerW);
          if (method !== 'delete') req = req.set('Content-Type', type).send(text);
          const res = await req;
          expect(res.status).toBeLessThan(500);
          expect(res.headers['content-type']).toMatch(/^application\/json/);
          if (res.status !== 200) {
            expect(res.status).toBeGreaterThanOrEqual(400);
            expect(typeof res.body.error).toBe('string');
            expect(typeof res.body.message).toBe('string');
            expect(storeOf(leader)).toEqual(before);
            seen.refused += 1;
            return;
          }
          seen.accepted += 1;
          expect(leader.coordinator.log.lastLsn).toBe(before.lastLsn + 1);
          expect(res.body).toMatchObject({ key, lsn: before.lastLsn + 1 });
          const stored = leader.coordinator.state.get(key);
          if (method === 'delete') expect(stored).toBeUndefined();
          else expect(stored?.value).toEqual((JSON.parse(text) as { value: unknown }).value);
        },
      ),
      { seed: 20_240_611, numRuns: 150 },
    );
    // The generators must reach both paths, or the property says little.
    expect(seen.accepted).toBeGreaterThan(15);
    expect(seen.refused).toBeGreaterThan(15);
    // 300 HTTP requests: 4-7 s with the machine's two cores shared, over jest's 5 s default.
  }, 30_000);
});

describe('leader app: configured limits', () => {
  it('refuses keys over MAX_KEY_LENGTH and values deeper than MAX_VALUE_DEPTH, and writes nothing', async () => {
    const leader = buildLeader({ MAX_KEY_LENGTH: '8', MAX_VALUE_DEPTH: '2' });
    const longKey = await request(leader.app).put('/kv/abcdefghi').send({ value: 1 });
    expectErrorBody(longKey, 400, 'invalid_key');
    expect(longKey.body).toMatchObject({ maxKeyLength: 8 });
    const deep = await request(leader.app)
      .put('/kv/k')
      .send({ value: [[[1]]] });
    expectErrorBody(deep, 400, 'invalid_value');
    expect(leader.coordinator.log.lastLsn).toBe(0);
  });

  it('refuses a MAX_KEY_LENGTH above what followers accept on the wire', () => {
    expect(() => loadLeaderConfig({ ...BASE_ENV, MAX_KEY_LENGTH: '5000' })).toThrow(
      /MAX_KEY_LENGTH: must be at most 4096/,
    );
  });
});
