import { QuorumTracker, tally, type QuorumDecision } from './quorum';

describe('tally', () => {
  const tests: Array<{ acks: number; failures: number; w: number; n: number; want: QuorumDecision }> = [
    // Nothing heard yet: every quorum is still possible.
    { acks: 0, failures: 0, w: 1, n: 5, want: 'pending' },
    { acks: 0, failures: 0, w: 5, n: 5, want: 'pending' },
    // W=1 is met by the very first ack (asynchronous-like replication).
    { acks: 1, failures: 0, w: 1, n: 5, want: 'met' },
    // One ack short of W is still pending, exactly W is met, more than W stays met.
    { acks: 2, failures: 0, w: 3, n: 5, want: 'pending' },
    { acks: 3, failures: 0, w: 3, n: 5, want: 'met' },
    { acks: 4, failures: 1, w: 3, n: 5, want: 'met' },
    // W=N with a single failure can never be met: say so at once, do not wait out the timeout.
    { acks: 0, failures: 1, w: 5, n: 5, want: 'unreachable' },
    { acks: 4, failures: 1, w: 5, n: 5, want: 'unreachable' },
    // Failures up to N-W leave exactly W followers that may still ack: pending, not unreachable.
    { acks: 0, failures: 2, w: 3, n: 5, want: 'pending' },
    { acks: 2, failures: 2, w: 3, n: 5, want: 'pending' },
    // One failure more than N-W: unreachable, whatever acks are already in.
    { acks: 0, failures: 3, w: 3, n: 5, want: 'unreachable' },
    { acks: 2, failures: 3, w: 3, n: 5, want: 'unreachable' },
    // W=1 survives N-1 failures and is lost only when every follower failed.
    { acks: 0, failures: 4, w: 1, n: 5, want: 'pending' },
    { acks: 0, failures: 5, w: 1, n: 5, want: 'unreachable' },
    // Met wins over failures: once W acks are in, later failures cannot take the quorum back.
    { acks: 1, failures: 4, w: 1, n: 5, want: 'met' },
    { acks: 2, failures: 1, w: 2, n: 3, want: 'met' },
    // A single follower cluster: its one answer decides.
    { acks: 0, failures: 0, w: 1, n: 1, want: 'pending' },
    { acks: 1, failures: 0, w: 1, n: 1, want: 'met' },
    { acks: 0, failures: 1, w: 1, n: 1, want: 'unreachable' },
  ];
  test.each(tests)('acks=$acks failures=$failures w=$w n=$n -> $want', ({ acks, failures, w, n, want }) => {
    expect(tally(acks, failures, w, n)).toBe(want);
  });
});

describe('QuorumTracker', () => {
  // A W outside 1..N is a configuration error that must be refused, not silently waited on forever.
  test.each([
    { w: 0, n: 5 },
    { w: 6, n: 5 },
    { w: -1, n: 5 },
    { w: 1.5, n: 5 },
    { w: Number.NaN, n: 5 },
  ])('rejects w=$w for n=$n', ({ w, n }) => {
    expect(() => new QuorumTracker(w, n)).toThrow(RangeError);
  });

  it('counts a follower once however many times it acks', () => {
    // A retried RPC may ack the same write twice; it must not stand in for a second follower.
    const t = new QuorumTracker(2, 3);
    expect(t.ack(1)).toBe('pending');
    expect(t.ack(1)).toBe('pending');
    expect(t.ack(1)).toBe('pending');
    expect(t.ackCount).toBe(1);
    expect(t.ack(2)).toBe('met');
    expect(t.ackCount).toBe(2);
    expect(t.ackedFollowers()).toEqual([1, 2]);
  });

  it('counts a follower once however many times it fails', () => {
    // Two failed RPCs of one follower are one lost follower, not two.
    const t = new QuorumTracker(2, 3);
    expect(t.fail(0)).toBe('pending');
    expect(t.fail(0)).toBe('pending');
    expect(t.failureCount).toBe(1);
    expect(t.fail(1)).toBe('unreachable');
    expect(t.failureCount).toBe(2);
  });

  it('turns a failure into an ack when a retry of the same follower succeeds', () => {
    // The first RPC timed out but a catch-up delivered the entry: the follower has it.
    const t = new QuorumTracker(3, 3);
    expect(t.fail(0)).toBe('unreachable');
    expect(t.ack(0)).toBe('pending');
    expect(t.failureCount).toBe(0);
    expect(t.ackCount).toBe(1);
    expect(t.hasAcked(0)).toBe(true);
    expect(t.ack(1)).toBe('pending');
    expect(t.ack(2)).toBe('met');
  });

  it('ignores a failure after an ack of the same follower', () => {
    // A late failing duplicate RPC must not un-count a follower that has the entry.
    const t = new QuorumTracker(2, 2);
    t.ack(0);
    expect(t.fail(0)).toBe('pending');
    expect(t.failureCount).toBe(0);
    expect(t.ackCount).toBe(1);
    expect(t.hasAcked(0)).toBe(true);
    expect(t.ack(1)).toBe('met');
  });

  it('keeps acked followers in ack order', () => {
    // The write's response names who acked first; the order must be the arrival order.
    const t = new QuorumTracker(3, 5);
    t.ack(4);
    t.ack(0);
    t.ack(2);
    expect(t.ackedFollowers()).toEqual([4, 0, 2]);
    expect(t.hasAcked(1)).toBe(false);
  });

  // An index outside 0..N-1 is a caller bug (wrong follower mapping); it must throw, never count.
  test.each([-1, 5, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('rejects follower index %p for n=5', (follower) => {
    const t = new QuorumTracker(1, 5);
    expect(() => t.ack(follower)).toThrow(RangeError);
    expect(() => t.fail(follower)).toThrow(RangeError);
    expect(t.ackCount).toBe(0);
    expect(t.failureCount).toBe(0);
    expect(t.decision()).toBe('pending');
  });
});
