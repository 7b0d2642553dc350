/**
 * Replication by the batch: each follower's outbox sends every `received` entry whose delay has
 * elapsed in one message with the others ready then, keeps at most `maxInFlightMessages`
 * messages in flight (ready entries join the next message), and one cumulative ack settles
 * every write it covers. `applied` writes keep their own request, outside the window. Fake
 * clock, in-memory transport.
 */
import { FakeClock, PROTOCOL_VERSION } from '@quorum-kv/replication-protocol';
import { ReplicationCoordinator, type WriteOp, type WriteResult } from './replication-coordinator';
import { FollowerRefusal } from './transport';
import { InMemoryTransport, coordinatorOptions, flushMicrotasks } from './testing';

interface Setup {
  followerCount?: number;
  delayPlan?: string;
  maxInFlightMessages?: number;
  maxCatchUpEntries?: number;
  seed?: number;
  defer?: (callback: () => void) => void;
  maxLogBytes?: number;
  delayTimer?: (clock: FakeClock) => (callback: () => void, delayMs: number) => void;
}

function setup({
  followerCount = 1,
  delayPlan = 'constant:0',
  maxInFlightMessages = 4,
  maxCatchUpEntries = 512,
  seed = 1,
  defer,
  maxLogBytes,
  delayTimer,
}: Setup = {}) {
  const clock = new FakeClock();
  const transport = new InMemoryTransport(followerCount, clock, 'manual');
  const coordinator = new ReplicationCoordinator({
    ...coordinatorOptions(transport, clock, { delayPlan, seed, maxCatchUpEntries, maxInFlightMessages }),
    // Catch-up stays out of the way: these tests look at the write path only.
    catchUpIntervalMs: 60_000,
    heartbeatIntervalMs: 60_000,
    ...(defer && { defer }),
    ...(maxLogBytes !== undefined && { maxLogBytes }),
    ...(delayTimer && { delayTimer: delayTimer(clock) }),
  });
  return { clock, transport, coordinator };
}

const put = (key: string): WriteOp => ({ op: 'put', key, value: key });

/** Follows a promise without awaiting it. */
function track(promise: Promise<WriteResult>) {
  const state: { settled: boolean; value?: WriteResult } = { settled: false };
  void promise.then((value) => Object.assign(state, { settled: true, value }));
  return state;
}

describe('ReplicationCoordinator: replication by the batch', () => {
  it('sends every entry ready at one moment in one message, with the protocol version', async () => {
    const { clock, transport, coordinator } = setup({ followerCount: 2, delayPlan: 'constant:10' });
    const writes = ['a', 'b', 'c'].map((key) => track(coordinator.write(put(key), 2, 'received')));
    expect(transport.sent).toHaveLength(0); // nothing before the delay
    clock.advance(10);
    expect(transport.sent.map((rpc) => [rpc.follower, rpc.lsns])).toEqual([
      [0, [1, 2, 3]],
      [1, [1, 2, 3]],
    ]);
    expect(transport.sent[0]?.request).toMatchObject({ protocolVersion: PROTOCOL_VERSION, prevLsn: 0, prevEpoch: 0 });
    for (const rpc of transport.unsettled()) rpc.answer();
    await flushMicrotasks();
    // One answer per follower settled all three writes.
    expect(writes.map((w) => w.value?.outcome.status)).toEqual(['met', 'met', 'met']);
  });

  it('keeps at most maxInFlightMessages in flight; ready entries join the next message', async () => {
    const { transport, coordinator } = setup({ maxInFlightMessages: 2 });
    const writes = ['a', 'b', 'c', 'd', 'e'].map((key) => track(coordinator.write(put(key), 1, 'received')));
    // Delay 0: the first two go at once, one message each; the window is then full.
    expect(transport.sent.map((rpc) => rpc.lsns)).toEqual([[1], [2]]);
    transport.unsettled()[0]?.answer();
    await flushMicrotasks();
    // One slot free: the three entries that waited go together.
    expect(transport.sent.map((rpc) => rpc.lsns)).toEqual([[1], [2], [3, 4, 5]]);
    expect(writes.map((w) => w.settled)).toEqual([true, false, false, false, false]);
    for (const rpc of transport.unsettled()) rpc.answer();
    await flushMicrotasks();
    expect(writes.every((w) => w.value?.outcome.status === 'met')).toBe(true);
  });

  it('arms one delay timer per follower at a time, and still sends every entry the moment its delay has passed', async () => {
    let live = 0;
    let mostLive = 0;
    const { clock, transport, coordinator } = setup({
      followerCount: 2,
      delayPlan: 'uniform:1:40',
      maxInFlightMessages: 1024,
      delayTimer: (c) => (callback, delayMs) => {
        live += 1;
        mostLive = Math.max(mostLive, live);
        c.setTimeout(() => {
          live -= 1;
          callback();
        }, delayMs);
      },
    });
    const writes = Array.from({ length: 50 }, (_, i) => coordinator.write(put(`k${i}`), 2, 'received'));
    const delays = (await Promise.all(writes.map((w) => Promise.race([w, flushMicrotasks().then(() => null)])))).length; // the writes wait: nothing is sent before its delay
    expect(delays).toBe(50);
    // Answer every message as soon as it is sent (a free window), for 40 ms of the fake clock.
    for (let ms = 0; ms <= 40; ms++) {
      for (const rpc of transport.unsettled()) rpc.answer();
      await flushMicrotasks();
      clock.advance(1);
    }
    const sentAt = new Map(
      transport.sent.flatMap((rpc) => rpc.lsns.map((lsn) => [`${rpc.follower}/${lsn}`, rpc.atMs])),
    );
    const results = await Promise.all(writes);
    // Every entry left at exactly the time its own delay for that follower elapsed (writes began at 0).
    for (const result of results)
      result.delaysMs.forEach((delayMs, follower) =>
        expect([result.entry.lsn, sentAt.get(`${follower}/${result.entry.lsn}`)]).toEqual([result.entry.lsn, delayMs]),
      );
    // One per entry and follower would be 100; armed again only for an earlier ready time (a new
    // minimum, ~ln 50 per follower), the stale ones still pending are a handful.
    expect(mostLive).toBeLessThanOrEqual(20);
  });

  it('with a defer (setImmediate in the app), sends the zero-delay entries of one turn in one message', async () => {
    const deferred: Array<() => void> = [];
    const { transport, coordinator } = setup({ followerCount: 2, defer: (run) => void deferred.push(run) });
    for (const key of ['a', 'b', 'c']) void coordinator.write(put(key), 1, 'received');
    expect(transport.sent).toHaveLength(0);
    expect(deferred).toHaveLength(2); // one per follower, not one per entry
    for (const run of deferred.splice(0)) run();
    expect(transport.sent.map((rpc) => [rpc.follower, rpc.lsns])).toEqual([
      [0, [1, 2, 3]],
      [1, [1, 2, 3]],
    ]);
    void coordinator.write(put('d'), 1, 'received');
    expect(deferred).toHaveLength(2); // a new turn defers again
  });

  it('bounds an outbox in bytes: beyond MAX_LOG_BYTES queued, entries are left to catch-up', async () => {
    const { transport, coordinator } = setup({ maxInFlightMessages: 1, maxLogBytes: 1024 });
    // The window is full after the first message, which is never answered: the rest queue up.
    for (let i = 0; i < 50; i++) void coordinator.write(put(`key-${i}`), 1, 'received');
    expect(transport.sent).toHaveLength(1);
    const { entries, bytes } = coordinator.queuedFor(0);
    expect(bytes).toBeGreaterThanOrEqual(1024);
    expect(bytes).toBeLessThan(1024 + 100); // at most one entry past the bound
    expect(entries).toBeLessThan(49);
    // Answered: what was queued goes in one message, and the queue is empty again.
    transport.unsettled()[0]?.answer();
    await flushMicrotasks();
    expect(transport.sent[1]?.lsns).toHaveLength(entries);
    expect(coordinator.queuedFor(0)).toEqual({ entries: 0, bytes: 0 });
  });

  it('cuts a message at maxCatchUpEntries entries', async () => {
    const { transport, coordinator } = setup({ maxInFlightMessages: 1, maxCatchUpEntries: 2 });
    for (const key of ['a', 'b', 'c', 'd', 'e', 'f']) void coordinator.write(put(key), 1, 'received');
    expect(transport.sent.map((rpc) => rpc.lsns)).toEqual([[1]]);
    transport.unsettled()[0]?.answer();
    await flushMicrotasks();
    expect(transport.sent.map((rpc) => rpc.lsns)).toEqual([[1], [2, 3]]);
  });

  // Cumulative acks. Delays uniform:0:100, seed 13, draw 93.2, 7.2 and 75.8 ms for LSNs 1, 2, 3:
  // they reach the follower as 2, 3, 1. Each message is answered at once; `settledAt` is the LSNs
  // of the writes (W=1) settled at 8, 76 and 94 ms.
  const tests: Array<{ name: string; ackMode: 'received' | 'applied'; settledAt: number[][] }> = [
    // `received`: 2 and 3 are stored beyond the gap and acked at once.
    { name: 'received: acked when stored, beyond a gap too', ackMode: 'received', settledAt: [[2], [2, 3], [1, 2, 3]] },
    // `applied`: 2 and 3 wait for 1; the answer that carries 1 reports applied up to 3, and that
    // one cumulative ack settles all three.
    { name: 'applied: one ack up to LSN 3 settles all three', ackMode: 'applied', settledAt: [[], [], [1, 2, 3]] },
  ];

  test.each(tests)('$name', async ({ ackMode, settledAt }) => {
    const { clock, transport, coordinator } = setup({ delayPlan: 'uniform:0:100', seed: 13 });
    const writes = ['a', 'b', 'c'].map((key) => track(coordinator.write(put(key), 1, ackMode)));
    for (const [step, atMs] of [8, 76, 94].entries()) {
      clock.advance(atMs - clock.now());
      for (const rpc of transport.unsettled()) rpc.answer();
      await flushMicrotasks();
      expect(writes.flatMap((w, i) => (w.settled ? [i + 1] : []))).toEqual(settledAt[step]);
    }
    expect(transport.sent.map((rpc) => rpc.lsns)).toEqual([[2], [3], [1]]);
    // `received` entries go by the batch route (versioned); `applied` ones one request each.
    expect('protocolVersion' in (transport.sent[0]?.request ?? {})).toBe(ackMode === 'received');
  });

  it('never puts an applied write in the window: it goes while the window is full', async () => {
    const { transport, coordinator } = setup({ maxInFlightMessages: 1 });
    void coordinator.write(put('a'), 1, 'received');
    void coordinator.write(put('b'), 1, 'received');
    void coordinator.write(put('c'), 1, 'applied');
    expect(transport.sent.map((rpc) => [rpc.lsns, rpc.request.ackMode])).toEqual([
      [[1], 'received'],
      [[3], 'applied'],
    ]);
  });

  it('counts a follower of another protocol version as down, and says why in /status', async () => {
    const { transport, coordinator } = setup({ followerCount: 2 });
    const first = track(coordinator.write(put('a'), 1, 'received'));
    transport.unsettled(0)[0]?.answer();
    const mismatch = 'the follower speaks replication protocol version 3; this node speaks 2';
    for (const rpc of transport.unsettled(1)) rpc.fail(mismatch);
    await flushMicrotasks();
    expect(first.value?.outcome.status).toBe('met');
    expect(coordinator.followerStatus()[1]?.lastError).toBe(mismatch);
    // A plain failure is not enough to be down; the refusal of another version is.
    const refusal = new FollowerRefusal('protocol_version_mismatch', mismatch, {});
    const sendBatch = transport.sendBatch.bind(transport);
    transport.sendBatch = (follower, request, timeoutMs) =>
      follower === 1 ? Promise.reject(refusal) : sendBatch(follower, request, timeoutMs);
    const second = track(coordinator.write(put('b'), 1, 'received'));
    transport.unsettled(0)[0]?.answer();
    await flushMicrotasks();
    expect(second.value?.outcome.status).toBe('met');
    const third = track(coordinator.write(put('c'), 2, 'received'));
    await flushMicrotasks();
    expect(third.value?.outcome).toMatchObject({ status: 'unreachable', elapsedMs: 0 });
  });
});
