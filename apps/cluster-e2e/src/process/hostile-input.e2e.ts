/**
 * Issue #5, hostile input against the real leader (processes on 127.0.0.1): seeded fast-check
 * properties over random keys, values, bodies, content types and encodings, quorum parameters,
 * methods and paths (DESIGN §3, "Bad input"). For every request:
 * - the answer is a 200, a definite 4xx `{error, message, definite: true}` with no stack trace,
 *   or a 503/504 quorum error with `definite: false` (the timeout is long, so none is expected);
 * - a 4xx changes nothing: the leader's `/debug/store` (map and LSN) is as before, and stays so
 *   until the next request;
 * - a 200 write really wrote: LSN + 1, exactly that key changed, a read returns the value;
 * - a request with an invalid part is refused, one with only valid parts is accepted.
 * Afterwards the followers drain to exactly the leader's state and every process is alive.
 * A failure prints the seed and the shrunk request; `HOSTILE_INPUT_SEED` / `HOSTILE_INPUT_RUNS` replay or widen it.
 */
import fc from 'fast-check';
import type { StoreDump } from '@quorum-kv/bench';
import { describeRequest, expectConverged, health, plainDump, rawRequest, sendRawBytes } from '../support';
import {
  comparableDump,
  expectDefiniteRefusal,
  expectIndefiniteQuorumError,
  storeEntries,
  throughJson,
  withKey,
} from '../support/hostile-answers';
import { anyPlanArb, isValidKey, kvPlanArb, percentEncode, type ClientPlan } from './hostile-client-requests';
import { describeSettings, testSettings, processClusterPerFile } from './start-cluster';

const SEED = Number(process.env['HOSTILE_INPUT_SEED'] ?? 20_251_205);
const RUNS = Number(process.env['HOSTILE_INPUT_RUNS'] ?? 400);
/** A quorum timeout far above the injected delay: an indefinite 503/504 would mean trouble. */
const settings = testSettings({ followers: 3, delay: 'uniform:0:5', replicationTimeoutMs: 10_000, seed: 505 });

describe(`hostile client input (${describeSettings(settings)})`, () => {
  /** The leader's state after the last answer checked: nothing may change it before the next request. */
  let model: ReturnType<typeof comparableDump>;
  let lastRequest = '(none yet)';

  const ctx = processClusterPerFile(settings);

  beforeAll(async () => {
    model = comparableDump(await leaderDump());
  });

  async function leaderDump(): Promise<StoreDump> {
    return plainDump(await ctx.clients.leader.debugStore());
  }

  test(`random requests to the leader: no 5xx, refusals change nothing, acceptances write once (fast-check seed ${SEED}, ${RUNS} runs)`, async () => {
    const planArb = fc.oneof(
      { weight: 4, arbitrary: kvPlanArb(settings.followers, settings.defaultW) },
      { weight: 1, arbitrary: anyPlanArb() },
    );
    await fc.assert(
      fc.asyncProperty(planArb, async (plan) => {
        const before = await leaderDump();
        // Nothing may change between two answers: a refused request that wrote late shows here.
        expect({ since: lastRequest, state: comparableDump(before) }).toEqual({ since: lastRequest, state: model });
        let after = before;
        try {
          const answer = await rawRequest(ctx.cluster.leaderUrl, plan.request);
          after = await leaderDump();
          await checkAnswer(plan, answer, before, after);
        } finally {
          model = comparableDump(after);
          lastRequest = describeRequest(plan.request);
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  // Node's HTTP parser answers these itself (400, 431) with an empty body and closes the
  // connection: express never sees them, so there is no JSON body to check (see the report).
  test('requests refused by node before express (unknown method, huge request line, ambiguous framing): a 4xx, nothing changes, alive', async () => {
    const before = comparableDump(await leaderDump());
    const body = JSON.stringify({ value: 'smuggled' });
    const viaClient = [
      { method: 'FOO', path: '/kv/k0', headers: { 'content-type': 'application/json' }, body },
      { method: 'PUT', path: `/kv/${'k'.repeat(20_000)}`, headers: { 'content-type': 'application/json' }, body },
    ];
    for (const request of viaClient) {
      const answer = await rawRequest(ctx.cluster.leaderUrl, request);
      expect({ request: request.method, status: answer.status >= 400 && answer.status < 500 }).toEqual({
        request: request.method,
        status: true,
      });
    }
    const smuggled = `PUT /kv/smuggled HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    const framings = [
      `PUT /kv/k0 HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${smuggled}`,
      `PUT /kv/k0 HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nContent-Length: 3\r\n\r\n${body}`,
      `PUT /kv/k0 HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: abc\r\n\r\n${body}`,
      `PUT /kv/k0 HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Type: application/json\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n`,
    ];
    for (const bytes of framings) {
      const answer = await sendRawBytes(ctx.cluster.leaderUrl, bytes);
      expect({ framing: bytes.split('\r\n').slice(4, 6), status: answer.status >= 400 && answer.status < 500 }).toEqual(
        { framing: bytes.split('\r\n').slice(4, 6), status: true },
      );
    }
    expect(comparableDump(await leaderDump())).toEqual(before);
    await expect(health(ctx.clients.leader)).resolves.toEqual(expect.objectContaining({ ok: true }));
  });

  // Known bug (see the report of issue #5): JSON.parse turns 1e400 into Infinity, the leader
  // accepts it, and every read (and every follower, through replication) then shows null: a
  // lossy 200. A value the store cannot hold should be refused with invalid_value. When this is
  // fixed, this test fails: turn `test.failing` into `test`.
  test('a number beyond double range ({"value":1e400}) is refused, not stored as null', async () => {
    const before = comparableDump(await leaderDump());
    const request = {
      method: 'PUT',
      path: '/kv/overflow?w=3',
      headers: { 'content-type': 'application/json' },
      body: '{"value":1e400}',
    };
    const answer = await rawRequest(ctx.cluster.leaderUrl, request);
    model = comparableDump(await leaderDump()); // keep the model true whatever happened
    expect(answer.status).toBe(400);
    expectDefiniteRefusal(answer, 'PUT');
    expect(model).toEqual(before);
  });

  test('afterwards: the leader holds exactly what was accepted, the followers drain to it, every process is alive', async () => {
    expect(comparableDump(await leaderDump())).toEqual(model);
    const leader = await expectConverged(ctx.clients);
    expect(comparableDump(leader)).toEqual(model);
    const answers = await Promise.all(ctx.clients.all.map((c) => health(c)));
    expect(answers.map((a) => a['ok'])).toEqual(ctx.clients.all.map(() => true));
  });

  async function checkAnswer(
    plan: ClientPlan,
    answer: Awaited<ReturnType<typeof rawRequest>>,
    before: StoreDump,
    after: StoreDump,
  ): Promise<void> {
    const method = plan.request.method.toUpperCase();
    if (answer.status >= 500) {
      // Only the documented indefinite quorum errors; the write stays on the leader.
      const lsn = expectIndefiniteQuorumError(answer);
      expect({ lsn, leaderLsn: after.lsn }).toEqual({ lsn: before.lsn + 1, leaderLsn: before.lsn + 1 });
      return;
    }
    if (answer.status >= 400) {
      if (plan.verdict === 'write')
        throw new Error(`a valid request was refused: ${answer.status} ${answer.text.slice(0, 300)}`);
      const code = expectDefiniteRefusal(answer, method);
      expect(comparableDump(after)).toEqual(comparableDump(before));
      if (method === 'GET' && plan.key !== null && plan.keyValidity === 'valid') {
        // A valid key read: 404 exactly when the key is absent.
        expect({ code, present: storeEntries(before.store).some(([k]) => k === plan.key) }).toEqual({
          code: 'not_found',
          present: false,
        });
      }
      return;
    }
    expect(answer.status).toBe(200);
    if (plan.verdict === 'refuse') throw new Error(`an invalid request was accepted: ${answer.text.slice(0, 300)}`);
    if (after.lsn === before.lsn) return checkRead(plan, method, answer.json, before, after);
    await checkWrite(plan, method, answer.json as Record<string, unknown>, before, after);
  }

  /** A 200 that wrote nothing: a read, which must change nothing and tell the truth. */
  function checkRead(plan: ClientPlan, method: string, json: unknown, before: StoreDump, after: StoreDump): void {
    expect({ method, state: comparableDump(after) }).toEqual({
      method: expect.stringMatching(/^(GET|HEAD)$/),
      state: comparableDump(before),
    });
    expect(plan.verdict).not.toBe('write');
    const body = json as Record<string, unknown> | undefined;
    if (method === 'GET' && body && typeof body['key'] === 'string' && 'value' in body) {
      const stored = storeEntries(before.store).find(([k]) => k === body['key']);
      expect({ key: body['key'], value: body['value'] }).toEqual({ key: body['key'], value: stored?.[1] });
      if (plan.key !== null) expect(body['key']).toBe(plan.key);
    }
  }

  /** A 200 that wrote: one LSN, exactly the named key, and a read returns the value. */
  async function checkWrite(
    plan: ClientPlan,
    method: string,
    body: Record<string, unknown>,
    before: StoreDump,
    after: StoreDump,
  ): Promise<void> {
    expect(['PUT', 'DELETE']).toContain(method);
    const key = body['key'] as string;
    expect({ lsn: after.lsn, answeredLsn: body['lsn'], validKey: isValidKey(key) }).toEqual({
      lsn: before.lsn + 1,
      answeredLsn: before.lsn + 1,
      validKey: true,
    });
    if (plan.key !== null) expect(key).toBe(plan.key);
    const w = body['w'] as number;
    expect(w >= 1 && w <= settings.followers && (body['acks'] as number) >= w).toBe(true);
    if (plan.w !== null) expect(w).toBe(plan.w);
    const value =
      method === 'PUT'
        ? throughJson((JSON.parse(Buffer.from(plan.request.body ?? '').toString('utf8')) as { value: unknown }).value)
        : undefined;
    expect(comparableDump(after)).toEqual(withKey(before, after.lsn, key, value));
    const read = await rawRequest(ctx.cluster.leaderUrl, {
      method: 'GET',
      path: `/kv/${percentEncode(key)}`,
      headers: {},
    });
    if (method === 'PUT')
      expect({ status: read.status, json: read.json }).toEqual({ status: 200, json: { key, value, lsn: after.lsn } });
    else
      expect({ status: read.status, error: (read.json as Record<string, unknown>)['error'] }).toEqual({
        status: 404,
        error: 'not_found',
      });
  }
});
