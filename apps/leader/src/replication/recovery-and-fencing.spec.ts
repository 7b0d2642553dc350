import { ApiError, FakeClock, putEntry, type Entry, type RecoveryStatus } from '@quorum-kv/replication-protocol';
import { ReplicationCoordinator, type WriteOp } from './replication-coordinator';
import { NO_EVENTS, type RecoveryAttempt } from './replication-events';
import { InMemoryTransport, coordinatorOptions, flushMicrotasks } from './testing';

const put = (key: string, value: unknown = key): WriteOp => ({ op: 'put', key, value: value as never });
const entry = (lsn: number, epoch: number, key: string, value: string): Entry => putEntry(lsn, key, value, epoch);

/** Five in-memory followers and a leader that starts recovering, with R = `recoveryQuorum`. */
function setup(recoveryQuorum = 3, n = 5) {
  const clock = new FakeClock();
  const transport = new InMemoryTransport(n, clock, 'auto');
  const attempts: RecoveryAttempt[] = [];
  const recovered: RecoveryStatus[] = [];
  const fenced: Array<{ ownEpoch: number; newerEpoch: number }> = [];
  const coordinator = new ReplicationCoordinator({
    ...coordinatorOptions(transport, clock, { clusterId: 'c-test', recoveryQuorum, recovering: true }),
    replicationTimeoutMs: 500,
    wallClockMs: () => 1_000_000 + clock.now(),
    events: {
      ...NO_EVENTS,
      recoveryAttempt: (a) => attempts.push(a),
      recovered: (_epoch, status) => recovered.push(status),
      fenced: (ownEpoch, newerEpoch) => fenced.push({ ownEpoch, newerEpoch }),
    },
  });
  /** Gives follower i a log of epoch 1 as an earlier leader left it, and that leader's promise. */
  const holds = (i: number, entries: Entry[], promised = 1) => {
    transport.applier(i).receive(entries);
    transport.promise(i, promised);
  };
  /** Runs recovery to its end, moving the fake clock through the retry waits. */
  const recover = async (maxMs = 20_000) => {
    const done = coordinator.startRecovery();
    let finished = false;
    void done.then(() => (finished = true));
    for (let ms = 0; ms < maxMs && !finished; ms += 10) {
      await flushMicrotasks();
      clock.advance(10);
    }
    await flushMicrotasks();
    return finished;
  };
  return { clock, transport, coordinator, attempts, recovered, fenced, holds, recover };
}

describe('recovery on start-up', () => {
  it('refuses reads and writes while recovering, then serves the log R followers hold under a higher epoch', async () => {
    const t = setup(3);
    // The old leader (epoch 1) wrote a..c; a W=1 write (c) reached follower 1 only.
    for (const i of [0, 1, 2, 3, 4]) t.holds(i, [entry(1, 1, 'a', 'A'), entry(2, 1, 'b', 'B')]);
    t.holds(0, [entry(3, 1, 'c', 'C')]);
    await expect(t.coordinator.write(put('x'), 1, 'received')).rejects.toMatchObject({ code: 'recovering' });
    expect(await t.recover()).toBe(true);
    // Epoch 1 was promised already: the first attempt is refused, the second (epoch 2) wins.
    expect({ state: t.coordinator.leaderState, epoch: t.coordinator.epoch }).toEqual({ state: 'serving', epoch: 2 });
    expect(t.attempts).toHaveLength(1);
    // It settles as soon as R can no longer be reached: three refusals of five at R=3.
    expect(t.attempts[0]?.round.refusedBy).toHaveLength(3);
    const status = t.coordinator.recoveryStatus as RecoveryStatus;
    expect(status).toMatchObject({ done: true, attempts: 2, holesFilled: 0 });
    expect(status.answered).toHaveLength(3);
    // Whether c survives depends on who answered first: all five answer at once here, so 1..3.
    expect(status.answered).toEqual([1, 2, 3]);
    expect(t.coordinator.state.snapshot()).toEqual({ a: 'A', b: 'B', c: 'C' });
    expect(t.coordinator.log.lastLsn).toBe(3);
    // New writes continue the log under epoch 2.
    const written = await t.coordinator.write(put('d'), 5, 'received');
    expect(written.entry).toMatchObject({ lsn: 4, epoch: 2 });
    expect(written.outcome.status).toBe('met');
  });

  it('is not held up by unreachable followers once R promised', async () => {
    const t = setup(3);
    t.transport.setMode(0, 'down');
    t.transport.setMode(1, 'manual'); // never answers (paused)
    t.holds(2, [entry(1, 1, 'a', 'A')], 0);
    expect(await t.recover(1_000)).toBe(true);
    expect(t.coordinator.recoveryStatus).toMatchObject({ answered: [3, 4, 5], adopted: { '3': 1 }, lastLsn: 1 });
  });

  it('keeps trying, one attempt event each, while fewer than R promise; then recovers', async () => {
    const t = setup(3);
    for (const i of [0, 1, 2]) t.transport.setMode(i, 'down');
    expect(await t.recover(3_000)).toBe(false);
    expect(t.coordinator.leaderState).toBe('recovering');
    const attempts = t.attempts.length;
    expect(attempts).toBeGreaterThan(1);
    expect(t.attempts.every((a) => a.round.promised.size < 3 && a.round.failed.size === 3)).toBe(true);
    // Each attempt proposes a higher epoch than the last.
    const epochs = t.attempts.map((a) => a.epoch);
    expect(epochs).toEqual([...epochs].sort((a, b) => a - b));
    expect(new Set(epochs).size).toBe(epochs.length);
    t.transport.setMode(0, 'auto');
    for (let ms = 0; ms < 5_000 && t.coordinator.leaderState === 'recovering'; ms += 10) {
      await flushMicrotasks();
      t.clock.advance(10);
    }
    expect(t.coordinator.leaderState).toBe('serving');
  });

  it('fills LSNs no responder holds with no-ops, and is not drained until every follower has its snapshot', async () => {
    const t = setup(2);
    t.transport.setMode(2, 'down');
    t.transport.setMode(3, 'down');
    t.transport.setMode(4, 'down');
    t.holds(0, [entry(1, 1, 'a', 'A'), entry(3, 1, 'c', 'C')]); // 2 never arrived: buffered 3
    t.holds(2, [entry(1, 1, 'a', 'stale'), entry(2, 1, 'z', 'divergent')]); // down during recovery
    expect(await t.recover()).toBe(true);
    expect(t.coordinator.recoveryStatus).toMatchObject({ holesFilled: 1, lastLsn: 3 });
    expect(t.coordinator.state.snapshot()).toEqual({ a: 'A', c: 'C' });
    expect(t.coordinator.isDrained()).toBe(false);
    // The divergent follower comes back: it is brought in line by a snapshot of the new epoch.
    for (const i of [2, 3, 4]) t.transport.setMode(i, 'auto');
    for (let ms = 0; ms < 3_000 && !t.coordinator.isDrained(); ms += 10) {
      await flushMicrotasks();
      t.clock.advance(10);
    }
    expect(t.coordinator.isDrained()).toBe(true);
    expect(t.transport.applier(2).state.snapshot()).toEqual({ a: 'A', c: 'C' });
    expect(t.transport.applier(2).appliedEpoch).toBe(t.coordinator.epoch);
    expect(t.transport.promisedEpoch(2)).toBe(t.coordinator.epoch);
  });
});

describe('fencing', () => {
  it('a follower that promised a higher epoch fences the leader: in-flight writes get the indefinite error, new ones 503 fenced', async () => {
    const t = setup(3);
    expect(await t.recover()).toBe(true);
    const epoch = t.coordinator.epoch;
    for (let ms = 0; ms < 200; ms += 10) {
      await flushMicrotasks();
      t.clock.advance(10);
    }
    // A newer leader recovered through followers 1..3 (they promised epoch + 5).
    for (const i of [0, 1, 2]) t.transport.promise(i, epoch + 5);
    for (const i of [3, 4]) t.transport.setMode(i, 'manual');
    const inFlight = t.coordinator.write(put('late'), 3, 'received').catch((error: unknown) => error);
    await flushMicrotasks();
    const error = (await inFlight) as ApiError;
    expect(error).toBeInstanceOf(ApiError);
    expect({ code: error.code, definite: error.definite }).toEqual({ code: 'superseded', definite: false });
    expect(t.coordinator.leaderState).toBe('fenced');
    expect(t.coordinator.fencedBy).toBe(epoch + 5);
    expect(t.fenced).toEqual([{ ownEpoch: epoch, newerEpoch: epoch + 5 }]);
    await expect(t.coordinator.write(put('after'), 1, 'received')).rejects.toMatchObject({
      code: 'fenced',
      details: { epoch: epoch + 5 },
    });
    // Nothing it sent stuck on the followers that promised the newer epoch.
    for (const i of [0, 1, 2]) expect(t.transport.applier(i).state.get('late')).toBeUndefined();
  });
});
