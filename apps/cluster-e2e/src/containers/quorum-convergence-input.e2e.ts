/**
 * The cluster as six containers (a leader and five followers on a Docker network of their own,
 * reached through ports published on 127.0.0.1), one cluster for the whole file:
 * - for every W a write answers 200 with at least W acks, never before the W-th smallest delay;
 * - a concurrent workload on three keys, every W and both ack modes, puts and deletes, ends
 *   with all six `/debug/store` equal after draining;
 * - bad input is answered with a JSON 4xx from the catalogue and changes no store.
 * Each describe starts from a drained cluster, so they do not depend on each other's writes.
 */
import {
  planWrites,
  replayStates,
  runWrites,
  dumpAll,
  expectClientError,
  expectConverged,
  expectQuorumTiming,
  putTraced,
  rawRequest,
} from '../support';
import type { ClusterDumps, ExpectedError, RawRequest } from '../support';
import { FOLLOWER_COUNT, containerSettings, describeSettings, dockerClusterPerFile } from './docker-test-cluster';

const settings = containerSettings({ seed: 7001 });
const QUORUMS = Array.from({ length: FOLLOWER_COUNT }, (_, i) => i + 1);
const WRITES_PER_W = 6;
const JSON_TYPE = { 'content-type': 'application/json' };
const GOOD_BODY = JSON.stringify({ value: 'never stored' });

describe(`six containers: quorum, convergence, bad input (${describeSettings(settings)})`, () => {
  const ctx = dockerClusterPerFile(settings);

  test('every node publishes its port on 127.0.0.1 only, each on its own port', () => {
    const urls = [ctx.cluster.leaderUrl, ...ctx.cluster.followerUrls];
    expect(urls).toHaveLength(FOLLOWER_COUNT + 1);
    for (const url of urls) expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(new Set(urls).size).toBe(urls.length);
  });

  describe('quorum per W', () => {
    // One write at a time, so every ack comes from that write's own delayed RPC and the timing
    // checks are exact: quorumMs and the client's latency >= the W-th smallest delay - 1 ms.
    test.each(QUORUMS)(
      'W=%i: every write answers 200 with >= W acks, not before the W-th smallest delay',
      async (w) => {
        for (let i = 0; i < WRITES_PER_W; i++) {
          const key = `w${w}-${i}`;
          const value = { w, i, nested: [1, 'two', null] };
          const trace = await putTraced(ctx.clients.leader, key, value, { w });
          expect(trace.w).toBe(w);
          expectQuorumTiming(trace, w, FOLLOWER_COUNT);
          await expect(ctx.clients.leader.getJson(`/kv/${key}`)).resolves.toEqual({ key, value, lsn: trace.lsn });
        }
      },
    );

    test('after draining, the leader and all five followers hold the same map at the same LSN', async () => {
      const leader = await expectConverged(ctx.clients);
      expect(leader.lsn).toBe(WRITES_PER_W * QUORUMS.length);
      expect(Object.keys(leader.store)).toHaveLength(WRITES_PER_W * QUORUMS.length);
    });
  });

  describe('a concurrent workload on few keys', () => {
    test('300 writes (every W, both ack modes, 15% deletes) on 3 keys, 20 in flight: all succeed, all six stores equal', async () => {
      const base = (await dumpAll(ctx.clients)).leader;
      const plan = planWrites({
        writes: 300,
        keys: 3,
        seed: settings.seed,
        quorums: QUORUMS,
        ackModes: ['received', 'applied'],
        deleteShare: 0.15,
        label: 'hot',
      });
      const done = await runWrites(ctx.clients.leader, plan, 20);
      expect(
        done.filter((d) => d.httpStatus !== 200).map((d) => ({ seq: d.seq, httpStatus: d.httpStatus, body: d.body })),
      ).toEqual([]);

      const leader = await expectConverged(ctx.clients, { timeoutMs: 20_000 });
      // The leader's map is the replay of the answers in LSN order: no write lost or applied twice.
      const states = replayStates(done, base);
      expect(leader).toEqual({ lsn: base.lsn + plan.length, store: states[base.lsn + plan.length] });
    });
  });

  describe('bad input', () => {
    let before: ClusterDumps;

    beforeAll(async () => {
      await expectConverged(ctx.clients);
      before = await dumpAll(ctx.clients);
    });

    const put = (path: string, body = GOOD_BODY): RawRequest => ({ method: 'PUT', path, headers: JSON_TYPE, body });
    const leaderCases: Array<ExpectedError & { name: string; request: RawRequest }> = [
      // Truncated JSON never reaches the key or quorum checks.
      { name: 'bad JSON: 400 invalid_json', request: put('/kv/k', '{"value":'), error: 'invalid_json' },
      // Keys are letters, digits and _ . : ~ - only.
      { name: 'key with a space: 400 invalid_key', request: put('/kv/a%20b'), error: 'invalid_key' },
      // W is one integer in 1..N, and N is 5 here.
      { name: 'w=9: 400 invalid_quorum', request: put('/kv/k?w=9'), error: 'invalid_quorum' },
      // /kv/:key takes GET, PUT and DELETE.
      {
        name: 'POST /kv/k: 405 method_not_allowed',
        request: { method: 'POST', path: '/kv/k', headers: JSON_TYPE, body: GOOD_BODY },
        error: 'method_not_allowed',
      },
    ];

    test.each(leaderCases)('leader, $name; no store changes', async ({ request, error }) => {
      const answer = await rawRequest(ctx.cluster.leaderUrl, request);
      expectClientError(answer, { error });
      if (error === 'method_not_allowed') expect(answer.headers['allow']).toBe('GET, PUT, DELETE');
      await expect(dumpAll(ctx.clients)).resolves.toEqual(before);
    });

    // A well-formed next entry, refused whole: without the cluster token, and (the docker runtime
    // pins each follower to its own leader's id) with the token but from another leader.
    test.each<{ name: string; headers: Record<string, string> }>([
      { name: 'without the cluster token', headers: {} },
      {
        name: "with the cluster token but another leader's id",
        headers: { authorization: `Bearer ${settings.clusterToken}` },
      },
    ])('every follower, POST /replication/entries $name: 401 unauthorized; no store changes', async ({ headers }) => {
      const entry = {
        lsn: before.leader.lsn + 1,
        epoch: 1,
        op: 'put',
        key: 'injected',
        value: 'by a stranger',
        leaderTimeMs: 0,
      };
      const request: RawRequest = {
        method: 'POST',
        path: '/replication/entries',
        headers: { ...JSON_TYPE, ...headers },
        body: JSON.stringify({
          leaderId: 'impostor',
          clusterId: 'c-impostor',
          epoch: 1,
          prevLsn: entry.lsn - 1,
          prevEpoch: entry.lsn === 1 ? 0 : 1,
          ackMode: 'received',
          entries: [entry],
        }),
      };
      for (const url of ctx.cluster.followerUrls)
        expectClientError(await rawRequest(url, request), { error: 'unauthorized' });
      await expect(dumpAll(ctx.clients)).resolves.toEqual(before);
    });
  });
});
