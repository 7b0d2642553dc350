/**
 * The coordinator's byte bounds: MAX_STORE_BYTES refuses a put before it gets an LSN,
 * MAX_LOG_BYTES trims the oldest entries (the follower that lacks them is then shown as needing
 * a snapshot, and gets one), and catch-up batches stay under MAX_CATCH_UP_BYTES.
 */
import { ApiError, FakeClock, entryBytes, jsonBytes, putBytes } from '@quorum-kv/replication-protocol';
import { ReplicationCoordinator, type WriteOp } from './replication-coordinator';
import { NO_EVENTS } from './replication-events';
import { InMemoryTransport, coordinatorOptions, flushMicrotasks } from './testing';

const VALUE = 'x'.repeat(1000);
/** Bytes of one put of VALUE at a one-letter key. */
const PUT_BYTES = putBytes('a', jsonBytes(VALUE));

function setup(bounds: { maxStoreBytes?: number; maxLogBytes?: number; maxCatchUpBytes?: number }) {
  const clock = new FakeClock();
  const transport = new InMemoryTransport(2, clock, 'auto');
  const catchUps: number[] = [];
  const snapshots: number[] = [];
  const coordinator = new ReplicationCoordinator({
    ...coordinatorOptions(transport, clock, bounds),
    events: {
      ...NO_EVENTS,
      catchUpStarted: (_follower, entryCount) => catchUps.push(entryCount),
      snapshotStarted: (follower) => snapshots.push(follower),
    },
  });
  return { clock, transport, coordinator, catchUps, snapshots };
}

const put = (key: string, value: string = VALUE): WriteOp => ({ op: 'put', key, value });

async function runTo(clock: FakeClock, targetMs: number): Promise<void> {
  while (clock.now() < targetMs) {
    clock.advance(5);
    await flushMicrotasks();
  }
}

describe('ReplicationCoordinator: MAX_STORE_BYTES', () => {
  // Each case: the puts before (keys), the put tried, and whether it fits in three puts' bytes.
  test.each([
    { why: 'a new key within the bound is taken', before: ['a', 'b'], key: 'c', refused: false },
    { why: 'a new key beyond the bound is refused', before: ['a', 'b', 'c'], key: 'd', refused: true },
    {
      why: 'an overwrite replaces its old bytes, so it fits at the bound',
      before: ['a', 'b', 'c'],
      key: 'a',
      refused: false,
    },
  ])('$why', async ({ before, key, refused }) => {
    const { coordinator, transport } = setup({ maxStoreBytes: 3 * PUT_BYTES });
    for (const k of before) await coordinator.write(put(k), 1, 'received');
    const lastLsn = coordinator.log.lastLsn;
    const sent = transport.sent.length;
    const write = coordinator.write(put(key), 1, 'received');
    if (!refused) {
      await expect(write).resolves.toMatchObject({ entry: { lsn: lastLsn + 1 } });
      return;
    }
    await expect(write).rejects.toBeInstanceOf(ApiError);
    await expect(write).rejects.toMatchObject({ code: 'store_full', definite: true });
    // Nothing half-written: no LSN, no state, no RPC.
    expect(coordinator.log.lastLsn).toBe(lastLsn);
    expect(coordinator.state.get(key)).toBeUndefined();
    expect(coordinator.state.bytes).toBe(before.length * PUT_BYTES);
    expect(transport.sent.length).toBe(sent);
  });

  it('always takes a delete, which frees room for a put', async () => {
    const { coordinator } = setup({ maxStoreBytes: 2 * PUT_BYTES });
    for (const k of ['a', 'b']) await coordinator.write(put(k), 1, 'received');
    await expect(coordinator.write(put('c'), 1, 'received')).rejects.toMatchObject({ code: 'store_full' });
    await coordinator.write({ op: 'delete', key: 'a' }, 1, 'received');
    await expect(coordinator.write(put('c'), 1, 'received')).resolves.toBeDefined();
  });
});

describe('ReplicationCoordinator: MAX_LOG_BYTES', () => {
  it('trims the oldest entries past the byte bound though a follower lacks them; it needs, then gets, a snapshot', async () => {
    const { clock, transport, coordinator, snapshots } = setup({ maxLogBytes: 5 * PUT_BYTES });
    transport.setMode(1, 'down');
    for (let i = 0; i < 20; i++) await coordinator.write(put(`k${i % 4}`), 1, 'received');
    expect(coordinator.log.bytes).toBeLessThanOrEqual(5 * PUT_BYTES + PUT_BYTES); // keys k0..k3 are one byte longer
    expect(coordinator.log.firstLsn).toBeGreaterThan(1);
    const status = coordinator.followerStatus();
    expect(status.map((f) => f.needsSnapshot)).toEqual([false, true]);
    transport.setMode(1, 'auto');
    await runTo(clock, 3000);
    expect(snapshots).toContain(1);
    expect(transport.applier(1).state.snapshot()).toEqual(coordinator.state.snapshot());
    expect(coordinator.followerStatus().map((f) => f.needsSnapshot)).toEqual([false, false]);
  });
});

describe('ReplicationCoordinator: MAX_CATCH_UP_BYTES', () => {
  it('sends a follower that was down its missing entries in batches no larger than the bound', async () => {
    const { clock, transport, coordinator, catchUps } = setup({ maxCatchUpBytes: 3 * PUT_BYTES + 10 });
    transport.setMode(1, 'down');
    for (let i = 0; i < 10; i++) await coordinator.write(put(`k${i}`), 1, 'received');
    transport.setMode(1, 'auto');
    const before = transport.sent.length;
    await runTo(clock, 3000);
    const batches = transport.sent.slice(before).filter((rpc) => rpc.follower === 1 && rpc.lsns.length > 1);
    expect(batches.length).toBeGreaterThan(0);
    for (const rpc of batches) {
      const bytes = rpc.request.entries.reduce((sum, e) => sum + entryBytes(e), 0);
      expect(bytes).toBeLessThanOrEqual(3 * PUT_BYTES + 10);
    }
    expect(Math.max(...catchUps)).toBeLessThanOrEqual(3);
    expect(transport.applier(1).appliedLsn).toBe(10);
  });
});
