import { KvState, type SnapshotRef } from './kv-state';
import { cutChunk, SnapshotTransfer, type PreparedChunk } from './snapshot-transfer';
import { SnapshotChunkRequestSchema, type Entry, type SnapshotChunkRequest } from './wire';

const HEADER = { leaderId: 'leader', clusterId: 'c', epoch: 2, lsn: 0, snapshotId: 7 };
const decoder = new TextDecoder();
const parse = (chunk: PreparedChunk): SnapshotChunkRequest =>
  SnapshotChunkRequestSchema.parse(JSON.parse(decoder.decode(chunk.body)));

/** Refs of these sizes (as a counting store would measure them), keys k0, k1, ... */
const refsOf = (sizes: number[]): SnapshotRef[] =>
  sizes.map((bytes, i) => ({ key: `k${i}`, stored: { value: i, lsn: i + 1 }, bytes }));

/** A counting store holding `count` puts of `value`. */
function storeWith(count: number, value: (i: number) => string | number): KvState {
  const state = new KvState(true);
  for (let i = 0; i < count; i++) {
    const entry: Entry = { lsn: i + 1, epoch: 2, op: 'put', key: `k${i}`, value: value(i), leaderTimeMs: 0 };
    state.apply(entry);
  }
  return state;
}

/** Sends every chunk, acknowledging each; returns them parsed. */
function drain(transfer: SnapshotTransfer): SnapshotChunkRequest[] {
  const sent: SnapshotChunkRequest[] = [];
  while (!transfer.done) {
    sent.push(parse(transfer.current()));
    transfer.acknowledged();
  }
  return sent;
}

describe('cutChunk', () => {
  // Each case: the refs' sizes, where a chunk starts, the bound, and where it must end.
  test.each([
    { why: 'everything fits in one chunk', sizes: [10, 10, 10], start: 0, max: 100, end: 3 },
    { why: 'cut before the ref that would pass the bound', sizes: [40, 40, 40], start: 0, max: 100, end: 2 },
    { why: 'exactly at the bound still fits', sizes: [50, 50, 1], start: 0, max: 100, end: 2 },
    { why: 'one ref larger than the bound goes alone', sizes: [500, 10], start: 0, max: 100, end: 1 },
    { why: 'a large ref after small ones waits for the next chunk', sizes: [10, 500], start: 0, max: 100, end: 1 },
    { why: 'cutting from the middle', sizes: [90, 30, 30, 30, 30], start: 1, max: 100, end: 4 },
    { why: 'at the end: nothing left, an empty chunk', sizes: [10], start: 1, max: 100, end: 1 },
  ])('$why', ({ sizes, start, max, end }) => {
    expect(cutChunk(refsOf(sizes), start, max)).toBe(end);
  });

  it('measures a ref the store did not measure, once', () => {
    const refs: SnapshotRef[] = [{ key: 'a', stored: { value: 'x'.repeat(50), lsn: 1 }, bytes: undefined }];
    expect(cutChunk(refs, 0, 10)).toBe(1);
    expect(refs[0]?.bytes).toBeGreaterThan(50);
  });
});

describe('SnapshotTransfer', () => {
  it('sends the whole store in chunks bounded by maxChunkBytes, in key order, adding up to the totals', () => {
    const state = storeWith(40, (i) => 'v'.repeat(100 + i));
    const refs = state.exportRefs();
    const transfer = new SnapshotTransfer({ ...HEADER, lsn: state.appliedLsn }, refs, 1000);
    const chunks = drain(transfer);
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks.map((c) => c.seq)).toEqual(chunks.map((_, i) => i));
    expect(chunks.map((c) => c.last)).toEqual(chunks.map((_, i) => i === chunks.length - 1));
    for (const chunk of chunks) {
      const bytes = chunk.items.reduce(
        (sum, [key]) => sum + (state.exportRefs().find((r) => r.key === key)?.bytes ?? 0),
        0,
      );
      expect(bytes).toBeLessThanOrEqual(1000);
      expect(chunk).toMatchObject({ lsn: 40, epoch: 2, snapshotId: 7, totalItems: 40, totalBytes: state.bytes });
    }
    expect(chunks.flatMap((c) => c.items)).toEqual(state.export());
    expect(transfer.status()).toMatchObject({ chunksAcked: chunks.length, itemsAcked: 40, bytesAcked: state.bytes });
  });

  it('is point in time: writes after it is taken change nothing it sends', () => {
    const state = storeWith(3, (i) => `old${i}`);
    const transfer = new SnapshotTransfer({ ...HEADER, lsn: 3 }, state.exportRefs(), 1);
    state.apply({ lsn: 4, epoch: 2, op: 'put', key: 'k1', value: 'new', leaderTimeMs: 0 });
    state.apply({ lsn: 5, epoch: 2, op: 'delete', key: 'k2', leaderTimeMs: 0 });
    state.apply({ lsn: 6, epoch: 2, op: 'put', key: 'k9', value: 'added', leaderTimeMs: 0 });
    expect(drain(transfer).flatMap((c) => c.items)).toEqual([
      ['k0', 'old0', 1],
      ['k1', 'old1', 2],
      ['k2', 'old2', 3],
    ]);
  });

  it('serialises each chunk once: until acknowledged, every retry gets the very same bytes', () => {
    let serialisations = 0;
    const transfer = new SnapshotTransfer(HEADER, refsOf([60, 60, 60]), 100, (request) => {
      serialisations += 1;
      return new TextEncoder().encode(JSON.stringify(request));
    });
    const first = transfer.current();
    for (let retry = 0; retry < 5; retry++) expect(transfer.current()).toBe(first);
    expect(serialisations).toBe(1);
    transfer.acknowledged();
    const second = transfer.current();
    expect(second).not.toBe(first);
    expect(second.seq).toBe(1);
    expect(transfer.current().body).toBe(second.body);
    expect(serialisations).toBe(2);
  });

  it('lets go of the references a chunk held once it is acknowledged', () => {
    const refs = refsOf([60, 60, 60]);
    const transfer = new SnapshotTransfer(HEADER, refs, 100);
    transfer.current();
    expect(refs[0]).toBeDefined();
    transfer.acknowledged();
    expect(refs[0]).toBeUndefined();
    expect(refs[1]).toBeDefined();
  });

  it('sends an empty store as one empty last chunk', () => {
    const transfer = new SnapshotTransfer(HEADER, [], 100);
    expect(drain(transfer)).toEqual([{ ...HEADER, seq: 0, last: true, totalItems: 0, totalBytes: 0, items: [] }]);
  });

  it('refuses misuse: a bound below 1, an acknowledgement with nothing sent, a chunk after the last', () => {
    expect(() => new SnapshotTransfer(HEADER, [], 0)).toThrow(RangeError);
    const transfer = new SnapshotTransfer(HEADER, refsOf([1]), 100);
    expect(() => transfer.acknowledged()).toThrow(/no chunk is waiting/);
    drain(transfer);
    expect(() => transfer.current()).toThrow(/complete/);
  });
});
