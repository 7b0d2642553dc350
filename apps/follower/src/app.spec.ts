import request, { type Response } from 'supertest';
import { clusterIdFromToken, createLogger } from '@quorum-kv/http-edge';
import { expectConfigError } from '@quorum-kv/http-edge/testing';
import type { Entry } from '@quorum-kv/replication-protocol';
import { loadFollowerConfig } from './config';
import { createFollower } from './follower';

const TOKEN = 'cluster-secret-token';
const CLUSTER_ID = clusterIdFromToken(TOKEN);

/** The follower as `createFollower` wires it, with a silent logger. */
function buildFollower(env: Record<string, string> = {}) {
  const config = loadFollowerConfig({
    CLUSTER_TOKEN: TOKEN,
    FOLLOWER_ID: 'f1',
    ENABLE_DEBUG: 'true',
    LOG_LEVEL: 'silent',
    ...env,
  });
  const { app, node } = createFollower(config, createLogger('follower', 'silent'));
  return { app, node, config };
}

type Follower = ReturnType<typeof buildFollower>;

const put = (lsn: number, key = `k${lsn}`, value: unknown = lsn): Entry => ({
  lsn,
  epoch: 1,
  op: 'put',
  key,
  value: value as never,
  leaderTimeMs: 1_000 + lsn,
});
const del = (lsn: number, key: string): Entry => ({ lsn, epoch: 1, op: 'delete', key, leaderTimeMs: 1_000 + lsn });

interface Batch {
  entries: Entry[];
  ackMode?: 'received' | 'applied';
  applyWaitMs?: number;
  leaderId?: string;
}

const replicate = (app: Follower['app'], { entries, ackMode = 'received', applyWaitMs, leaderId = 'leader' }: Batch) =>
  request(app)
    .post('/replication/entries')
    .set('Authorization', `Bearer ${TOKEN}`)
    .send({
      leaderId,
      clusterId: CLUSTER_ID,
      epoch: 1,
      ...prevOf(entries),
      ackMode,
      entries,
      ...(applyWaitMs !== undefined && { applyWaitMs }),
    });

/** The (epoch, lsn) before a batch of epoch 1, as the leader names it. */
const prevOf = (entries: Entry[]) => {
  const first = Math.min(...entries.map((e) => e.lsn));
  return { prevLsn: first - 1, prevEpoch: first === 1 ? 0 : 1 };
};

/** What a refused request must leave untouched. */
const storeOf = ({ node }: Follower) => ({
  appliedLsn: node.applier.appliedLsn,
  bufferedCount: node.applier.bufferedCount,
  receivedEntries: node.receivedEntries,
  snapshot: node.applier.state.snapshot(),
});

function expectErrorBody(res: Response, status: number, code: string): void {
  expect({ status: res.status, error: res.body?.error }).toEqual({ status, error: code });
  expect(res.headers['content-type']).toMatch(/^application\/json/);
  expect(typeof res.body.message).toBe('string');
  expect(res.body).not.toHaveProperty('stack');
  expect(res.text).not.toMatch(/\bat .+:\d+:\d+/);
}

/** A 200 answer of epoch 1: everything through `appliedLsn` applied, nothing refused or buffered. */
function expectAllApplied(res: Response, { node }: Follower, appliedLsn: number): void {
  expect(res.status).toBe(200);
  expect(res.body).toEqual({
    followerId: node.instanceId,
    appliedLsn,
    refusedLsns: [],
    bufferedCount: 0,
    epoch: 1,
    appliedEpoch: 1,
  });
}

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`gave up waiting for ${what}`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('follower app: the cluster token', () => {
  // Each case: an Authorization header that must be refused before the body is even read.
  test.each([
    { name: 'no header', authorization: undefined },
    { name: 'wrong token', authorization: 'Bearer not-the-token' },
    { name: 'right token, Basic scheme', authorization: `Basic ${TOKEN}` },
    { name: 'right token, no scheme', authorization: TOKEN },
    { name: 'scheme without token', authorization: 'Bearer ' },
    { name: 'token with a suffix', authorization: `Bearer ${TOKEN}x` },
    { name: 'token prefix only', authorization: `Bearer ${TOKEN.slice(0, -1)}` },
  ])('$name → 401 and nothing stored', async ({ authorization }) => {
    const follower = buildFollower();
    const before = storeOf(follower);
    let req = request(follower.app).post('/replication/entries');
    if (authorization !== undefined) req = req.set('Authorization', authorization);
    const res = await req.send({ leaderId: 'leader', ackMode: 'received', entries: [put(1)] });
    expectErrorBody(res, 401, 'unauthorized');
    expect(storeOf(follower)).toEqual(before);
  });

  it('refuses a bad token before judging the body (401, not 400 or 415)', async () => {
    const follower = buildFollower();
    const res = await request(follower.app)
      .post('/replication/entries')
      .set('Authorization', 'Bearer nope')
      .set('Content-Type', 'text/plain')
      .send('garbage');
    expectErrorBody(res, 401, 'unauthorized');
  });

  it('refuses entries from another leader when ACCEPT_LEADER_ID is set', async () => {
    const follower = buildFollower({ ACCEPT_LEADER_ID: 'leader-a' });
    const refused = await replicate(follower.app, { entries: [put(1)], leaderId: 'leader-b' });
    expectErrorBody(refused, 401, 'unauthorized');
    expect(refused.body.message).toContain('leader-b');
    expect(storeOf(follower)).toMatchObject({ appliedLsn: 0, receivedEntries: 0 });
    const accepted = await replicate(follower.app, { entries: [put(1)], leaderId: 'leader-a' });
    expect(accepted.status).toBe(200);
    expect(follower.node.applier.appliedLsn).toBe(1);
  });
});

describe('follower app: ordered apply', () => {
  it('applies in-order entries at once and answers {followerId, appliedLsn, refusedLsns, bufferedCount}', async () => {
    const follower = buildFollower();
    const res = await replicate(follower.app, { entries: [put(1, 'a', { x: 1 })] });
    expectAllApplied(res, follower, 1);
    expect(follower.node.instanceId).toMatch(/^f1-[0-9a-f]{8}$/);
    expect((await request(follower.app).get('/kv/a')).body).toEqual({ key: 'a', value: { x: 1 }, lsn: 1 });
  });

  it('buffers early entries, shows only the applied prefix, then applies in order when the gap fills', async () => {
    const follower = buildFollower();
    // lsn 3, then 2: both early, both buffered; reads and the debug dump show nothing yet.
    for (const lsn of [3, 2]) {
      const res = await replicate(follower.app, { entries: [put(lsn)] });
      expect(res.body).toMatchObject({ appliedLsn: 0, refusedLsns: [] });
    }
    expect(follower.node.applier.bufferedCount).toBe(2);
    expectErrorBody(await request(follower.app).get('/kv/k3'), 404, 'not_found');
    expect((await request(follower.app).get('/debug/store')).body).toMatchObject({
      role: 'follower',
      lsn: 0,
      store: {},
    });
    // lsn 1 fills the gap: 1, 2, 3 are applied in order.
    const filled = await replicate(follower.app, { entries: [put(1)] });
    expect(filled.body).toMatchObject({ appliedLsn: 3, bufferedCount: 0 });
    expect((await request(follower.app).get('/debug/store')).body).toEqual({
      role: 'follower',
      id: follower.node.instanceId,
      lsn: 3,
      store: { k1: 1, k2: 2, k3: 3 },
    });
  });

  it('applies a shuffled batch in LSN order: later writes win, deletes apply in place', async () => {
    const follower = buildFollower();
    const res = await replicate(follower.app, {
      entries: [put(3, 'a', 'third'), del(2, 'a'), put(1, 'a', 'first'), put(4, 'b', 'x')],
    });
    expect(res.body).toMatchObject({ appliedLsn: 4, bufferedCount: 0 });
    expect((await request(follower.app).get('/kv/a')).body).toEqual({ key: 'a', value: 'third', lsn: 3 });
  });

  it('acks duplicates again and never applies them twice', async () => {
    const follower = buildFollower();
    await replicate(follower.app, { entries: [put(1, 'a', 'v1'), put(2, 'b', 'v2')] });
    await replicate(follower.app, { entries: [put(4, 'd', 'v4')] }); // buffered
    // Resent unchanged: lsn 1 (applied) and lsn 4 (buffered) are stored already, and acked again.
    const again = await replicate(follower.app, { entries: [put(1, 'a', 'v1'), put(4, 'd', 'v4')] });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ appliedLsn: 2, refusedLsns: [], bufferedCount: 1 });
    expect(follower.node.applier.state.snapshot()).toEqual({ a: 'v1', b: 'v2' });
    await replicate(follower.app, { entries: [put(3, 'c', 'v3')] });
    expect(follower.node.applier.state.snapshot()).toEqual({ a: 'v1', b: 'v2', c: 'v3', d: 'v4' });
  });

  it('never acks as a duplicate an entry whose content differs from the one stored at its LSN', async () => {
    // Otherwise whoever sent an LSN first (a forger with the token, another leader) would stand
    // for the entry the real leader counts as stored.
    const follower = buildFollower();
    await replicate(follower.app, { entries: [put(1, 'a', 'v1')] });
    await replicate(follower.app, { entries: [put(3, 'c', 'forged')] }); // buffered
    const again = await replicate(follower.app, { entries: [put(1, 'a', 'changed'), put(3, 'c', 'real')] });
    expect(again.body).toMatchObject({ appliedLsn: 1, refusedLsns: [1, 3], bufferedCount: 0 });
    // The contradicted buffered entry is gone: the real one, resent, is stored and applies.
    await replicate(follower.app, { entries: [put(3, 'c', 'real'), put(2, 'b', 'v2')] });
    expect(follower.node.applier.state.snapshot()).toEqual({ a: 'v1', b: 'v2', c: 'real' });
  });

  it('buffers no further ahead than MAX_BUFFERED_ENTRIES past the next LSN, and always takes the next LSN', async () => {
    const follower = buildFollower({ MAX_BUFFERED_ENTRIES: '2' });
    const full = await replicate(follower.app, { entries: [put(2), put(3), put(4)] });
    expect(full.body).toMatchObject({ appliedLsn: 0, refusedLsns: [4], bufferedCount: 2 });
    const next = await replicate(follower.app, { entries: [put(1)] });
    expect(next.body).toMatchObject({ appliedLsn: 3, refusedLsns: [], bufferedCount: 0 });
    expect((await replicate(follower.app, { entries: [put(4)] })).body).toMatchObject({ appliedLsn: 4 });
  });

  it('refuses a far-future entry however empty its buffer is', async () => {
    const follower = buildFollower();
    const far = await replicate(follower.app, { entries: [put(9007199254740000)] });
    expect(far.body).toMatchObject({ appliedLsn: 0, refusedLsns: [9007199254740000], bufferedCount: 0 });
  });
});

describe('follower app: the applied ack mode', () => {
  it('holds the answer until the gap is filled, then answers with the new appliedLsn', async () => {
    const follower = buildFollower();
    let answered = false;
    const held = replicate(follower.app, { entries: [put(2)], ackMode: 'applied', applyWaitMs: 30_000 }).then((res) => {
      answered = true;
      return res;
    });
    await until(() => follower.node.receivedEntries === 1, 'lsn 2 to be received');
    await sleep(30);
    expect(answered).toBe(false); // lsn 1 is missing: not applied, no answer yet
    const filler = await replicate(follower.app, { entries: [put(1)] });
    expect(filler.body).toMatchObject({ appliedLsn: 2 });
    const res = await held;
    expectAllApplied(res, follower, 2);
  });

  it('answers after applyWaitMs with what it applied if the gap never fills', async () => {
    const follower = buildFollower();
    const startedMs = performance.now();
    const res = await replicate(follower.app, { entries: [put(2)], ackMode: 'applied', applyWaitMs: 60 });
    const elapsedMs = performance.now() - startedMs;
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ appliedLsn: 0, refusedLsns: [], bufferedCount: 1 });
    expect(elapsedMs).toBeGreaterThanOrEqual(55); // timers may fire up to ~1 ms early
  });

  it('answers at once in applied mode when the entry applies on arrival', async () => {
    const follower = buildFollower();
    const startedMs = performance.now();
    const res = await replicate(follower.app, { entries: [put(1)], ackMode: 'applied', applyWaitMs: 10_000 });
    expect(res.body).toMatchObject({ appliedLsn: 1 });
    expect(performance.now() - startedMs).toBeLessThan(5_000);
  });
});

describe('follower app: bad replication requests are 400 and store nothing', () => {
  const ok = {
    leaderId: 'leader',
    clusterId: CLUSTER_ID,
    epoch: 1,
    prevLsn: 0,
    prevEpoch: 0,
    ackMode: 'received',
    entries: [put(1)],
  };
  // Each case: a body that fails ReplicateRequestSchema (or JSON itself).
  const cases: Array<{ name: string; body: unknown; error?: string }> = [
    { name: 'no leaderId', body: { ackMode: 'received', entries: [put(1)] } },
    { name: 'empty leaderId', body: { ...ok, leaderId: '' } },
    { name: 'leaderId a number', body: { ...ok, leaderId: 7 } },
    { name: 'unknown ackMode', body: { ...ok, ackMode: 'fsync' } },
    { name: 'no entries', body: { leaderId: 'leader', ackMode: 'received' } },
    { name: 'empty entries', body: { ...ok, entries: [] } },
    { name: 'entries an object', body: { ...ok, entries: put(1) } },
    { name: 'lsn 0', body: { ...ok, entries: [put(0)] } },
    { name: 'lsn negative', body: { ...ok, entries: [put(-1)] } },
    { name: 'lsn fractional', body: { ...ok, entries: [put(1.5)] } },
    { name: 'lsn a string', body: { ...ok, entries: [{ ...put(1), lsn: '1' }] } },
    { name: 'epoch 0', body: { ...ok, entries: [{ ...put(1), epoch: 0 }] } },
    { name: 'unknown op', body: { ...ok, entries: [{ ...put(1), op: 'upsert' }] } },
    {
      name: 'put without value',
      body: { ...ok, entries: [{ lsn: 1, epoch: 1, op: 'put', key: 'a', leaderTimeMs: 1 }] },
    },
    { name: 'invalid key in an entry', body: { ...ok, entries: [put(1, 'bad key')] } },
    { name: 'leaderTimeMs a string', body: { ...ok, entries: [{ ...put(1), leaderTimeMs: 'now' }] } },
    { name: 'applyWaitMs above 60 s', body: { ...ok, ackMode: 'applied', applyWaitMs: 60_001 } },
    { name: 'applyWaitMs negative', body: { ...ok, ackMode: 'applied', applyWaitMs: -1 } },
    // The whole batch is judged first: a good entry beside a bad one is not stored either.
    { name: 'one good entry, one bad', body: { ...ok, entries: [put(1), { ...put(2), lsn: 'two' }] } },
    { name: 'body an array', body: [ok] },
    { name: 'body null', body: null },
    { name: 'body a string', body: 'entries' },
  ];

  test.each(cases)('$name', async ({ body }) => {
    const follower = buildFollower();
    const res = await request(follower.app)
      .post('/replication/entries')
      .set('Authorization', `Bearer ${TOKEN}`)
      .set('Content-Type', 'application/json')
      .send(JSON.stringify(body));
    expectErrorBody(res, 400, 'invalid_request');
    expect(res.body.message).toMatch(/^bad replication request: /);
    expect(storeOf(follower)).toEqual({ appliedLsn: 0, bufferedCount: 0, receivedEntries: 0, snapshot: {} });
  });

  test.each([
    { name: 'invalid JSON', contentType: 'application/json', body: '{"entries":[', status: 400, error: 'invalid_json' },
    {
      name: 'not JSON content type',
      contentType: 'text/plain',
      body: JSON.stringify(ok),
      status: 415,
      error: 'unsupported_media_type',
    },
    {
      name: 'body over MAX_BODY_BYTES (1024)',
      contentType: 'application/json',
      body: JSON.stringify({ ...ok, entries: [put(1, 'a', 'x'.repeat(2000))] }),
      status: 413,
      error: 'payload_too_large',
    },
  ])('$name → $status', async ({ contentType, body, status, error }) => {
    const follower = buildFollower({ MAX_BODY_BYTES: '1024' });
    const res = await request(follower.app)
      .post('/replication/entries')
      .set('Authorization', `Bearer ${TOKEN}`)
      .set('Content-Type', contentType)
      .send(body);
    expectErrorBody(res, status, error);
    expect(storeOf(follower)).toEqual({ appliedLsn: 0, bufferedCount: 0, receivedEntries: 0, snapshot: {} });
  });
});

describe('follower app: client routes', () => {
  // Followers are read-only: writes go to the leader.
  test.each([
    { method: 'put', path: '/kv/a', allow: 'GET', status: 405, error: 'method_not_allowed' },
    { method: 'delete', path: '/kv/a', allow: 'GET', status: 405, error: 'method_not_allowed' },
    { method: 'post', path: '/kv/a', allow: 'GET', status: 405, error: 'method_not_allowed' },
    { method: 'get', path: '/replication/entries', allow: 'POST', status: 405, error: 'method_not_allowed' },
    { method: 'get', path: '/no-such-path', allow: undefined, status: 404, error: 'route_not_found' },
    { method: 'get', path: '/kv/bad%20key', allow: undefined, status: 400, error: 'invalid_key' },
  ] as const)('$method $path → $status', async ({ method, path, allow, status, error }) => {
    const follower = buildFollower();
    const res = await request(follower.app)[method](path).set('Content-Type', 'application/json').send('{"value":1}');
    expectErrorBody(res, status, error);
    expect(res.headers['allow']).toBe(allow);
    expect(storeOf(follower)).toEqual({ appliedLsn: 0, bufferedCount: 0, receivedEntries: 0, snapshot: {} });
  });

  it('/health gives its id, applied LSN and buffer', async () => {
    const follower = buildFollower();
    await replicate(follower.app, { entries: [put(1), put(3)] });
    const res = await request(follower.app).get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      ok: true,
      status: 'ok',
      epoch: 1,
      discardedCount: 0,
      role: 'follower',
      id: follower.node.instanceId,
      appliedLsn: 1,
      bufferedCount: 1,
    });
  });

  it('/metrics is Prometheus text with the applied LSN', async () => {
    const follower = buildFollower();
    await replicate(follower.app, { entries: [put(1), put(2)] });
    const res = await request(follower.app).get('/metrics');
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.text).toMatch(/^quorumkv_applied_lsn\{[^}]*\} 2$/m);
    expect(res.text).toMatch(/^# TYPE quorumkv_received_entries_total counter$/m);
    expect(res.text).toMatch(/^quorumkv_received_entries_total\{[^}]*\} 2$/m);
  });

  it('/metrics counters count each entry once however often they are scraped, and start at zero', async () => {
    const follower = buildFollower();
    const scrape = async () => (await request(follower.app).get('/metrics')).text;
    const received = (text: string) => Number(/^quorumkv_received_entries_total\{[^}]*\} (\d+)$/m.exec(text)?.[1]);
    const before = await scrape();
    expect(received(before)).toBe(0);
    expect(before).toMatch(/^quorumkv_snapshots_installed_total\{[^}]*\} 0$/m);
    expect(before).toMatch(/^quorumkv_refused_entries_total\{[^}]*\} 0$/m);
    await replicate(follower.app, { entries: [put(1)] });
    expect(received(await scrape())).toBe(1);
    expect(received(await scrape())).toBe(1);
    await replicate(follower.app, { entries: [put(2), put(3)] });
    expect(received(await scrape())).toBe(3);
  });

  it('/debug/store is 404 debug_disabled unless ENABLE_DEBUG', async () => {
    const follower = buildFollower({ ENABLE_DEBUG: 'false' });
    await replicate(follower.app, { entries: [put(1)] });
    const res = await request(follower.app).get('/debug/store');
    expectErrorBody(res, 404, 'debug_disabled');
    expect(res.text).not.toContain('k1');
  });
});

describe('loadFollowerConfig', () => {
  it('fills the defaults and freezes the result', () => {
    const config = loadFollowerConfig({ CLUSTER_TOKEN: TOKEN });
    expect(config).toMatchObject({
      PORT: 8080,
      FOLLOWER_ID: 'follower',
      ENABLE_DEBUG: false,
      MAX_BUFFERED_ENTRIES: 100_000,
    });
    expect(config.ACCEPT_LEADER_ID).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });

  // Each case: one bad variable; one line naming it.
  test.each([
    { name: 'CLUSTER_TOKEN missing', env: { CLUSTER_TOKEN: undefined }, says: /required/ },
    { name: 'CLUSTER_TOKEN too short', env: { CLUSTER_TOKEN: 'short' }, says: /at least 8/ },
    { name: 'PORT not a number', env: { PORT: 'eighty' }, says: /./ },
    { name: 'PORT out of range', env: { PORT: '65536' }, says: /0\.\.65535/ },
    { name: 'FOLLOWER_ID with a slash', env: { FOLLOWER_ID: 'f/1' }, says: /letters, digits/ },
    { name: 'MAX_BODY_BYTES below 1024', env: { MAX_BODY_BYTES: '100' }, says: /at least 1024/ },
    { name: 'MAX_BUFFERED_ENTRIES zero', env: { MAX_BUFFERED_ENTRIES: '0' }, says: /at least 1/ },
    { name: 'ENABLE_DEBUG not a boolean', env: { ENABLE_DEBUG: 'on' }, says: /true or false/ },
  ])('$name', ({ env, says }) => {
    expectConfigError(() => loadFollowerConfig({ CLUSTER_TOKEN: TOKEN, ...env }), env, says);
  });
});

/**
 * A whole snapshot as one chunk (the leader sends several when the store is larger than a chunk),
 * from `leader` of this cluster at epoch 1 unless `body` says otherwise.
 */
const oneChunk = (body: { items?: unknown[] } & Record<string, unknown>) => ({
  leaderId: 'leader',
  clusterId: CLUSTER_ID,
  epoch: 1,
  snapshotId: 1,
  seq: 0,
  last: true,
  totalItems: body.items?.length ?? 0,
  totalBytes: 0,
  ...body,
});

describe('follower app: snapshots from the leader', () => {
  const snapshot = (app: Follower['app'], body: unknown, token = TOKEN) =>
    request(app)
      .post('/replication/snapshot')
      .set('Authorization', `Bearer ${token}`)
      .send(oneChunk(body as Record<string, unknown>));
  const chunkOf = (seq: number, items: unknown[], overrides: Record<string, unknown> = {}) => ({
    leaderId: 'leader',
    clusterId: CLUSTER_ID,
    epoch: 2,
    lsn: 7,
    snapshotId: 3,
    seq,
    last: seq === 2,
    totalItems: 3,
    totalBytes: 300,
    items,
    ...overrides,
  });
  const sendChunk = (app: Follower['app'], body: object) =>
    request(app).post('/replication/snapshot').set('Authorization', `Bearer ${TOKEN}`).send(body);

  it('stages chunks apart from the live state and installs the whole at the last one', async () => {
    const follower = buildFollower();
    await replicate(follower.app, { entries: [put(1, 'old')] });
    const before = storeOf(follower);
    for (const [seq, item] of [
      [0, ['a', 'A', 2]],
      [1, ['b', 'B', 5]],
    ] as const) {
      const res = await sendChunk(follower.app, chunkOf(seq, [item]));
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ appliedLsn: 1, epoch: 2 });
      expect(storeOf(follower)).toEqual(before);
    }
    const status = (await request(follower.app).get('/status')).body;
    expect(status.snapshotStaging).toMatchObject({ snapshotId: 3, lsn: 7, nextSeq: 2, stagedItems: 2 });
    const last = await sendChunk(follower.app, chunkOf(2, [['c', 'C', 7]]));
    expect(last.body).toMatchObject({ appliedLsn: 7, appliedEpoch: 2 });
    expect(follower.node.applier.state.snapshot()).toEqual({ a: 'A', b: 'B', c: 'C' });
    expect(follower.node.snapshotsInstalled).toBe(1);
    // The last chunk again (its answer lost): this log holds the snapshot's point, nothing changes.
    expect((await sendChunk(follower.app, chunkOf(2, [['c', 'C', 7]]))).status).toBe(200);
    expect(follower.node.snapshotsInstalled).toBe(1);
    expect((await request(follower.app).get('/status')).body.snapshotStaging).toBeNull();
  });

  // Each case: a chunk arriving mid-snapshot that must be refused and change neither the state nor the staging.
  test.each([
    { why: 'of a lower epoch', overrides: { epoch: 1 }, status: 409, code: 'stale_epoch' },
    { why: 'of another cluster', overrides: { clusterId: 'c-elsewhere' }, status: 409, code: 'cluster_mismatch' },
    { why: 'past a gap (staging lost)', overrides: { seq: 2, last: true }, status: 409, code: 'snapshot_interrupted' },
    { why: 'of an older snapshot id', overrides: { seq: 0, snapshotId: 2 }, status: 409, code: 'snapshot_interrupted' },
  ])('refuses a chunk $why and changes nothing', async ({ overrides, status, code }) => {
    const follower = buildFollower();
    expect((await sendChunk(follower.app, chunkOf(0, [['a', 'A', 2]]))).status).toBe(200);
    const before = { store: storeOf(follower), staging: follower.node.staging.status };
    expectErrorBody(await sendChunk(follower.app, chunkOf(1, [['b', 'B', 5]], overrides)), status, code);
    expect({ store: storeOf(follower), staging: follower.node.staging.status }).toEqual(before);
    // The snapshot goes on where it was.
    expect((await sendChunk(follower.app, chunkOf(1, [['b', 'B', 5]]))).status).toBe(200);
  });

  it('drops a staged snapshot once it promises a newer leader, whose recovery makes it moot', async () => {
    const follower = buildFollower();
    expect((await sendChunk(follower.app, chunkOf(0, [['a', 'A', 2]]))).status).toBe(200);
    expect(follower.node.staging.status).not.toBeNull();
    const recovered = await request(follower.app)
      .post('/replication/recover')
      .set('Authorization', `Bearer ${TOKEN}`)
      .send({ leaderId: 'leader', clusterId: CLUSTER_ID, epoch: 3 });
    expect(recovered.status).toBe(200);
    expect(follower.node.staging.status).toBeNull();
    expectErrorBody(await sendChunk(follower.app, chunkOf(1, [['b', 'B', 5]])), 409, 'stale_epoch');
    expect(follower.node.applier.appliedLsn).toBe(0);
  });

  it('refuses a snapshot beyond MAX_SNAPSHOT_BYTES with 507, declared or received, and stages nothing', async () => {
    const follower = buildFollower({ MAX_SNAPSHOT_BYTES: '2048' });
    const declared = await sendChunk(follower.app, chunkOf(0, [['a', 'A', 2]], { totalBytes: 4096 }));
    expectErrorBody(declared, 507, 'snapshot_too_large');
    expect(declared.body).toMatchObject({ maxSnapshotBytes: 2048, snapshotBytes: 4096 });
    const big = 'x'.repeat(1200);
    expect((await sendChunk(follower.app, chunkOf(0, [['a', big, 2]]))).status).toBe(200);
    expectErrorBody(await sendChunk(follower.app, chunkOf(1, [['b', big, 5]])), 507, 'snapshot_too_large');
    expect(follower.node.staging.status).toBeNull();
    expect(follower.node.applier.appliedLsn).toBe(0);
    const metrics = (await request(follower.app).get('/metrics')).text;
    expect(metrics).toMatch(/^quorumkv_snapshots_aborted_total\{[^}]*\} 1$/m);
  });

  it('installs a snapshot ahead of it, then applies buffered entries beyond it', async () => {
    const follower = buildFollower();
    await replicate(follower.app, { entries: [put(9, 'later')] }); // early: buffered
    const res = await snapshot(follower.app, {
      lsn: 8,
      items: [
        ['a', 1, 3],
        ['b', { x: 2 }, 8],
      ],
    });
    expectAllApplied(res, follower, 9);
    expect((await request(follower.app).get('/debug/store')).body).toMatchObject({
      lsn: 9,
      store: { a: 1, b: { x: 2 }, later: 9 },
    });
    expect(follower.node.snapshotsInstalled).toBe(1);
  });

  it('ignores a stale snapshot and answers what it has', async () => {
    const follower = buildFollower();
    await replicate(follower.app, { entries: [put(1, 'a'), put(2, 'b')] });
    const res = await snapshot(follower.app, { lsn: 1, items: [['z', 0, 1]] });
    expect(res.body).toMatchObject({ appliedLsn: 2 });
    expect(follower.node.applier.state.snapshot()).toEqual({ a: 1, b: 2 });
  });

  // Each case must be refused and leave the store as it was.
  test.each([
    { why: 'no token', body: { lsn: 5, items: [] }, token: '', status: 401, code: 'unauthorized' },
    { why: 'a wrong token', body: { lsn: 5, items: [] }, token: 'not-the-token', status: 401, code: 'unauthorized' },
    {
      why: 'a bad item',
      body: { lsn: 5, items: [['bad key', 1, 1]] },
      token: TOKEN,
      status: 400,
      code: 'invalid_request',
    },
    { why: 'a missing lsn', body: { items: [] }, token: TOKEN, status: 400, code: 'invalid_request' },
  ])('refuses a snapshot with $why', async ({ body, token, status, code }) => {
    const follower = buildFollower();
    await replicate(follower.app, { entries: [put(1, 'a')] });
    const before = storeOf(follower);
    const res = await snapshot(follower.app, body, token);
    expectErrorBody(res, status, code);
    expect(storeOf(follower)).toEqual(before);
  });

  it('refuses a snapshot from a leader it does not accept', async () => {
    const follower = buildFollower({ ACCEPT_LEADER_ID: 'the-leader' });
    const res = await snapshot(follower.app, {
      leaderId: 'another',
      clusterId: CLUSTER_ID,
      epoch: 1,
      lsn: 5,
      items: [['a', 1, 1]],
    });
    expectErrorBody(res, 401, 'unauthorized');
    expect(follower.node.applier.appliedLsn).toBe(0);
  });
});

describe('follower app: epochs, the cluster id and log matching', () => {
  const post = (app: Follower['app'], path: string, body: object) =>
    request(app).post(path).set('Authorization', `Bearer ${TOKEN}`).send(body);
  const recover = (app: Follower['app'], epoch: number, clusterId = CLUSTER_ID) =>
    post(app, '/replication/recover', { leaderId: 'leader', clusterId, epoch });
  const append = (app: Follower['app'], epoch: number, entries: Entry[], prevEpoch: number, clusterId = CLUSTER_ID) =>
    post(app, '/replication/entries', {
      leaderId: 'leader',
      clusterId,
      epoch,
      prevLsn: Math.min(...entries.map((e) => e.lsn)) - 1,
      prevEpoch,
      ackMode: 'received',
      entries,
    });
  const inEpoch = (entry: Entry, epoch: number): Entry => ({ ...entry, epoch });

  it('promises a recovery epoch and answers with its whole log in one step', async () => {
    const follower = buildFollower();
    await replicate(follower.app, { entries: [put(1, 'a'), put(2, 'b')] });
    await replicate(follower.app, { entries: [put(4, 'd')] }); // buffered beyond a gap
    const res = await recover(follower.app, 2);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ epoch: 2, appliedLsn: 2, appliedEpoch: 1 });
    expect(res.body.log.entries.map((e: Entry) => e.lsn)).toEqual([1, 2, 4]);
    expect(follower.node.promisedEpoch).toBe(2);
    expect((await request(follower.app).get('/status')).body).toMatchObject({ epoch: 2, discardedCount: 0 });
  });

  // Each case: a message below (or at) the promise, refused with both epochs named, nothing changed.
  test.each([
    { why: 'a recovery at the promised epoch', send: (app: Follower['app']) => recover(app, 3), requestEpoch: 3 },
    { why: 'a recovery below it', send: (app: Follower['app']) => recover(app, 2), requestEpoch: 2 },
    { why: 'entries of an older leader', send: (app: Follower['app']) => append(app, 1, [put(3)], 1), requestEpoch: 1 },
    {
      why: 'a snapshot of an older leader',
      send: (app: Follower['app']) => post(app, '/replication/snapshot', oneChunk({ epoch: 2, lsn: 9, items: [] })),
      requestEpoch: 2,
    },
  ])('refuses $why with 409 stale_epoch naming both epochs', async ({ send, requestEpoch }) => {
    const follower = buildFollower();
    await replicate(follower.app, { entries: [put(1, 'a'), put(2, 'b')] });
    expect((await recover(follower.app, 3)).status).toBe(200);
    const before = storeOf(follower);
    const res = await send(follower.app);
    expectErrorBody(res, 409, 'stale_epoch');
    expect(res.body).toMatchObject({ definite: true, promisedEpoch: 3, requestEpoch });
    expect(res.body.message).toContain(`epoch ${requestEpoch}`);
    expect(storeOf(follower)).toEqual(before);
    expect(follower.node.promisedEpoch).toBe(3);
  });

  it('refuses a leader of another cluster, on every replication path, and changes nothing', async () => {
    const follower = buildFollower();
    await replicate(follower.app, { entries: [put(1, 'a')] });
    const before = storeOf(follower);
    for (const res of [
      await append(follower.app, 1, [put(2)], 1, 'c-elsewhere'),
      await recover(follower.app, 5, 'c-elsewhere'),
    ]) {
      expectErrorBody(res, 409, 'cluster_mismatch');
      expect(res.body.requestClusterId).toBe('c-elsewhere');
    }
    expect(storeOf(follower)).toEqual(before);
    expect(follower.node.promisedEpoch).toBe(1);
  });

  it('says where its log disagrees (409 log_mismatch), then takes the newer snapshot and discards its suffix', async () => {
    const follower = buildFollower();
    await replicate(follower.app, { entries: [put(1, 'a'), put(2, 'b'), put(3, 'c')] });
    // A leader of epoch 2 whose log has LSN 2 of epoch 2 appends LSN 3.
    const refused = await append(follower.app, 2, [inEpoch(put(3, 'x'), 2)], 2);
    expectErrorBody(refused, 409, 'log_mismatch');
    expect(refused.body).toMatchObject({ lsn: 2, heldEpoch: 1, expectedEpoch: 2, appliedLsn: 3 });
    expect(follower.node.applier.state.snapshot()).toEqual({ a: 1, b: 2, c: 3 });
    // Its snapshot at LSN 2 replaces the history; LSN 3 of epoch 1 is gone.
    const snap = await post(
      follower.app,
      '/replication/snapshot',
      oneChunk({ epoch: 2, lsn: 2, items: [['a', 'new', 1]] }),
    );
    expect(snap.body).toMatchObject({ appliedLsn: 2, appliedEpoch: 2, epoch: 2 });
    expect((await append(follower.app, 2, [inEpoch(put(3, 'x'), 2)], 2)).status).toBe(200);
    expect(follower.node.applier.state.snapshot()).toEqual({ a: 'new', x: 3 });
    expect((await request(follower.app).get('/health')).body).toMatchObject({ epoch: 2, discardedCount: 1 });
    const metrics = (await request(follower.app).get('/metrics')).text;
    expect(metrics).toMatch(/^quorumkv_epoch\{[^}]*\} 2$/m);
    expect(metrics).toMatch(/^quorumkv_discarded_entries_total\{[^}]*\} 1$/m);
  });
});
