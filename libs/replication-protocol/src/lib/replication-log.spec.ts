import { ENTRY_OVERHEAD_BYTES } from './entry-bytes';
import { FIRST_EPOCH, ReplicationLog } from './replication-log';

describe('ReplicationLog', () => {
  it('starts empty at LSN 0 and numbers entries from 1', () => {
    // Followers start with appliedLsn 0 and expect LSN 1 first: the two must agree.
    const log = new ReplicationLog();
    expect(log.lastLsn).toBe(0);
    expect(log.length).toBe(0);
    expect(log.get(1)).toBeUndefined();
    const first = log.appendPut('k0', 'v', 1000);
    const second = log.appendDelete('k0', 1001);
    const third = log.appendPut('k1', null, 1002);
    expect([first.lsn, second.lsn, third.lsn]).toEqual([1, 2, 3]);
    expect(first).toEqual({ lsn: 1, epoch: FIRST_EPOCH, op: 'put', key: 'k0', value: 'v', leaderTimeMs: 1000 });
    expect(second).toEqual({ lsn: 2, epoch: FIRST_EPOCH, op: 'delete', key: 'k0', leaderTimeMs: 1001 });
    expect(log.lastLsn).toBe(3);
    expect(log.length).toBe(3);
    expect(log.get(2)).toBe(second);
    expect(log.get(0)).toBeUndefined();
    expect(log.get(4)).toBeUndefined();
  });

  const log = new ReplicationLog();
  for (let i = 1; i <= 5; i++) log.appendPut(`k${i}`, i, i);
  const tests: Array<{ from: number; to: number; want: number[]; why: string }> = [
    { from: 1, to: 5, want: [1, 2, 3, 4, 5], why: 'the whole log' },
    { from: 2, to: 4, want: [2, 3, 4], why: 'inclusive at both ends' },
    { from: 3, to: 3, want: [3], why: 'a single entry' },
    { from: 0, to: 2, want: [1, 2], why: 'clipped below: there is no LSN 0' },
    { from: -10, to: 1, want: [1], why: 'clipped far below' },
    { from: 4, to: 100, want: [4, 5], why: 'clipped above: a catch-up asks past the end' },
    { from: 6, to: 10, want: [], why: 'entirely past the end' },
    { from: 4, to: 3, want: [], why: 'empty range' },
    { from: -5, to: 0, want: [], why: 'entirely below the start' },
  ];
  // Catch-up batches come from here: a wrong bound sends a follower a gap or a wrong entry.
  test.each(tests)('range($from, $to) -> $want ($why)', ({ from, to, want }) => {
    expect(log.range(from, to).map((e) => e.lsn)).toEqual(want);
  });

  it('returns nothing from an empty log', () => {
    expect(new ReplicationLog().range(1, 10)).toEqual([]);
  });
});

describe('ReplicationLog trimming', () => {
  const filled = (count: number) => {
    const log = new ReplicationLog();
    for (let i = 1; i <= count; i++) log.appendPut(`k${i}`, i, i);
    return log;
  };

  // Each case: entries appended, trimThrough(lsn), then what the log holds.
  test.each([
    { why: 'trims up to the LSN', count: 10, through: 4, dropped: 4, first: 5, length: 6 },
    {
      why: 'never the last entry (the heartbeat resends it)',
      count: 10,
      through: 10,
      dropped: 9,
      first: 10,
      length: 1,
    },
    { why: 'beyond the end is clipped to keep the last', count: 3, through: 99, dropped: 2, first: 3, length: 1 },
    { why: 'nothing below the first LSN', count: 5, through: 0, dropped: 0, first: 1, length: 5 },
    { why: 'an empty log stays empty', count: 0, through: 5, dropped: 0, first: 1, length: 0 },
  ])('$why', ({ count, through, dropped, first, length }) => {
    const log = filled(count);
    expect(log.trimThrough(through)).toBe(dropped);
    expect(log.firstLsn).toBe(first);
    expect(log.length).toBe(length);
    expect(log.lastLsn).toBe(count);
  });

  it('forgets trimmed entries, keeps serving the rest, and keeps numbering after a compaction', () => {
    const log = filled(3000);
    expect(log.trimThrough(2500)).toBe(2500);
    expect(log.get(2500)).toBeUndefined();
    expect(log.get(2501)).toMatchObject({ key: 'k2501' });
    expect(log.range(2400, 2503).map((e) => e.lsn)).toEqual([2501, 2502, 2503]);
    expect(log.appendPut('next', 1, 0).lsn).toBe(3001);
    expect(log.trimThrough(2500)).toBe(0); // trimming twice changes nothing
    expect(log.length).toBe(501);
  });
});

describe('ReplicationLog bytes', () => {
  /** Puts of `valueBytes`-character strings (JSON: 2 more for the quotes), keys k1..kN. */
  function sized(count: number, valueChars: number): ReplicationLog {
    const log = new ReplicationLog();
    for (let i = 1; i <= count; i++) log.appendPut(`k${i}`, 'x'.repeat(valueChars), i);
    return log;
  }
  const each = (key: string, valueChars: number) => ENTRY_OVERHEAD_BYTES + key.length + valueChars + 2;

  it('counts the bytes it holds, and forgets those it trims', () => {
    const log = sized(5, 100);
    expect(log.bytes).toBe(5 * each('k1', 100));
    log.trimThrough(2);
    expect(log.bytes).toBe(3 * each('k1', 100));
  });

  it('takes a measure the caller already made instead of measuring again', () => {
    const log = new ReplicationLog();
    log.appendPut('k', 'abc', 0, 1000); // the caller says the value is 1000 bytes as JSON
    expect(log.bytes).toBe(ENTRY_OVERHEAD_BYTES + 1 + 1000);
  });

  // Each case: entries of the same size, a byte bound, and what trimToBytes leaves.
  test.each([
    { why: 'under the bound nothing goes', count: 5, max: 10_000, left: 5 },
    { why: 'over it the oldest go until the rest fit', count: 5, max: 3 * each('k1', 100), left: 3 },
    { why: 'one byte short of three entries leaves two', count: 5, max: 3 * each('k1', 100) - 1, left: 2 },
    { why: 'never the last entry, even when it alone is over the bound', count: 5, max: 10, left: 1 },
  ])('trimToBytes: $why', ({ count, max, left }) => {
    const log = sized(count, 100);
    expect(log.trimToBytes(max)).toBe(count - left);
    expect(log.length).toBe(left);
    expect(log.lastLsn).toBe(count);
  });

  test.each([
    { why: 'no byte bound: the whole range', maxBytes: Infinity, lsns: [1, 2, 3, 4] },
    { why: 'a bound of two entries gives two', maxBytes: 2 * each('k1', 100), lsns: [1, 2] },
    { why: 'a bound under one entry still gives the first (a batch always moves on)', maxBytes: 1, lsns: [1] },
  ])('range with a byte bound: $why', ({ maxBytes, lsns }) => {
    expect(
      sized(4, 100)
        .range(1, 4, maxBytes)
        .map((e) => e.lsn),
    ).toEqual(lsns);
  });
});
