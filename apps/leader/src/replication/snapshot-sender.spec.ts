/**
 * Snapshots in chunks, through the coordinator with a fake clock and the in-memory transport
 * (whose followers stage chunks as a real one does): bounded chunks, one serialisation per chunk
 * whatever the retries, a point-in-time state followed by the log, and a snapshot started again
 * when the follower lost its chunks or the log was trimmed past the snapshot's LSN.
 */
import { FakeClock, jsonBytes, putBytes, type JsonValue } from '@quorum-kv/replication-protocol';
import { ReplicationCoordinator, type WriteOp } from './replication-coordinator';
import { NO_EVENTS } from './replication-events';
import { InMemoryTransport, coordinatorOptions, flushMicrotasks, type SentChunk } from './testing';

const VALUE = 'x'.repeat(1000);
const PUT_BYTES = putBytes('k00', jsonBytes(VALUE));
const CHUNK_BYTES = 3 * PUT_BYTES;
/** What a chunk's body holds besides its items: the header, at its longest here. */
const HEADER_BYTES = 512;
const LAGGING = 1;

function setup(bounds: { maxLogEntries?: number } = {}) {
  const clock = new FakeClock();
  const transport = new InMemoryTransport(2, clock, 'auto');
  const restarts: Array<{ follower: number; reason: string }> = [];
  const coordinator = new ReplicationCoordinator({
    ...coordinatorOptions(transport, clock, { maxCatchUpBytes: CHUNK_BYTES, maxLogEntries: bounds.maxLogEntries ?? 5 }),
    events: { ...NO_EVENTS, snapshotRestarted: (follower, reason) => restarts.push({ follower, reason }) },
  });
  return { clock, transport, coordinator, restarts };
}

type Setup = ReturnType<typeof setup>;

const put = (key: string, value: JsonValue = VALUE): WriteOp => ({ op: 'put', key, value });
const key = (i: number) => `k${String(i).padStart(2, '0')}`;

async function runTo(clock: FakeClock, targetMs: number): Promise<void> {
  while (clock.now() < targetMs) {
    clock.advance(5);
    await flushMicrotasks();
  }
}

/** Writes `count` keys while the lagging follower is down, so the log moves past what it lacks. */
async function fillWhileDown({ transport, coordinator }: Setup, count: number): Promise<void> {
  transport.setMode(LAGGING, 'down');
  for (let i = 0; i < count; i++) await coordinator.write(put(key(i)), 1, 'received');
  transport.setMode(LAGGING, 'auto');
}

/** Lets time pass until a held chunk to the lagging follower waits for an answer. */
async function nextHeldChunk({ clock, transport }: Setup): Promise<SentChunk> {
  for (let i = 0; i < 1000; i++) {
    const waiting = transport.chunks.find((c) => c.follower === LAGGING && !c.settled);
    if (waiting) return waiting;
    clock.advance(5);
    await flushMicrotasks();
  }
  throw new Error('no chunk was sent');
}

function expectConverged({ transport, coordinator }: Setup): void {
  expect(transport.applier(LAGGING).state.snapshot()).toEqual(coordinator.state.snapshot());
  expect(transport.applier(LAGGING).appliedLsn).toBe(coordinator.log.lastLsn);
}

describe('ReplicationCoordinator: snapshots in chunks', () => {
  it('sends a store larger than a chunk in several, each bounded in bytes, and installs it at the last', async () => {
    const t = setup();
    await fillWhileDown(t, 20);
    // While it is down its first chunk is retried as it is; once writes come, a fresh snapshot
    // replaces it, so no old state stays pinned for it.
    t.transport.setMode(LAGGING, 'down');
    await runTo(t.clock, 2500); // backoff: at most a second between attempts
    const [first, ...retries] = t.transport.snapshots;
    expect(retries.length).toBeGreaterThan(0);
    for (const retry of retries) expect(retry.chunk).toBe(first?.chunk);
    await t.coordinator.write(put(key(20)), 1, 'received');
    await runTo(t.clock, 5000);
    const fresh = t.transport.snapshots.at(-1);
    expect(fresh?.request).toMatchObject({ lsn: 21, seq: 0 });
    expect(fresh?.request.snapshotId).toBeGreaterThan(first?.request.snapshotId ?? Infinity);
    expect(t.coordinator.followerStatus()[LAGGING]?.snapshotRestarts).toBe(0);
    const sentBefore = t.transport.chunks.length;
    t.transport.setMode(LAGGING, 'auto');
    await runTo(t.clock, 8000);
    const chunks = t.transport.chunks.slice(sentBefore).filter((c) => c.follower === LAGGING);
    expect(new Set(chunks.map((c) => c.request.snapshotId))).toEqual(new Set([fresh?.request.snapshotId]));
    expect(chunks.length).toBeGreaterThanOrEqual(7);
    expect(chunks.map((c) => c.request.seq)).toEqual(chunks.map((_, i) => i));
    expect(new Set(chunks.map((c) => c.request.snapshotId)).size).toBe(1);
    for (const { request, chunk } of chunks) {
      const itemBytes = request.items.reduce((sum, [k, v]) => sum + putBytes(k, jsonBytes(v)), 0);
      expect(itemBytes).toBeLessThanOrEqual(CHUNK_BYTES);
      expect(chunk.body.byteLength).toBeLessThanOrEqual(CHUNK_BYTES + HEADER_BYTES);
    }
    expect(chunks.flatMap((c) => c.request.items.map(([k]) => k))).toEqual(
      Array.from({ length: 21 }, (_, i) => key(i)),
    );
    expectConverged(t);
    expect(t.coordinator.followerStatus()[LAGGING]).toMatchObject({
      progress: 'replicate',
      needsSnapshot: false,
      snapshot: null,
      snapshotRestarts: 0,
    });
  });

  it('always sends a key larger than a chunk, alone', async () => {
    const t = setup();
    await fillWhileDown(t, 6);
    await t.coordinator.write(put('huge', 'h'.repeat(4 * CHUNK_BYTES)), 1, 'received');
    await runTo(t.clock, 3000);
    const huge = t.transport.chunks.find((c) => c.request.items.some(([k]) => k === 'huge'));
    expect(huge?.request.items).toHaveLength(1);
    expectConverged(t);
  });

  it('retries a chunk with the very bytes it serialised first, and shows its progress in /status', async () => {
    const t = setup();
    await fillWhileDown(t, 12);
    t.transport.holdSnapshotChunks(LAGGING, true);
    (await nextHeldChunk(t)).answer(); // chunk 0
    const first = await nextHeldChunk(t);
    expect(first.request.seq).toBe(1);
    expect(t.coordinator.followerStatus()[LAGGING]?.snapshot).toMatchObject({
      lsn: 12,
      totalItems: 12,
      totalBytes: 12 * PUT_BYTES,
      chunksAcked: 1,
      itemsAcked: 3,
      bytesAcked: 3 * PUT_BYTES,
    });
    first.fail('timed out');
    const retries = [first];
    for (let i = 0; i < 3; i++) {
      const retry = await nextHeldChunk(t);
      retries.push(retry);
      if (i < 2) retry.fail('timed out');
    }
    for (const retry of retries) expect(retry.chunk).toBe(first.chunk);
    expect(t.coordinator.followerStatus()[LAGGING]?.lastError).toBe('timed out');
    (retries.at(-1) as SentChunk).answer();
    expect((await nextHeldChunk(t)).request.seq).toBe(2);
    t.transport.holdSnapshotChunks(LAGGING, false);
    (await nextHeldChunk(t)).answer();
    await runTo(t.clock, t.clock.now() + 3000);
    expectConverged(t);
  });

  it('is point in time: writes during the transfer reach the follower through the log after its LSN', async () => {
    const t = setup({ maxLogEntries: 100 });
    await fillWhileDown(t, 9);
    // Force the lagging follower past the log: it needs a snapshot although the log is long enough now.
    t.coordinator.followers[LAGGING]?.needsSnapshot('test: another epoch', t.clock.now());
    t.transport.holdSnapshotChunks(LAGGING, true);
    const chunk0 = await nextHeldChunk(t);
    const atLsn = chunk0.request.lsn;
    await t.coordinator.write(put(key(0), 'changed'), 1, 'received');
    await t.coordinator.write({ op: 'delete', key: key(1) }, 1, 'received');
    await t.coordinator.write(put('new', 'added'), 1, 'received');
    t.transport.holdSnapshotChunks(LAGGING, false);
    chunk0.answer();
    await runTo(t.clock, t.clock.now() + 3000);
    const sent = t.transport.chunks.filter((c) => c.follower === LAGGING);
    expect(sent.every((c) => c.request.lsn === atLsn)).toBe(true);
    const items = sent.flatMap((c) => c.request.items);
    expect(items.find(([k]) => k === key(0))?.[1]).toBe(VALUE);
    expect(items.map(([k]) => k)).toContain(key(1));
    expect(items.map(([k]) => k)).not.toContain('new');
    expectConverged(t);
  });

  it('starts again when the log is trimmed past the snapshot before the follower has it, and /status counts it', async () => {
    const t = setup({ maxLogEntries: 5 });
    await fillWhileDown(t, 12);
    t.transport.holdSnapshotChunks(LAGGING, true);
    const chunk0 = await nextHeldChunk(t);
    t.transport.setMode(LAGGING, 'manual'); // the writes meanwhile do not reach it
    for (let i = 0; i < 8; i++) await t.coordinator.write(put(key(i), `later${i}`), 1, 'received');
    for (const rpc of t.transport.unsettled(LAGGING).filter((r) => r.lsns.length > 0)) rpc.fail('lost');
    expect(t.coordinator.log.firstLsn).toBeGreaterThan(chunk0.request.lsn + 1);
    chunk0.answer();
    const again = await nextHeldChunk(t);
    expect(again.request).toMatchObject({ seq: 0, lsn: 20 });
    expect(again.request.snapshotId).toBeGreaterThan(chunk0.request.snapshotId);
    expect(t.restarts).toEqual([
      { follower: LAGGING, reason: expect.stringMatching(/trimmed past the snapshot's lsn 12/) },
    ]);
    expect(t.coordinator.followerStatus()[LAGGING]?.snapshotRestarts).toBe(1);
    t.transport.setMode(LAGGING, 'auto');
    t.transport.holdSnapshotChunks(LAGGING, false);
    again.answer();
    await runTo(t.clock, t.clock.now() + 3000);
    expectConverged(t);
    expect(t.coordinator.followerStatus()[LAGGING]).toMatchObject({ snapshot: null, snapshotRestarts: 1 });
  });

  it('counts a snapshot installed behind a log trimmed meanwhile as a restart, and sends another', async () => {
    const t = setup({ maxLogEntries: 5 });
    t.transport.setMode(LAGGING, 'down');
    for (let i = 0; i < 12; i++) await t.coordinator.write(put(key(i % 2)), 1, 'received'); // one chunk
    t.transport.setMode(LAGGING, 'auto');
    t.transport.holdSnapshotChunks(LAGGING, true);
    const only = await nextHeldChunk(t);
    expect(only.request.last).toBe(true);
    t.transport.setMode(LAGGING, 'manual');
    for (let i = 0; i < 8; i++) await t.coordinator.write(put(key(i), `later${i}`), 1, 'received');
    for (const rpc of t.transport.unsettled(LAGGING).filter((r) => r.lsns.length > 0)) rpc.fail('lost');
    t.transport.setMode(LAGGING, 'auto');
    t.transport.holdSnapshotChunks(LAGGING, false);
    only.answer();
    await runTo(t.clock, t.clock.now() + 3000);
    expect(t.restarts.map((r) => r.reason)).toEqual([expect.stringMatching(/trimmed past the snapshot's lsn 12/)]);
    expect(t.transport.snapshots.map((c) => c.request.lsn)).toEqual([12, 20]);
    expectConverged(t);
  });

  it('goes on when the log is trimmed past the snapshot but the follower buffered what was trimmed', async () => {
    const t = setup({ maxLogEntries: 5 });
    await fillWhileDown(t, 12);
    t.transport.holdSnapshotChunks(LAGGING, true);
    // Its first answer shows it alive again: from then on live writes go to it (a follower that
    // is down gets none, catch-up brings them).
    (await nextHeldChunk(t)).answer();
    const chunk1 = await nextHeldChunk(t);
    expect(chunk1.request.seq).toBe(1);
    for (let i = 0; i < 8; i++) await t.coordinator.write(put(key(i), `later${i}`), 1, 'received');
    expect(t.coordinator.log.firstLsn).toBeGreaterThan(chunk1.request.lsn + 1);
    expect(t.transport.applier(LAGGING).bufferedCount).toBe(8); // the live writes reached it
    t.transport.holdSnapshotChunks(LAGGING, false);
    chunk1.answer();
    await runTo(t.clock, t.clock.now() + 3000);
    expectConverged(t);
    expect(t.restarts).toEqual([]);
    expect(
      new Set(t.transport.chunks.filter((c) => c.follower === LAGGING).map((c) => c.request.snapshotId)).size,
    ).toBe(1);
  });

  it('starts again from chunk 0 when the follower restarted mid-transfer and lost its chunks', async () => {
    const t = setup();
    await fillWhileDown(t, 12);
    t.transport.holdSnapshotChunks(LAGGING, true);
    (await nextHeldChunk(t)).answer();
    t.transport.restart(LAGGING);
    (await nextHeldChunk(t)).answer(); // chunk 1: refused, nothing staged there
    const again = await nextHeldChunk(t);
    expect(again.request.seq).toBe(0);
    expect(t.restarts.map((r) => r.reason)).toEqual([expect.stringMatching(/lost the snapshot's chunks/)]);
    t.transport.holdSnapshotChunks(LAGGING, false);
    again.answer();
    await runTo(t.clock, t.clock.now() + 3000);
    expectConverged(t);
  });
});
