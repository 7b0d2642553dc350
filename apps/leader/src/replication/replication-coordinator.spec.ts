import {
  ApiError,
  FakeClock,
  PROTOCOL_VERSION,
  type AckMode,
  type QuorumOutcome,
  type RecoveryStatus,
} from '@quorum-kv/replication-protocol';
import {
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  ReplicationCoordinator,
  storedCounts,
  type WriteOp,
  type WriteResult,
} from './replication-coordinator';
import type { RecoveryAttempt, ReplicationEvents } from './replication-events';
import {
  InMemoryTransport,
  coordinatorOptions,
  flushMicrotasks,
  type CoordinatorOverrides,
  type FollowerMode,
} from './testing';

/** Wall-clock time of the fake clock's 0, stamped on entries as leaderTimeMs. */
const WALL_START_MS = 1_700_000_000_000;

interface Setup extends CoordinatorOverrides {
  followerCount: number;
  mode?: FollowerMode;
}

function recordingEvents() {
  const log = {
    settled: [] as Array<{ w: number; outcome: QuorumOutcome }>,
    succeeded: [] as Array<{ follower: number; latencyMs: number }>,
    failed: [] as Array<{ follower: number; reason: string; firstFailure: boolean }>,
    catchUps: [] as Array<{ follower: number; entryCount: number }>,
    snapshots: [] as Array<{ follower: number; keyCount: number }>,
    snapshotRestarts: [] as Array<{ follower: number; reason: string }>,
    trimmed: [] as number[],
    attempts: [] as RecoveryAttempt[],
    recovered: [] as Array<{ epoch: number; status: RecoveryStatus }>,
    fenced: [] as Array<{ ownEpoch: number; newerEpoch: number; follower: number }>,
  };
  const events: ReplicationEvents = {
    writeSettled: (w, outcome) => log.settled.push({ w, outcome }),
    rpcSucceeded: (follower, latencyMs) => log.succeeded.push({ follower, latencyMs }),
    rpcFailed: (follower, reason, firstFailure) => log.failed.push({ follower, reason, firstFailure }),
    catchUpStarted: (follower, entryCount) => log.catchUps.push({ follower, entryCount }),
    snapshotStarted: (follower, keyCount) => log.snapshots.push({ follower, keyCount }),
    snapshotRestarted: (follower, reason) => log.snapshotRestarts.push({ follower, reason }),
    logTrimmed: (entryCount) => log.trimmed.push(entryCount),
    recoveryAttempt: (attempt) => log.attempts.push(attempt),
    recovered: (epoch, status) => log.recovered.push({ epoch, status }),
    fenced: (ownEpoch, newerEpoch, follower) => log.fenced.push({ ownEpoch, newerEpoch, follower }),
  };
  return { events, log };
}

function setup({ followerCount, mode = 'auto', ...overrides }: Setup) {
  const clock = new FakeClock();
  const transport = new InMemoryTransport(followerCount, clock, mode);
  const { events, log } = recordingEvents();
  const coordinator = new ReplicationCoordinator({
    ...coordinatorOptions(transport, clock, overrides),
    wallClockMs: () => WALL_START_MS + clock.now(),
    events,
  });
  /** The same draws the coordinator will make: one seeded stream per follower. */
  const replicaSampler = () => coordinatorOptions(transport, clock, overrides).sampler;
  return { clock, transport, coordinator, log, replicaSampler };
}

/** Follows a promise without awaiting it, so a test can assert "not settled yet". */
function track<T>(promise: Promise<T>) {
  const state: { settled: boolean; value?: T; error?: unknown } = { settled: false };
  promise.then(
    (value) => Object.assign(state, { settled: true, value }),
    (error: unknown) => Object.assign(state, { settled: true, error }),
  );
  return state;
}

/**
 * Moves the fake clock to `targetMs` in steps of at most 1 ms, letting promise callbacks (the
 * transport's answers) run after each step, as they would between real timer ticks.
 */
async function runTo(clock: FakeClock, targetMs: number): Promise<void> {
  await flushMicrotasks();
  while (clock.now() < targetMs) {
    clock.advance(Math.min(1, targetMs - clock.now()));
    await flushMicrotasks();
  }
}

const put = (key: string, value: unknown = key): WriteOp => ({ op: 'put', key, value: value as never });

describe('ReplicationCoordinator: the write answers at the W-th ack', () => {
  // Delays drawn per follower from the plan; every follower answers the moment its RPC is sent,
  // so the W-th ack arrives at the W-th smallest delay: the write must settle exactly then.
  const tests: Array<{ name: string; delayPlan: string; seed: number; n: number; w: number }> = [
    // One slow follower among fast ones: W=3 of 5 waits for the third fastest (200 ms).
    {
      name: 'constant per follower, W=3 of 5',
      delayPlan: 'constant:100;2=constant:300;3=constant:50;4=constant:200;5=constant:400',
      seed: 1,
      n: 5,
      w: 3,
    },
    // W=N waits for the slowest follower.
    { name: 'constant per follower, W=N', delayPlan: 'constant:100;2=constant:300;3=constant:50', seed: 1, n: 3, w: 3 },
    // The seed's default model, every W: the answer comes at the W-th order statistic.
    ...[1, 2, 3, 4, 5].map((w) => ({
      name: `uniform:0:1000 seed 7, W=${w} of 5`,
      delayPlan: 'uniform:0:1000',
      seed: 7,
      n: 5,
      w,
    })),
    // Another seed, so the order of followers differs.
    { name: 'uniform:0:1000 seed 12345, W=2 of 4', delayPlan: 'uniform:0:1000', seed: 12345, n: 4, w: 2 },
  ];

  test.each(tests)('$name', async ({ delayPlan, seed, n, w }) => {
    const { clock, transport, coordinator, log, replicaSampler } = setup({
      followerCount: n,
      delayPlan,
      seed,
      replicationTimeoutMs: 5000,
    });
    const sampler = replicaSampler();
    const expectedDelaysMs = Array.from({ length: n }, (_, i) => sampler.next(i));
    const sorted = [...expectedDelaysMs].sort((a, b) => a - b);
    const quorumAtMs = sorted[w - 1] as number;

    const write = track(coordinator.write(put('k1'), w, 'received'));
    for (const [index, atMs] of sorted.entries()) {
      // Just before this follower's send: nothing of it has happened, and no early answer.
      await runTo(clock, atMs - 0.001);
      expect(write.settled).toBe(index >= w);
      await runTo(clock, atMs);
      expect(write.settled).toBe(index + 1 >= w);
    }
    const result = write.value as WriteResult;
    expect(result.delaysMs).toEqual(expectedDelaysMs);
    expect(result.outcome.status).toBe('met');
    expect(result.outcome.elapsedMs).toBeCloseTo(quorumAtMs, 9);
    expect(result.outcome.ackCount).toBe(w);
    // The acked followers are the W fastest, in the order their acks came.
    const byDelay = expectedDelaysMs.map((d, i) => [d, i] as const).sort((a, b) => a[0] - b[0]);
    expect(result.outcome.ackedFollowers).toEqual(byDelay.slice(0, w).map(([, i]) => i));
    // Each follower's RPC was sent at its own delay, once, carrying the entry.
    for (let i = 0; i < n; i++) {
      const sends = transport.sentTo(i);
      expect(sends).toHaveLength(1);
      expect(sends[0]?.atMs).toBeCloseTo(expectedDelaysMs[i] as number, 9);
      expect(sends[0]?.lsns).toEqual([1]);
    }
    expect(log.settled).toEqual([{ w, outcome: result.outcome }]);
  });

  // A zero delay is sent within write() itself; any positive delay, however small, goes
  // through the delay timer (the clock's by default) and is sent at its time.
  test.each([
    {
      name: 'zero delay: sent at once',
      delayPlan: 'constant:0',
      want: [
        [0, 0],
        [1, 0],
      ],
    },
    {
      name: 'sub-millisecond delay: sent at its time',
      delayPlan: 'constant:0.2;2=constant:0',
      want: [
        [1, 0],
        [0, 0.2],
      ],
    },
  ])('$name', async ({ delayPlan, want }) => {
    const { clock, transport, coordinator } = setup({ followerCount: 2, delayPlan });
    const write = coordinator.write(put('a'), 2, 'received');
    const lastSendMs = want[1]?.[1] as number;
    await runTo(clock, lastSendMs);
    expect(transport.sent.map((rpc) => [rpc.follower, rpc.atMs])).toEqual(want);
    expect((await write).outcome).toMatchObject({ status: 'met', elapsedMs: lastSendMs });
  });

  it('hands every positive delay to the delayTimer option when one is given', async () => {
    // The leader wires a precise timer here; the coordinator must use it for every delayed send.
    const clock = new FakeClock();
    const transport = new InMemoryTransport(3, clock);
    const scheduled: Array<{ delayMs: number; run: () => void }> = [];
    const coordinator = new ReplicationCoordinator({
      ...coordinatorOptions(transport, clock, { delayPlan: 'constant:30;3=constant:0' }),
      delayTimer: (run, delayMs) => scheduled.push({ delayMs, run }),
      events: recordingEvents().events,
    });
    const write = track(coordinator.write(put('a'), 2, 'received'));
    expect(scheduled.map((s) => s.delayMs)).toEqual([30, 30]);
    expect(transport.sent.map((r) => r.follower)).toEqual([2]); // the zero delay went at once
    await runTo(clock, 100);
    expect(transport.sent).toHaveLength(1); // the fake clock does not run the delayTimer's sends
    expect(write.settled).toBe(false);
    scheduled[0]?.run();
    await flushMicrotasks();
    expect(write.settled).toBe(true);
    expect(transport.sent.map((r) => r.follower)).toEqual([2, 0]);
    coordinator.stop();
  });

  it('sends the same draws again for the same seed (a run replays)', async () => {
    const first = setup({ followerCount: 3, delayPlan: 'uniform:0:1000', seed: 99, mode: 'manual' });
    const second = setup({ followerCount: 3, delayPlan: 'uniform:0:1000', seed: 99, mode: 'manual' });
    void first.coordinator.write(put('a'), 1, 'received');
    void second.coordinator.write(put('a'), 1, 'received');
    await runTo(first.clock, 1000);
    await runTo(second.clock, 1000);
    expect(first.transport.sent.map((r) => [r.follower, r.atMs])).toEqual(
      second.transport.sent.map((r) => [r.follower, r.atMs]),
    );
    expect(first.transport.sent).toHaveLength(3);
  });
});

describe('storedCounts: which "stored" answers ack a write, by ack modes', () => {
  const cases: Array<{ why: string; write: AckMode; rpc: AckMode | undefined; counts: boolean }> = [
    { why: 'a received write takes any stored answer', write: 'received', rpc: 'received', counts: true },
    { why: 'a received write takes a flushed answer too', write: 'received', rpc: 'flushed', counts: true },
    { why: 'a flushed write takes an answer given after an fsync', write: 'flushed', rpc: 'flushed', counts: true },
    {
      why: 'a flushed write ignores a received answer (a heartbeat)',
      write: 'flushed',
      rpc: 'received',
      counts: false,
    },
    {
      why: 'a flushed write ignores an applied RPC (no fsync waited)',
      write: 'flushed',
      rpc: 'applied',
      counts: false,
    },
    { why: 'an applied write counts the applied LSN, never "stored"', write: 'applied', rpc: 'applied', counts: false },
  ];
  test.each(cases)('$why', ({ write, rpc, counts }) => expect(storedCounts(write, rpc)).toBe(counts));
});

describe('ReplicationCoordinator: how a write settles, by hand-answered RPCs', () => {
  // Each case: 5 followers, every RPC sent at 10 ms; then the test answers RPCs by hand at the
  // given times. The write must settle at exactly `settlesAtMs` with the given outcome.
  type Step = { atMs: number; follower: number; action: 'ack' | 'fail' | 'refuse' | 'answerNotApplied' };
  /** At `atMs`, the RPC to `follower` gets `action`. */
  const at = (atMs: number, action: Step['action'], follower: number): Step => ({ atMs, follower, action });
  const tests: Array<{
    name: string;
    w: number;
    ackMode?: AckMode;
    steps: Step[];
    settlesAtMs: number;
    want: Omit<QuorumOutcome, 'elapsedMs'>;
  }> = [
    {
      // Quorum needs 3 acks; the 3rd at 70 ms answers the client, not the 2nd and not the 4th.
      name: 'met at the W-th ack',
      w: 3,
      steps: [at(20, 'ack', 4), at(40, 'ack', 1), at(70, 'ack', 0), at(90, 'ack', 2)],
      settlesAtMs: 70,
      want: { status: 'met', ackCount: 3, ackedFollowers: [4, 1, 0] },
    },
    {
      // W=3 of 5: two failures leave 3 possible followers; the third failure makes it impossible,
      // and the write answers at once instead of waiting out the timeout.
      name: 'unreachable as soon as too many followers fail',
      w: 3,
      steps: [at(20, 'fail', 0), at(30, 'ack', 1), at(40, 'fail', 2), at(45, 'fail', 3)],
      settlesAtMs: 45,
      want: { status: 'unreachable', ackCount: 1, ackedFollowers: [1] },
    },
    {
      // W=N=5: the first failure settles it.
      name: 'W=N unreachable at the first failure',
      w: 5,
      steps: [at(15, 'ack', 2), at(25, 'fail', 3)],
      settlesAtMs: 25,
      want: { status: 'unreachable', ackCount: 1, ackedFollowers: [2] },
    },
    {
      // A follower whose buffer was full refuses the entry: a failure for this write, not an ack.
      name: 'a refused entry counts as a failure',
      w: 4,
      steps: [at(20, 'ack', 0), at(30, 'refuse', 1), at(40, 'refuse', 2)],
      settlesAtMs: 40,
      want: { status: 'unreachable', ackCount: 1, ackedFollowers: [0] },
    },
    {
      // In `applied` mode an answer whose appliedLsn does not cover the entry is no ack.
      name: 'applied mode: an answer that has not applied the entry is no ack',
      w: 2,
      ackMode: 'applied',
      steps: [at(20, 'answerNotApplied', 0), at(30, 'answerNotApplied', 1), at(50, 'ack', 2), at(60, 'ack', 3)],
      settlesAtMs: 60,
      want: { status: 'met', ackCount: 2, ackedFollowers: [2, 3] },
    },
    {
      // In `flushed` mode the write's own RPCs ask for a flushed ack: their answers count.
      name: 'flushed mode: met at the W-th answer of its own (flushed) RPCs',
      w: 2,
      ackMode: 'flushed',
      steps: [at(20, 'ack', 3), at(30, 'ack', 1)],
      settlesAtMs: 30,
      want: { status: 'met', ackCount: 2, ackedFollowers: [3, 1] },
    },
    {
      // Fewer than W acks by replicationTimeoutMs (2000): timeout, naming the acks that came.
      name: 'timeout at replicationTimeoutMs',
      w: 3,
      steps: [at(100, 'ack', 0), at(1999, 'ack', 1)],
      settlesAtMs: 2000,
      want: { status: 'timeout', ackCount: 2, ackedFollowers: [0, 1] },
    },
  ];

  test.each(tests)('$name', async ({ w, ackMode = 'received', steps, settlesAtMs, want }) => {
    const { clock, transport, coordinator } = setup({ followerCount: 5, delayPlan: 'constant:10', mode: 'manual' });
    const write = track(coordinator.write(put('k'), w, ackMode));
    await runTo(clock, 10);
    expect(transport.sent.map((r) => r.follower)).toEqual([0, 1, 2, 3, 4]);
    for (const step of steps) {
      await runTo(clock, step.atMs);
      const rpc = transport.unsettled(step.follower)[0];
      if (!rpc) throw new Error(`no RPC to follower ${step.follower} at ${step.atMs}`);
      const notApplied = {
        followerId: `f${step.follower}`,
        appliedLsn: 0,
        bufferedCount: 1,
        epoch: 1,
        appliedEpoch: 0,
      };
      if (step.action === 'ack') rpc.answer();
      else if (step.action === 'fail') rpc.fail('connection reset');
      else if (step.action === 'refuse') rpc.respond({ ...notApplied, bufferedCount: 0, refusedLsns: rpc.lsns });
      else rpc.respond({ ...notApplied, refusedLsns: [] });
      await flushMicrotasks();
      expect(write.settled).toBe(step.atMs >= settlesAtMs);
    }
    if (settlesAtMs > clock.now()) {
      // Settles on a timer after the last answer: not a millisecond early.
      await runTo(clock, settlesAtMs - 1);
      expect(write.settled).toBe(false);
      await runTo(clock, settlesAtMs);
    }
    expect(write.settled).toBe(true);
    const result = write.value as WriteResult;
    expect(result.outcome).toEqual({ ...want, elapsedMs: settlesAtMs });
    // Never rolled back: the leader keeps the entry whatever the outcome.
    expect(coordinator.log.lastLsn).toBe(1);
    expect(coordinator.state.get('k')).toEqual({ value: 'k', lsn: 1 });
    expect(coordinator.inFlightWrites).toBe(0);
  });

  it('sends applyWaitMs and a longer RPC timeout in applied mode only', async () => {
    const { transport, coordinator } = setup({ followerCount: 2, mode: 'manual', replicationTimeoutMs: 700 });
    void coordinator.write(put('a'), 1, 'applied');
    void coordinator.write(put('b'), 1, 'received');
    const [applied, received] = [transport.sent[0], transport.sent[2]];
    expect(applied?.request).toEqual({
      leaderId: 'leader-1',
      clusterId: 'cluster',
      epoch: 1,
      prevLsn: 0,
      prevEpoch: 0,
      ackMode: 'applied',
      applyWaitMs: 700,
      entries: [expect.objectContaining({ lsn: 1, op: 'put', key: 'a', value: 'a', epoch: 1 })],
    });
    expect(applied?.timeoutMs).toBe(1400);
    expect(received?.request).toEqual({
      protocolVersion: PROTOCOL_VERSION,
      leaderId: 'leader-1',
      clusterId: 'cluster',
      epoch: 1,
      prevLsn: 1,
      prevEpoch: 1,
      ackMode: 'received',
      entries: [expect.objectContaining({ lsn: 2, key: 'b' })],
    });
    expect(received?.timeoutMs).toBe(700);
  });

  it('replicates a delete as a tombstone entry', async () => {
    const { transport, coordinator } = setup({ followerCount: 2 });
    await coordinator.write(put('a', 1), 2, 'received');
    const result = await coordinator.write({ op: 'delete', key: 'a' }, 2, 'received');
    expect(result.entry).toMatchObject({ lsn: 2, op: 'delete', key: 'a' });
    expect(result.entry).not.toHaveProperty('value');
    expect(coordinator.state.get('a')).toBeUndefined();
    for (const i of [0, 1]) expect(transport.applier(i).state.snapshot()).toEqual({});
  });
});

describe('ReplicationCoordinator: replication goes on after the answer', () => {
  it('sends to every follower after the quorum is met (nothing is cancelled)', async () => {
    // W=1: the client is answered at 100 ms; the followers at 200..500 ms still get the entry.
    const { clock, transport, coordinator } = setup({
      followerCount: 5,
      delayPlan: 'constant:100;2=constant:200;3=constant:300;4=constant:400;5=constant:500',
    });
    const write = track(coordinator.write(put('k', { n: 1 }), 1, 'received'));
    await runTo(clock, 100);
    expect((write.value as WriteResult).outcome).toMatchObject({ status: 'met', elapsedMs: 100 });
    expect(coordinator.isDrained()).toBe(false);
    await runTo(clock, 499);
    expect(transport.sent.map((r) => r.follower)).toEqual([0, 1, 2, 3]);
    await runTo(clock, 500);
    expect(transport.sent.map((r) => [r.follower, r.atMs])).toEqual([
      [0, 100],
      [1, 200],
      [2, 300],
      [3, 400],
      [4, 500],
    ]);
    for (let i = 0; i < 5; i++) expect(transport.applier(i).state.snapshot()).toEqual({ k: { n: 1 } });
    expect(coordinator.isDrained()).toBe(true);
    expect(coordinator.followerStatus().map((f) => f.ackedLsn)).toEqual([1, 1, 1, 1, 1]);
  });

  it('keeps the RPCs of a timed-out write and counts their late answers in the follower status', async () => {
    const { clock, transport, coordinator } = setup({ followerCount: 3, mode: 'manual', replicationTimeoutMs: 2000 });
    const write = track(coordinator.write(put('late'), 2, 'received'));
    await runTo(clock, 2000);
    expect((write.value as WriteResult).outcome.status).toBe('timeout');
    // The RPCs were not cancelled, and no duplicate catch-up was sent while they were in flight.
    expect(transport.unsettled()).toHaveLength(3);
    expect(transport.sent).toHaveLength(3);
    for (const rpc of transport.unsettled()) rpc.answer();
    await flushMicrotasks();
    expect(coordinator.isDrained()).toBe(true);
    for (let i = 0; i < 3; i++) expect(transport.applier(i).state.get('late')?.lsn).toBe(1);
  });
});

describe('ReplicationCoordinator: catch-up', () => {
  it('catches a failed follower up from the log after backoff, and the ack completes a pending write', async () => {
    // W=2 of 3. Follower 1 is down, follower 2 never answers: only a catch-up of follower 1
    // can complete the quorum. Backoff after failures: 50 ms, then 100 ms.
    const { clock, transport, coordinator, log } = setup({
      followerCount: 3,
      delayPlan: 'constant:10',
      catchUpIntervalMs: 10,
    });
    transport.setMode(1, 'down');
    transport.setMode(2, 'manual');
    const write = track(coordinator.write(put('x'), 2, 'received'));
    await runTo(clock, 10);
    expect(write.settled).toBe(false); // one ack, one failure, one pending
    expect(coordinator.followerStatus()[1]).toMatchObject({
      state: 'unreachable',
      consecutiveFailures: 1,
      lastError: 'connection refused',
    });
    await runTo(clock, 59);
    expect(transport.sentTo(1).map((r) => r.atMs)).toEqual([10]); // backoff: no retry yet
    await runTo(clock, 60);
    expect(transport.sentTo(1).map((r) => r.atMs)).toEqual([10, 60]); // first catch-up, fails again
    await runTo(clock, 100);
    transport.setMode(1, 'auto'); // the follower comes back
    await runTo(clock, 159);
    expect(write.settled).toBe(false);
    expect(transport.sentTo(1)).toHaveLength(2);
    await runTo(clock, 160); // 60 + 100 ms of backoff
    expect(transport.sentTo(1).map((r) => [r.atMs, r.lsns])).toEqual([
      [10, [1]],
      [60, [1]],
      [160, [1]],
    ]);
    const result = write.value as WriteResult;
    expect(result.outcome).toEqual({ status: 'met', ackCount: 2, ackedFollowers: [0, 1], elapsedMs: 160 });
    expect(log.catchUps).toEqual([
      { follower: 1, entryCount: 1 },
      { follower: 1, entryCount: 1 },
    ]);
    // The failure is logged once (firstFailure), not per retry.
    expect(log.failed.map((f) => [f.follower, f.firstFailure])).toEqual([
      [1, true],
      [1, false],
    ]);
    expect(coordinator.followerStatus()[1]).toMatchObject({
      state: 'streaming',
      ackedLsn: 1,
      consecutiveFailures: 0,
      lastError: null,
    });
  });

  it('backs off exponentially while a follower stays down, up to the cap', async () => {
    // DEFAULT_BACKOFF: 50 ms doubling to at most 1000 ms, counted from each failure.
    const { clock, transport, coordinator } = setup({ followerCount: 2, catchUpIntervalMs: 10 });
    transport.setMode(1, 'down');
    await coordinator.write(put('a'), 1, 'received');
    await runTo(clock, 5000);
    expect(transport.sentTo(1).map((r) => r.atMs)).toEqual([0, 50, 150, 350, 750, 1550, 2550, 3550, 4550]);
  });

  it('sends a far-behind follower its gap in batches of maxCatchUpEntries, one at a time', async () => {
    // Five writes fail on follower 1 (backoff grows to 800 ms); when it is back, the log comes in
    // batches of 2, the next one as soon as the previous one is answered.
    // (Each write's RPC times out: a follower that is down only after 10 such failures still gets every write.)
    const { clock, transport, coordinator, log } = setup({
      followerCount: 2,
      maxCatchUpEntries: 2,
      catchUpIntervalMs: 10,
      failFastAfterFailures: 10,
    });
    transport.setMode(1, 'manual');
    for (let i = 1; i <= 5; i++) {
      await coordinator.write(put(`k${i}`, i), 1, 'received');
      transport.unsettled(1)[0]?.fail('no answer within 2000 ms');
      await flushMicrotasks();
    }
    expect(coordinator.followerStatus()[1]).toMatchObject({
      ackedLsn: 0,
      lagEntries: 5,
      state: 'unreachable',
      consecutiveFailures: 5,
    });
    transport.setMode(1, 'manual');
    await runTo(clock, 799);
    expect(transport.sentTo(1)).toHaveLength(5);
    await runTo(clock, 800);
    const batches = () =>
      transport
        .sentTo(1)
        .slice(5)
        .map((r) => [r.atMs, r.lsns]);
    expect(batches()).toEqual([[800, [1, 2]]]);
    // Only one catch-up at a time: ticks while it is in flight send nothing more.
    await runTo(clock, 900);
    expect(batches()).toHaveLength(1);
    transport.unsettled(1)[0]?.answer();
    await flushMicrotasks();
    expect(batches()).toEqual([
      [800, [1, 2]],
      [900, [3, 4]],
    ]);
    // Answered once, a catch-up still running: catching up, not unreachable any more.
    expect(coordinator.followerStatus()[1]).toMatchObject({
      ackedLsn: 2,
      lagEntries: 3,
      state: 'catching-up',
      consecutiveFailures: 0,
    });
    transport.unsettled(1)[0]?.answer();
    await flushMicrotasks();
    transport.unsettled(1)[0]?.answer();
    await flushMicrotasks();
    expect(batches().map(([, lsns]) => lsns)).toEqual([[1, 2], [3, 4], [5]]);
    expect(log.catchUps).toEqual([
      { follower: 1, entryCount: 2 },
      { follower: 1, entryCount: 2 },
      { follower: 1, entryCount: 1 },
    ]);
    expect(transport.applier(1).state.snapshot()).toEqual(coordinator.state.snapshot());
    expect(coordinator.followerStatus()[1]).toMatchObject({ ackedLsn: 5, lagEntries: 0, lagMs: 0, state: 'streaming' });
    expect(coordinator.isDrained()).toBe(true);
  });

  it('sends everything again to a follower that restarted empty (new instance id, appliedLsn 0)', async () => {
    const { clock, transport, coordinator } = setup({ followerCount: 2 });
    for (const key of ['a', 'b', 'c']) await coordinator.write(put(key), 2, 'received');
    expect(coordinator.followerStatus()[1]?.ackedLsn).toBe(3);
    transport.restart(1);
    // The next write reaches the empty follower; it buffers lsn 4 and reports appliedLsn 0.
    const fourth = await coordinator.write(put('d'), 2, 'received');
    await runTo(clock, 1);
    expect(fourth.outcome.status).toBe('met');
    // Entries 1-2 were trimmed once both followers had them, so the restarted one gets a
    // snapshot of the leader's state at lsn 4 instead of the entries.
    const toRestarted = transport.sentTo(1).slice(3);
    expect(toRestarted.map((r) => r.lsns)).toEqual([[4]]);
    expect(transport.snapshots.map((s) => [s.follower, s.request.lsn])).toEqual([[1, 4]]);
    expect(transport.applier(1).appliedLsn).toBe(4);
    expect(transport.applier(1).state.snapshot()).toEqual({ a: 'a', b: 'b', c: 'c', d: 'd' });
    expect(coordinator.followerStatus()[1]).toMatchObject({ ackedLsn: 4, lagEntries: 0, state: 'streaming' });
  });

  it('notices a follower that restarted empty after the last write, by its heartbeat', async () => {
    const { clock, transport, coordinator } = setup({ followerCount: 2 });
    for (const key of ['a', 'b', 'c']) await coordinator.write(put(key), 2, 'received');
    await runTo(clock, 10);
    expect(coordinator.isDrained()).toBe(true);
    transport.restart(1);
    // No more writes: only the heartbeat (the last entry again, after 1 s of quiet) reveals it.
    await runTo(clock, DEFAULT_HEARTBEAT_INTERVAL_MS + 300);
    expect(transport.applier(1).appliedLsn).toBe(3);
    expect(transport.applier(1).state.snapshot()).toEqual({ a: 'a', b: 'b', c: 'c' });
    expect(coordinator.isDrained()).toBe(true);
  });

  // Replaces the old guard "a follower ahead of the leader's log acks nothing": epochs decide now.
  it('counts no applied ack from a follower whose log is of another epoch, and marks it for a snapshot', async () => {
    const { transport, coordinator } = setup({ followerCount: 1, mode: 'manual', replicationTimeoutMs: 100 });
    const result = coordinator.write(put('a'), 1, 'applied');
    transport.unsettled()[0]?.respond({
      followerId: 'f1-a',
      appliedLsn: 50,
      refusedLsns: [],
      bufferedCount: 0,
      epoch: 1,
      appliedEpoch: 7,
    });
    await flushMicrotasks();
    // Its LSN 50 counted for nothing: it got this leader's state as a snapshot, and only that acks the write.
    expect(transport.snapshots.map((s) => ({ lsn: s.request.lsn, epoch: s.request.epoch }))).toEqual([
      { lsn: 1, epoch: 1 },
    ]);
    const { outcome } = await result;
    expect(outcome).toMatchObject({ status: 'met', ackCount: 1 });
    expect(coordinator.followerStatus()[0]).toMatchObject({ progress: 'replicate', ackedLsn: 1 });
    expect(transport.applier(0).state.snapshot()).toEqual({ a: 'a' });
  });

  it('ignores a lower appliedLsn from the same instance (a late, stale answer)', async () => {
    const { transport, coordinator } = setup({ followerCount: 1, mode: 'manual' });
    void coordinator.write(put('a'), 1, 'received');
    void coordinator.write(put('b'), 1, 'received');
    const [first, second] = transport.unsettled();
    const answer = { followerId: 'f1-a', refusedLsns: [], bufferedCount: 0, epoch: 1 };
    second?.respond({ ...answer, appliedLsn: 2, appliedEpoch: 1 });
    first?.respond({ ...answer, appliedLsn: 0, appliedEpoch: 0 });
    await flushMicrotasks();
    expect(coordinator.followerStatus()[0]?.ackedLsn).toBe(2);
    expect(coordinator.isDrained()).toBe(true);
  });
});

describe('ReplicationCoordinator: limits and status', () => {
  it('sheds a write beyond maxInFlightWrites with overloaded (retry after 1 s) and writes nothing', async () => {
    const { transport, coordinator } = setup({ followerCount: 1, mode: 'manual', maxInFlightWrites: 2 });
    const first = track(coordinator.write(put('a'), 1, 'received'));
    void coordinator.write(put('b'), 1, 'received');
    expect(coordinator.inFlightWrites).toBe(2);
    const refused = coordinator.write(put('c'), 1, 'received');
    await expect(refused).rejects.toBeInstanceOf(ApiError);
    await expect(refused).rejects.toMatchObject({
      code: 'overloaded',
      definite: true,
      details: { maxInFlightWrites: 2, retryAfterS: 1 },
    });
    // A definite refusal: no LSN, no state change, no RPC.
    expect(coordinator.log.lastLsn).toBe(2);
    expect(coordinator.state.get('c')).toBeUndefined();
    expect(transport.sent).toHaveLength(2);
    // Once one write settles there is room again.
    transport.unsettled()[0]?.answer();
    await flushMicrotasks();
    expect(first.settled).toBe(true);
    expect(coordinator.inFlightWrites).toBe(1);
    void coordinator.write(put('d'), 1, 'received');
    expect(coordinator.log.lastLsn).toBe(3);
  });

  it('reports per follower acked LSN, lag in entries and in ms, and state', async () => {
    // Follower 0 answers at once; follower 1 holds both RPCs; follower 2 fails.
    const { clock, transport, coordinator } = setup({ followerCount: 3 });
    transport.setMode(1, 'manual');
    transport.setMode(2, 'down');
    void coordinator.write(put('a'), 1, 'received'); // lsn 1 at t=0
    await runTo(clock, 100);
    void coordinator.write(put('b'), 1, 'received'); // lsn 2 at t=100
    await runTo(clock, 130); // follower 2's catch-ups keep failing, none succeed
    const status = coordinator.followerStatus();
    expect(status[0]).toEqual({
      url: 'http://follower-1.test:8080',
      progress: 'replicate',
      ackedLsn: 2,
      lagEntries: 0,
      lagMs: 0,
      state: 'streaming',
      needsSnapshot: false,
      inFlight: 0,
      consecutiveFailures: 0,
      lastError: null,
      snapshot: null,
      snapshotRestarts: 0,
    });
    // Behind by 2, both in flight: streaming; lag in ms since lsn 1 was written at t=0.
    expect(status[1]).toMatchObject({ ackedLsn: 0, lagEntries: 2, lagMs: 130, state: 'streaming', inFlight: 2 });
    expect(status[2]).toMatchObject({
      ackedLsn: 0,
      lagEntries: 2,
      lagMs: 130,
      state: 'unreachable',
      lastError: 'connection refused',
    });
    expect(coordinator.isDrained()).toBe(false);
    // Follower 1 answers lsn 2 only (buffered there, lsn 1 still missing): an answer is no
    // progress, its applied LSN and lag stay where they were.
    transport.unsettled(1)[1]?.answer();
    await flushMicrotasks();
    expect(coordinator.followerStatus()[1]).toMatchObject({ ackedLsn: 0, lagEntries: 2, lagMs: 130, inFlight: 1 });
    transport.unsettled(1)[0]?.answer();
    transport.setMode(2, 'auto');
    await runTo(clock, 2000);
    expect(coordinator.followerStatus().map((f) => [f.ackedLsn, f.lagEntries, f.lagMs, f.state])).toEqual([
      [2, 0, 0, 'streaming'],
      [2, 0, 0, 'streaming'],
      [2, 0, 0, 'streaming'],
    ]);
    expect(coordinator.isDrained()).toBe(true);
  });

  it('is drained with an empty log, not while any follower lacks an entry', async () => {
    const { clock, transport, coordinator } = setup({ followerCount: 2, delayPlan: 'constant:10;2=constant:30' });
    expect(coordinator.isDrained()).toBe(true);
    void coordinator.write(put('a'), 1, 'received');
    expect(coordinator.isDrained()).toBe(false);
    await runTo(clock, 10);
    expect(coordinator.isDrained()).toBe(false);
    await runTo(clock, 30);
    expect(coordinator.isDrained()).toBe(true);
    expect(transport.sent).toHaveLength(2);
  });

  it('stops its timers and the transport on stop(), and sends nothing after', async () => {
    const { clock, transport, coordinator } = setup({ followerCount: 2, delayPlan: 'constant:50' });
    void coordinator.write(put('a'), 1, 'received');
    coordinator.stop();
    expect(transport.closed).toBe(true);
    await runTo(clock, 3000);
    expect(transport.sent).toHaveLength(0);
  });
});

describe('ReplicationCoordinator: log trimming and snapshots', () => {
  it('trims entries every follower has applied, keeping the last one', async () => {
    const { coordinator, log } = setup({ followerCount: 3 });
    for (const key of ['a', 'b', 'c', 'd']) await coordinator.write(put(key), 3, 'received');
    await flushMicrotasks();
    expect(coordinator.log.length).toBe(1);
    expect(coordinator.log.firstLsn).toBe(4);
    expect(log.trimmed.reduce((a, b) => a + b, 0)).toBe(3);
  });

  it('keeps what a lagging follower lacks, until maxLogEntries forces a trim; then it gets a snapshot', async () => {
    const { clock, transport, coordinator, log } = setup({ followerCount: 2, maxLogEntries: 3 });
    transport.setMode(1, 'down');
    for (const key of ['a', 'b', 'c']) await coordinator.write(put(key), 1, 'received');
    // Follower 2 has nothing: with room in the log, nothing is trimmed.
    expect(coordinator.log.firstLsn).toBe(1);
    for (const key of ['d', 'e']) await coordinator.write(put(key), 1, 'received');
    // Over the bound: the oldest entries go although follower 2 lacks them.
    expect(coordinator.log.length).toBeLessThanOrEqual(3);
    expect(coordinator.log.firstLsn).toBeGreaterThan(1);
    transport.setMode(1, 'auto');
    await runTo(clock, 2000);
    expect(log.snapshots.map((s) => s.follower)).toContain(1);
    expect(transport.applier(1).state.snapshot()).toEqual(coordinator.state.snapshot());
    expect(coordinator.isDrained()).toBe(true);
  });
});

describe('ReplicationCoordinator: fail fast', () => {
  it('answers at once, unreachable, when a follower whose last RPC failed is needed for W', async () => {
    const { clock, transport, coordinator } = setup({ followerCount: 2, delayPlan: 'constant:100' });
    transport.setMode(1, 'down');
    // The first write learns that follower 2 is down when its RPC fails, after the 100 ms delay.
    const first = coordinator.write(put('a'), 2, 'received');
    await runTo(clock, 150);
    expect((await first).outcome).toMatchObject({ status: 'unreachable', elapsedMs: 100 });
    // The next W=2 write does not wait for its own RPC: follower 2 is known to be failing.
    const second = await coordinator.write(put('b'), 2, 'received');
    expect(second.outcome).toMatchObject({ status: 'unreachable', elapsedMs: 0, ackCount: 0 });
    // W=1 still succeeds, once follower 1 acks after its delay.
    const third = coordinator.write(put('c'), 1, 'received');
    await runTo(clock, 300);
    expect((await third).outcome.status).toBe('met');
    // Back up: after a successful catch-up the follower counts again.
    transport.setMode(1, 'auto');
    await runTo(clock, 2500);
    const fourth = coordinator.write(put('d'), 2, 'received');
    await runTo(clock, 2700);
    expect((await fourth).outcome.status).toBe('met');
  });

  // Overload degrades, it does not fail: a follower that is alive but slow (its RPCs time out
  // on a busy machine) is waited for, and only a follower really down is skipped from the start.
  const tests: Array<{
    name: string;
    failures: Array<string | undefined>;
    failFastAfterFailures?: number;
    want: string;
  }> = [
    // One timeout: the next W=2 write still waits for follower 2, which then acks.
    { name: 'one timeout', failures: ['timeout'], want: 'met' },
    { name: 'two timeouts', failures: ['timeout', 'timeout'], want: 'met' },
    // FAIL_FAST_AFTER_FAILURES (3) in a row: down; the next W=2 write is answered at once.
    { name: 'three timeouts in a row', failures: ['timeout', 'timeout', 'timeout'], want: 'unreachable' },
    // Connection refused (no reason given: FollowerUnreachable): down after one.
    { name: 'connection refused', failures: [undefined], want: 'unreachable' },
    // The threshold is a setting.
    { name: 'threshold 1, one timeout', failures: ['timeout'], failFastAfterFailures: 1, want: 'unreachable' },
  ];

  test.each(tests)('$name', async ({ failures, failFastAfterFailures, want }) => {
    const { clock, transport, coordinator } = setup({
      followerCount: 2,
      mode: 'manual',
      catchUpIntervalMs: 60_000,
      ...(failFastAfterFailures !== undefined && { failFastAfterFailures }),
    });
    for (const [i, reason] of failures.entries()) {
      const write = coordinator.write(put(`f${i}`), 1, 'received');
      await flushMicrotasks();
      transport.unsettled(0).forEach((rpc) => rpc.answer());
      transport.unsettled(1).forEach((rpc) => rpc.fail(reason));
      await flushMicrotasks();
      expect((await write).outcome.status).toBe('met');
    }
    const next = track(coordinator.write(put('next'), 2, 'received'));
    await flushMicrotasks();
    if (want === 'unreachable') {
      expect(next.settled).toBe(true);
      expect((next.value as WriteResult).outcome).toMatchObject({ status: 'unreachable', elapsedMs: 0 });
    } else {
      expect(next.settled).toBe(false);
      // Follower 2 is alive: it acks this write (and the catch-up of the ones it missed).
      for (const rpc of transport.unsettled()) rpc.answer();
      await runTo(clock, 1);
      expect((next.value as WriteResult).outcome.status).toBe('met');
    }
  });
});
