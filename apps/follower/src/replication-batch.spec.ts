import request from 'supertest';
import { createLogger, createRegistry } from '@quorum-kv/http-edge';
import { PROTOCOL_VERSION } from '@quorum-kv/replication-protocol';
import { buildFollowerApp } from './app';
import { CLUSTER_ID, TOKEN, batch, put } from './testing';
import { loadFollowerConfig } from './config';
import { FollowerNode } from './follower-node';
import { followerMetrics } from './follower-metrics';

function buildFollower() {
  const config = loadFollowerConfig({ CLUSTER_TOKEN: TOKEN, FOLLOWER_ID: 'f1', LOG_LEVEL: 'silent' });
  const node = new FollowerNode(config.FOLLOWER_ID, config.MAX_BUFFERED_ENTRIES, CLUSTER_ID);
  const registry = createRegistry('follower');
  followerMetrics(registry, node);
  return { app: buildFollowerApp({ config, node, registry, logger: createLogger('follower', 'silent') }), node };
}

const send = (app: ReturnType<typeof buildFollower>['app'], body: unknown, token = TOKEN) =>
  request(app)
    .post('/replication/batch')
    .set('Authorization', `Bearer ${token}`)
    .send(body as object);

describe('follower: POST /replication/batch', () => {
  // Each case: the batches sent in order, and the cumulative ack the last one is answered with.
  const tests: Array<{ name: string; batches: Array<{ entries: number[]; prevLsn?: number }>; want: object }> = [
    // Contiguous from the start: everything applied, nothing beyond.
    { name: 'one contiguous batch', batches: [{ entries: [1, 2, 3] }], want: { upToLsn: 3, beyondLsns: [] } },
    // A gap (LSN 2's delay has not elapsed): 1 applies, 3 and 4 are stored beyond it.
    {
      name: 'a batch with a gap',
      batches: [{ entries: [1, 3, 4] }],
      want: { upToLsn: 1, beyondLsns: [3, 4] },
    },
    // The entry that fills the gap comes alone: one ack now covers all four.
    {
      name: 'the gap filled later',
      batches: [{ entries: [1, 3, 4] }, { entries: [2], prevLsn: 1 }],
      want: { upToLsn: 4, beyondLsns: [] },
    },
    // Only early entries: nothing applied; the ack lists them out of order.
    {
      name: 'only entries beyond a gap',
      batches: [{ entries: [5, 6], prevLsn: 4 }],
      want: { upToLsn: 0, beyondLsns: [5, 6] },
    },
  ];

  test.each(tests)('$name', async ({ batches, want }) => {
    const { app, node } = buildFollower();
    let last: request.Response | undefined;
    for (const b of batches) {
      const body = batch(b.entries.map((lsn) => put(lsn)));
      last = await send(app, b.prevLsn === undefined ? body : { ...body, prevLsn: b.prevLsn, prevEpoch: 1 });
      expect(last.status).toBe(200);
    }
    expect(last?.body).toMatchObject({ protocolVersion: PROTOCOL_VERSION, ack: want, refusedLsns: [] });
    expect(node.receivedEntries).toBe(batches.reduce((n, b) => n + b.entries.length, 0));
  });

  // A leader of another protocol version is refused, with a clear JSON error, and nothing changes.
  test.each([
    { name: 'no version (a version-1 leader)', version: undefined, theirs: 1 },
    { name: 'a newer version', version: PROTOCOL_VERSION + 1, theirs: PROTOCOL_VERSION + 1 },
    { name: 'not a version', version: 'two', theirs: null },
  ])('refuses $name with 409 protocol_version_mismatch', async ({ version, theirs }) => {
    const { app, node } = buildFollower();
    const res = await send(app, { ...batch([put(1)]), protocolVersion: version });
    expect(res.status).toBe(409);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.body).toMatchObject({
      error: 'protocol_version_mismatch',
      definite: true,
      protocolVersion: PROTOCOL_VERSION,
      leaderProtocolVersion: theirs,
    });
    expect(res.body.message).toMatch(/protocol version/);
    expect(node.applier.appliedLsn).toBe(0);
    expect(node.receivedEntries).toBe(0);
  });

  it('requires the cluster token (401, nothing stored)', async () => {
    const { app, node } = buildFollower();
    const res = await send(app, batch([put(1)]), 'wrong-token-here');
    expect(res.status).toBe(401);
    expect(node.receivedEntries).toBe(0);
  });

  it('refuses a malformed batch with 400 and an older epoch with 409 stale_epoch', async () => {
    const { app, node } = buildFollower();
    expect((await send(app, batch([]))).body).toMatchObject({ error: 'invalid_request' });
    expect((await send(app, batch([put(1, 3)], { epoch: 3 }))).status).toBe(200);
    const stale = await send(app, batch([put(2)], { prevLsn: 1, prevEpoch: 3 }));
    expect(stale.status).toBe(409);
    expect(stale.body).toMatchObject({ error: 'stale_epoch', promisedEpoch: 3 });
    expect(node.applier.appliedLsn).toBe(1);
  });

  it('answers other methods with 405', async () => {
    const { app } = buildFollower();
    const res = await request(app).get('/replication/batch').set('Authorization', `Bearer ${TOKEN}`);
    expect(res.status).toBe(405);
    expect(res.headers['allow']).toBe('POST');
  });
});
