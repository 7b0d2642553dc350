import {
  DEFAULT_BACKOFF,
  DEFAULT_FAIL_FAST_AFTER_FAILURES,
  FollowerProgress,
  type CatchUpRange,
  type FailureKind,
  type FollowerState,
} from './follower-progress';

const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);

describe('FollowerProgress.catchUpRange', () => {
  const tests: Array<{
    name: string;
    appliedLsn: number;
    inFlight: number[];
    leaderLsn: number;
    /** Default 512. */
    maxEntries?: number;
    want: CatchUpRange | null;
  }> = [
    // Up to date: nothing to send.
    { name: 'follower has everything', appliedLsn: 10, inFlight: [], leaderLsn: 10, want: null },
    // A report ahead of the leader (should not happen) must not produce a backwards range.
    { name: 'follower reports more than the leader has', appliedLsn: 12, inFlight: [], leaderLsn: 10, want: null },
    // Nothing in flight: the whole gap, from the first missing LSN.
    { name: 'whole gap', appliedLsn: 3, inFlight: [], leaderLsn: 10, want: { fromLsn: 4, toLsn: 10 } },
    // The batch is bounded by maxEntries, starting at the first missing LSN.
    {
      name: 'bounded by maxEntries',
      appliedLsn: 0,
      inFlight: [],
      leaderLsn: 1000,
      maxEntries: 512,
      want: { fromLsn: 1, toLsn: 512 },
    },
    { name: 'maxEntries 1', appliedLsn: 5, inFlight: [], leaderLsn: 10, maxEntries: 1, want: { fromLsn: 6, toLsn: 6 } },
    // The next needed entry is on its way: sending it again would double the traffic for nothing.
    { name: 'next needed entry in flight', appliedLsn: 3, inFlight: [4], leaderLsn: 10, want: null },
    {
      name: 'next needed entry in flight among others',
      appliedLsn: 3,
      inFlight: [4, 5, 6, 9],
      leaderLsn: 10,
      want: null,
    },
    // A gap before the first in-flight LSN: send the gap only, up to just before it.
    {
      name: 'gap up to the first in-flight LSN',
      appliedLsn: 3,
      inFlight: [7, 8, 9, 10],
      leaderLsn: 10,
      want: { fromLsn: 4, toLsn: 6 },
    },
    {
      name: 'stops at the first in-flight LSN, not a later one',
      appliedLsn: 0,
      inFlight: [3, 8],
      leaderLsn: 10,
      want: { fromLsn: 1, toLsn: 2 },
    },
    // In-flight LSNs beyond maxEntries do not matter.
    {
      name: 'in flight beyond the batch',
      appliedLsn: 0,
      inFlight: [9],
      leaderLsn: 10,
      maxEntries: 4,
      want: { fromLsn: 1, toLsn: 4 },
    },
    // In-flight LSNs already applied (a slow duplicate) do not block the catch-up.
    {
      name: 'in flight below appliedLsn',
      appliedLsn: 5,
      inFlight: [2, 3],
      leaderLsn: 8,
      want: { fromLsn: 6, toLsn: 8 },
    },
  ];
  test.each(tests)('$name', ({ appliedLsn, inFlight, leaderLsn, maxEntries = 512, want }) => {
    const p = new FollowerProgress();
    p.succeeded([], appliedLsn, 'f1', 0);
    p.sent(inFlight);
    expect(p.catchUpRange(leaderLsn, 0, maxEntries)).toEqual(want);
  });

  it('waits for the in-flight entry to settle, then sends from there', () => {
    // Once the RPC carrying the next needed entry fails, the catch-up must take over.
    const p = new FollowerProgress({ initialMs: 0, maxMs: 0 });
    p.sent([1]);
    expect(p.catchUpRange(3, 0, 512)).toBeNull();
    p.failed([1], 'timeout', 10);
    expect(p.catchUpRange(3, 10, 512)).toEqual({ fromLsn: 1, toLsn: 3 });
  });

  it('counts every RPC carrying an LSN: one settling leaves the other in flight', () => {
    // A catch-up and a regular RPC may carry the same LSN; the first answer must not clear both.
    const p = new FollowerProgress();
    p.sent([1]);
    p.sent([1]);
    expect(p.inFlightCount).toBe(1);
    p.succeeded([1], 0, 'f1', 5);
    expect(p.catchUpRange(1, 5, 512)).toBeNull();
    p.succeeded([1], 0, 'f1', 6);
    expect(p.inFlightCount).toBe(0);
    expect(p.catchUpRange(1, 6, 512)).toEqual({ fromLsn: 1, toLsn: 1 });
  });

  it('runs one catch-up at a time', () => {
    // Overlapping catch-ups would send the same entries twice and race each other.
    const p = new FollowerProgress();
    const r = p.catchUpRange(10, 0, 4) as CatchUpRange;
    expect(r).toEqual({ fromLsn: 1, toLsn: 4 });
    p.catchUpStarted(r);
    expect(p.isCatchingUp).toBe(true);
    expect(p.inFlightCount).toBe(4);
    expect(p.catchUpRange(10, 0, 4)).toBeNull();
    p.succeeded(range(1, 4), 4, 'f1', 1);
    expect(p.catchUpRange(10, 1, 4)).toBeNull(); // still flagged until catchUpEnded
    p.catchUpEnded();
    expect(p.isCatchingUp).toBe(false);
    expect(p.inFlightCount).toBe(0);
    expect(p.catchUpRange(10, 1, 4)).toEqual({ fromLsn: 5, toLsn: 8 });
  });
});

describe('FollowerProgress backoff', () => {
  const policy = { initialMs: 50, maxMs: 1000 };
  // Doubling from initialMs, capped at maxMs: a dead follower is probed at a bounded rate.
  const waits = [50, 100, 200, 400, 800, 1000, 1000, 1000];

  it(`waits ${waits.join(', ')} ms after consecutive failures`, () => {
    const p = new FollowerProgress(policy);
    let nowMs = 1000;
    waits.forEach((waitMs, i) => {
      p.failed([], `failure ${i + 1}`, nowMs);
      expect(p.consecutiveFailures).toBe(i + 1);
      expect(p.lastError).toBe(`failure ${i + 1}`);
      // One millisecond before the backoff ends: still waiting.
      expect(p.catchUpRange(5, nowMs + waitMs - 1, 512)).toBeNull();
      // At the end of the backoff: the catch-up may go.
      expect(p.catchUpRange(5, nowMs + waitMs, 512)).toEqual({ fromLsn: 1, toLsn: 5 });
      nowMs += waitMs;
    });
  });

  it('resets after a success', () => {
    // A follower that came back is served at once, and its next failure starts from initialMs.
    const p = new FollowerProgress(policy);
    for (let i = 0; i < 6; i++) p.failed([], 'down', 0);
    p.succeeded([], 2, 'f1', 3000);
    expect(p.consecutiveFailures).toBe(0);
    expect(p.lastError).toBeUndefined();
    expect(p.lastContactMs).toBe(3000);
    expect(p.catchUpRange(5, 3000, 512)).toEqual({ fromLsn: 3, toLsn: 5 });
    p.failed([], 'down again', 4000);
    expect(p.catchUpRange(5, 4049, 512)).toBeNull();
    expect(p.catchUpRange(5, 4050, 512)).toEqual({ fromLsn: 3, toLsn: 5 });
  });

  it('defaults to 50 ms doubling up to 1 s', () => {
    // The documented default; the apps rely on it when they pass no policy.
    expect(DEFAULT_BACKOFF).toEqual({ initialMs: 50, maxMs: 1000 });
    const p = new FollowerProgress();
    p.failed([], 'x', 0);
    expect(p.catchUpRange(1, 49, 512)).toBeNull();
    expect(p.catchUpRange(1, 50, 512)).not.toBeNull();
  });

  it('settles the failed RPC so its entries can be caught up', () => {
    // A failed RPC must not leave its LSNs "in flight" forever, or catch-up would never send them.
    const p = new FollowerProgress(policy);
    p.sent([1, 2, 3]);
    p.failed([1, 2, 3], 'refused', 0);
    expect(p.inFlightCount).toBe(0);
  });
});

describe('FollowerProgress appliedLsn and instanceId', () => {
  it('only moves appliedLsn forward for the same instance', () => {
    // Answers arrive out of order; a stale, lower report must not make the follower look behind.
    const p = new FollowerProgress();
    p.succeeded([], 7, 'inst-a', 1);
    expect(p.instanceId).toBe('inst-a');
    expect(p.appliedLsn).toBe(7);
    p.succeeded([], 5, 'inst-a', 2);
    expect(p.appliedLsn).toBe(7);
    p.succeeded([], 9, 'inst-a', 3);
    expect(p.appliedLsn).toBe(9);
  });

  it('believes a lower appliedLsn from a new instance', () => {
    // A follower restarted empty: the leader must resend from its real position, not from 9.
    const p = new FollowerProgress();
    p.succeeded([], 9, 'inst-a', 1);
    p.succeeded([], 0, 'inst-b', 2);
    expect(p.instanceId).toBe('inst-b');
    expect(p.appliedLsn).toBe(0);
    expect(p.catchUpRange(9, 2, 512)).toEqual({ fromLsn: 1, toLsn: 9 });
    p.succeeded([], 4, 'inst-b', 3);
    expect(p.appliedLsn).toBe(4);
  });
});

describe('FollowerProgress.state', () => {
  const tests: Array<{ name: string; setup: (p: FollowerProgress) => void; leaderLsn: number; want: FollowerState }> = [
    // A fresh follower with an empty log is streaming.
    { name: 'fresh, empty log', setup: () => undefined, leaderLsn: 0, want: 'streaming' },
    // Everything applied.
    { name: 'up to date', setup: (p) => p.succeeded([], 5, 'f', 0), leaderLsn: 5, want: 'streaming' },
    // Behind only by what is in flight: the normal state under load.
    {
      name: 'behind only by in-flight entries',
      setup: (p) => (p.succeeded([], 3, 'f', 0), p.sent([4, 5])),
      leaderLsn: 5,
      want: 'streaming',
    },
    // Missing more than is in flight: it needs a catch-up.
    {
      name: 'missing entries nothing carries',
      setup: (p) => (p.succeeded([], 1, 'f', 0), p.sent([5])),
      leaderLsn: 5,
      want: 'catching-up',
    },
    // The boundary: one entry missing beyond what is in flight is already catching up.
    {
      name: 'one entry more missing than in flight',
      setup: (p) => (p.succeeded([], 3, 'f', 0), p.sent([5])),
      leaderLsn: 5,
      want: 'catching-up',
    },
    // A catch-up in flight.
    {
      name: 'catch-up in flight',
      setup: (p) => p.catchUpStarted({ fromLsn: 1, toLsn: 5 }),
      leaderLsn: 5,
      want: 'catching-up',
    },
    // Any failure since the last success.
    { name: 'one failure', setup: (p) => p.failed([], 'econnrefused', 0), leaderLsn: 0, want: 'unreachable' },
    {
      name: 'failure wins over catching up',
      setup: (p) => (p.catchUpStarted({ fromLsn: 1, toLsn: 2 }), p.failed([1, 2], 'x', 0)),
      leaderLsn: 5,
      want: 'unreachable',
    },
    // Back after failures.
    {
      name: 'recovered',
      setup: (p) => (p.failed([], 'x', 0), p.succeeded([], 5, 'f', 100)),
      leaderLsn: 5,
      want: 'streaming',
    },
  ];
  test.each(tests)('$name -> $want', ({ setup, leaderLsn, want }) => {
    const p = new FollowerProgress();
    setup(p);
    expect(p.state(leaderLsn)).toBe(want);
  });
});

describe('FollowerProgress.isDown (fail fast)', () => {
  type Event = { at: number } & (
    { failed: FailureKind } | { succeeded: true } | { needsSnapshot: true } | { chunkAcked: true }
  );
  // What the leader saw of the follower at a time: a timeout (or another failure), a refused
  // connection, an answer, an answer from a log that disagrees, a snapshot chunk acked.
  const timeout = (at: number): Event => ({ at, failed: 'other' });
  const refused = (at: number): Event => ({ at, failed: 'unreachable' });
  const answered = (at: number): Event => ({ at, succeeded: true });
  const disagrees = (at: number): Event => ({ at, needsSnapshot: true });
  const chunkAcked = (at: number): Event => ({ at, chunkAcked: true });
  const tests: Array<{ name: string; events: Event[]; failFastAfterFailures?: number; want: boolean }> = [
    // Never contacted: nothing says it is down.
    { name: 'new follower', events: [], want: false },
    // One slow RPC on a busy machine (a timeout) must not fail the next writes.
    { name: 'one timeout', events: [timeout(0)], want: false },
    { name: 'two timeouts', events: [timeout(0), timeout(10)], want: false },
    // Several in a row: it is down, whatever the kind.
    { name: 'three timeouts in a row', events: [timeout(0), timeout(10), timeout(20)], want: true },
    // A refused connection: nothing listens there; down at once.
    { name: 'connection refused once', events: [refused(0)], want: true },
    // A success in between starts the count over.
    { name: 'timeouts broken by a success', events: [timeout(0), timeout(10), answered(20), timeout(30)], want: false },
    // Refused, then answered: back up.
    { name: 'refused then answered', events: [refused(0), answered(50)], want: false },
    // Refused, then a timeout: the last failure was not a refusal, and one is not enough.
    { name: 'refused then one timeout', events: [refused(0), timeout(50)], want: false },
    // Its log disagrees: it answered, so it is not down.
    { name: 'refused then answered with another epoch', events: [refused(0), disagrees(50)], want: false },
    // Restarted empty, it answered a snapshot chunk: alive again, live writes go to it.
    { name: 'refused then a snapshot chunk acked', events: [refused(0), chunkAcked(50)], want: false },
    // The threshold is a setting.
    { name: 'threshold 1: one timeout', events: [timeout(0)], failFastAfterFailures: 1, want: true },
    {
      name: 'threshold 5: four timeouts',
      events: [timeout(0), timeout(1), timeout(2), timeout(3)],
      failFastAfterFailures: 5,
      want: false,
    },
  ];

  test.each(tests)('$name', ({ events, failFastAfterFailures, want }) => {
    const progress = new FollowerProgress();
    for (const event of events) {
      if ('failed' in event) progress.failed([], 'x', event.at, event.failed);
      else if ('succeeded' in event) progress.succeeded([], 0, 'f1-a', event.at);
      else if ('chunkAcked' in event) progress.snapshotChunkAcked(event.at);
      else progress.needsSnapshot('another epoch', event.at);
    }
    expect(progress.isDown(failFastAfterFailures)).toBe(want);
  });

  it('defaults to DEFAULT_FAIL_FAST_AFTER_FAILURES consecutive failures', () => {
    const progress = new FollowerProgress();
    for (let i = 1; i < DEFAULT_FAIL_FAST_AFTER_FAILURES; i++) progress.failed([], 'timeout', i);
    expect(progress.isDown()).toBe(false);
    progress.failed([], 'timeout', 99);
    expect(progress.isDown()).toBe(true);
  });
});
