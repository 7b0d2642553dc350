import { FakeClock } from '../testing';
import { QuorumWait, type QuorumOutcome } from './quorum-wait';

/** Records the outcome as soon as the promise resolves, so a test can see "not settled yet". */
function watch(wait: QuorumWait): { outcome: () => QuorumOutcome | undefined; resolutions: () => number } {
  let outcome: QuorumOutcome | undefined;
  let resolutions = 0;
  void wait.done.then((o) => {
    outcome = o;
    resolutions += 1;
  });
  return { outcome: () => outcome, resolutions: () => resolutions };
}

type WaitEvent = { atMs: number; ack?: number; fail?: number };
/** At `atMs`, `follower` acks or fails. */
const at = (atMs: number, what: 'ack' | 'fail', follower: number): WaitEvent => ({ atMs, [what]: follower });

/** Lets pending promise callbacks run (no time passes on the fake clock). */
const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('QuorumWait', () => {
  // Each case: acks/failures at given fake times; the wait (timeout TIMEOUT_MS) must settle at the
  // right event, with the right status, at the right elapsed time, and leave no timer behind.
  const TIMEOUT_MS = 2000;
  const tests: Array<{
    name: string;
    w: number;
    n: number;
    events: WaitEvent[];
    want: QuorumOutcome;
  }> = [
    {
      // The answer goes out at the W-th ack: its latency is the time of that ack, not later.
      name: 'met at the W-th ack',
      w: 3,
      n: 5,
      events: [at(100, 'ack', 0), at(250, 'ack', 3), at(400, 'ack', 1), at(900, 'ack', 2)],
      want: { status: 'met', ackCount: 3, ackedFollowers: [0, 3, 1], elapsedMs: 400 },
    },
    {
      // W=1: the first ack answers the client.
      name: 'W=1 met by the first ack',
      w: 1,
      n: 5,
      events: [at(7, 'ack', 4)],
      want: { status: 'met', ackCount: 1, ackedFollowers: [4], elapsedMs: 7 },
    },
    {
      // A repeated ack of one follower must not complete the quorum early.
      name: 'duplicate acks do not count',
      w: 2,
      n: 3,
      events: [at(10, 'ack', 0), at(20, 'ack', 0), at(30, 'ack', 0), at(600, 'ack', 2)],
      want: { status: 'met', ackCount: 2, ackedFollowers: [0, 2], elapsedMs: 600 },
    },
    {
      // Failures that leave W possible followers keep waiting; the next one settles it at once.
      name: 'unreachable as soon as W cannot be reached',
      w: 4,
      n: 5,
      events: [at(10, 'ack', 2), at(50, 'fail', 0), at(80, 'fail', 1)],
      want: { status: 'unreachable', ackCount: 1, ackedFollowers: [2], elapsedMs: 80 },
    },
    {
      // W=N and one follower fails: nothing can save the quorum, so no waiting for the timeout.
      name: 'W=N unreachable at the first failure',
      w: 5,
      n: 5,
      events: [at(0, 'fail', 3)],
      want: { status: 'unreachable', ackCount: 0, ackedFollowers: [], elapsedMs: 0 },
    },
    {
      // W=N: the failure settles the wait at once; a retry that succeeds later cannot revive it,
      // because the client already got its (indefinite) answer.
      name: 'unreachable is final even if the failed follower acks later',
      w: 2,
      n: 2,
      events: [at(100, 'ack', 1), at(150, 'fail', 0), at(300, 'ack', 0)],
      want: { status: 'unreachable', ackCount: 1, ackedFollowers: [1], elapsedMs: 150 },
    },
    {
      // A failure healed by a retry no longer counts as a failure: had follower 0's failure
      // stayed, follower 1's failure would make W=3 of 4 unreachable at 200 ms.
      name: 'failure healed by a retry completes the quorum',
      w: 3,
      n: 4,
      events: [at(100, 'fail', 0), at(150, 'ack', 0), at(200, 'fail', 1), at(300, 'ack', 2), at(450, 'ack', 3)],
      want: { status: 'met', ackCount: 3, ackedFollowers: [0, 2, 3], elapsedMs: 450 },
    },
    {
      // Too few acks before the timeout: the outcome names the acks that did arrive.
      name: 'timeout with the acks so far',
      w: 3,
      n: 5,
      events: [at(100, 'ack', 0), at(500, 'ack', 1), at(1999, 'fail', 2)],
      want: { status: 'timeout', ackCount: 2, ackedFollowers: [0, 1], elapsedMs: 2000 },
    },
  ];

  test.each(tests)('$name', async ({ w, n, events, want }) => {
    const clock = new FakeClock();
    clock.advance(1234); // a start time other than 0: elapsedMs is relative to the wait's start
    const wait = new QuorumWait(w, n, TIMEOUT_MS, clock);
    const watched = watch(wait);
    let nowMs = 0;
    // Events after the settling one are fed too: they must change nothing.
    for (const event of events) {
      clock.advance(event.atMs - nowMs);
      nowMs = event.atMs;
      if (event.ack !== undefined) wait.ack(event.ack);
      if (event.fail !== undefined) wait.fail(event.fail);
      await flush();
      // Settled exactly when the outcome's elapsed time says, never earlier.
      expect(wait.isSettled).toBe(nowMs >= want.elapsedMs);
      expect(watched.outcome() !== undefined).toBe(nowMs >= want.elapsedMs);
    }
    if (!wait.isSettled) clock.advance(TIMEOUT_MS - nowMs);
    await flush();
    expect(watched.outcome()).toEqual(want);
    expect(clock.pendingTimers).toBe(0);
  });

  it('does not time out one millisecond early', async () => {
    // The timeout is the replication timeout the client asked for, not a little less.
    const clock = new FakeClock();
    const wait = new QuorumWait(2, 3, 2000, clock);
    const watched = watch(wait);
    wait.ack(0);
    clock.advance(1999);
    await flush();
    expect(wait.isSettled).toBe(false);
    expect(watched.outcome()).toBeUndefined();
    clock.advance(1);
    await flush();
    expect(watched.outcome()).toEqual({ status: 'timeout', ackCount: 1, ackedFollowers: [0], elapsedMs: 2000 });
  });

  // After settling, the outcome is final: late acks or failures must not change what the client got.
  test.each([
    { name: 'met', settle: (q: QuorumWait) => (q.ack(0), q.ack(1)), status: 'met' },
    { name: 'unreachable', settle: (q: QuorumWait) => (q.fail(0), q.fail(1)), status: 'unreachable' },
  ])('events after settling ($name) change nothing', async ({ settle, status }) => {
    const clock = new FakeClock();
    const wait = new QuorumWait(2, 3, 1000, clock);
    const watched = watch(wait);
    settle(wait);
    await flush();
    const first = watched.outcome();
    expect(first?.status).toBe(status);
    const ackCountAtSettle = wait.ackCount;
    wait.ack(2);
    wait.fail(0);
    wait.ack(0);
    clock.advance(5000);
    await flush();
    expect(wait.ackCount).toBe(ackCountAtSettle);
    expect(watched.outcome()).toEqual(first);
    expect(watched.resolutions()).toBe(1);
    expect(await wait.done).toEqual(first);
    expect(clock.pendingTimers).toBe(0);
  });

  it('ignores acks after a timeout', async () => {
    // A write that timed out stays timed out for its client even if the W-th ack lands 1 ms later.
    const clock = new FakeClock();
    const wait = new QuorumWait(1, 2, 100, clock);
    clock.advance(100);
    wait.ack(0);
    const outcome = await wait.done;
    expect(outcome).toEqual({ status: 'timeout', ackCount: 0, ackedFollowers: [], elapsedMs: 100 });
    expect(wait.ackCount).toBe(0);
    expect(wait.hasAcked(0)).toBe(false);
  });

  it('holds exactly one timer while waiting and none after', () => {
    // A leaked timer per write would keep the process alive and grow without bound.
    const clock = new FakeClock();
    const wait = new QuorumWait(2, 5, 2000, clock);
    expect(clock.pendingTimers).toBe(1);
    wait.ack(0);
    expect(clock.pendingTimers).toBe(1);
    wait.ack(1);
    expect(wait.isSettled).toBe(true);
    expect(clock.pendingTimers).toBe(0);
  });

  it('aborts with an error: done rejects, no timer is left, and later acks change nothing', async () => {
    const clock = new FakeClock();
    const wait = new QuorumWait(2, 3, 2000, clock);
    wait.ack(0);
    wait.abort(new Error('fenced'));
    await expect(wait.done).rejects.toThrow('fenced');
    expect(wait.isSettled).toBe(true);
    expect(clock.pendingTimers).toBe(0);
    wait.ack(1);
    expect(wait.ackCount).toBe(1);
  });

  it('ignores an abort once settled: the outcome stands', async () => {
    const clock = new FakeClock();
    const wait = new QuorumWait(1, 3, 2000, clock);
    wait.ack(2);
    wait.abort(new Error('too late'));
    await expect(wait.done).resolves.toMatchObject({ status: 'met', ackedFollowers: [2] });
  });

  it('refuses an impossible W without leaving a timer', () => {
    // The constructor validates W before arming the timeout.
    const clock = new FakeClock();
    expect(() => new QuorumWait(6, 5, 2000, clock)).toThrow(RangeError);
    expect(() => new QuorumWait(0, 5, 2000, clock)).toThrow(RangeError);
    expect(clock.pendingTimers).toBe(0);
  });

  it('throws on an out-of-range follower while waiting', () => {
    // A wrong follower index must surface, not be counted.
    const clock = new FakeClock();
    const wait = new QuorumWait(1, 3, 2000, clock);
    expect(() => wait.ack(3)).toThrow(RangeError);
    expect(() => wait.fail(-1)).toThrow(RangeError);
    expect(wait.isSettled).toBe(false);
    expect(wait.ackCount).toBe(0);
  });
});
