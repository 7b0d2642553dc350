import { entryBytes } from './entry-bytes';
import { KvState } from './kv-state';
import { putEntry } from '../testing';
import type { Entry } from './wire';

const put = putEntry;
const del = (lsn: number, key: string): Entry => ({ lsn, epoch: 1, op: 'delete', key, leaderTimeMs: 0 });

describe('KvState', () => {
  const outOfOrder: Array<{ name: string; before: Entry[]; entry: Entry }> = [
    // The first entry must be LSN 1: applying 2 first would skip a write.
    { name: 'first entry is not LSN 1', before: [], entry: put(2, 'k', 1) },
    // A gap: 3 after 1 would make the state a non-prefix of the log.
    { name: 'gap after 1', before: [put(1, 'k', 1)], entry: put(3, 'k', 3) },
    // Re-applying is also out of order: duplicates are filtered before apply, not here.
    { name: 'same LSN twice', before: [put(1, 'k', 1)], entry: put(1, 'k', 9) },
    { name: 'going back', before: [put(1, 'a', 1), put(2, 'b', 2)], entry: del(1, 'a') },
  ];
  test.each(outOfOrder)('throws when $name, and changes nothing', ({ before, entry }) => {
    const state = new KvState();
    for (const e of before) state.apply(e);
    const snapshot = state.snapshot();
    const appliedLsn = state.appliedLsn;
    expect(() => state.apply(entry)).toThrow(/out of order/);
    expect(state.snapshot()).toEqual(snapshot);
    expect(state.appliedLsn).toBe(appliedLsn);
  });

  it('keeps the latest value and the LSN that wrote it', () => {
    // Reads return the value of the highest applied write to the key.
    const state = new KvState();
    state.apply(put(1, 'k0', 'a'));
    state.apply(put(2, 'k1', 'b'));
    state.apply(put(3, 'k0', { nested: [1] }));
    expect(state.get('k0')).toEqual({ value: { nested: [1] }, lsn: 3 });
    expect(state.get('k1')).toEqual({ value: 'b', lsn: 2 });
    expect(state.get('k2')).toBeUndefined();
    expect(state.appliedLsn).toBe(3);
    expect(state.size).toBe(2);
  });

  it('removes a key on delete, and a delete of a missing key still advances the LSN', () => {
    // The tombstone is the log entry; the map holds live keys only.
    const state = new KvState();
    state.apply(put(1, 'k0', 1));
    state.apply(del(2, 'k0'));
    state.apply(del(3, 'never-written'));
    expect(state.get('k0')).toBeUndefined();
    expect(state.size).toBe(0);
    expect(state.appliedLsn).toBe(3);
    expect(state.snapshot()).toEqual({});
  });

  it('snapshots live keys, sorted, without deleted ones', () => {
    // Leader and follower snapshots are compared as JSON: equal stores must serialise equally,
    // whatever order the keys were written in.
    const a = new KvState();
    [put(1, 'k2', 2), put(2, 'k10', 10), put(3, 'b', 'x'), put(4, 'k1', 1), put(5, 'a', null), del(6, 'b')].forEach(
      (e) => a.apply(e),
    );
    expect(Object.keys(a.snapshot())).toEqual(['a', 'k1', 'k10', 'k2']);
    expect(a.snapshot()).toEqual({ a: null, k1: 1, k10: 10, k2: 2 });

    const b = new KvState();
    [put(1, 'a', null), put(2, 'k1', 1), put(3, 'k2', 2), put(4, 'k10', 10)].forEach((e) => b.apply(e));
    expect(JSON.stringify(b.snapshot())).toBe(JSON.stringify(a.snapshot()));
  });
});

describe('KvState bytes', () => {
  it('counts the live keys only: an overwrite replaces, a delete frees', () => {
    const state = new KvState(true);
    state.apply(put(1, 'a', 'x'.repeat(10)));
    state.apply(put(2, 'b', 'x'.repeat(20)));
    expect(state.bytes).toBe(entryBytes(put(1, 'a', 'x'.repeat(10))) + entryBytes(put(2, 'b', 'x'.repeat(20))));
    state.apply(put(3, 'a', 'x'.repeat(30)));
    expect(state.bytes).toBe(entryBytes(put(3, 'a', 'x'.repeat(30))) + entryBytes(put(2, 'b', 'x'.repeat(20))));
    state.apply(del(4, 'a'));
    state.apply(del(5, 'b'));
    expect(state.bytes).toBe(0);
  });

  it('tells what a put would make the total, counting the value it replaces', () => {
    const state = new KvState(true);
    state.apply(put(1, 'a', 'x'.repeat(10)));
    expect(state.bytesAfterPut('a', 500)).toBe(500);
    expect(state.bytesAfterPut('b', 500)).toBe(state.bytes + 500);
  });

  it('counts nothing unless asked (a follower does not pay for measuring)', () => {
    const state = new KvState();
    state.apply(put(1, 'a', 'x'.repeat(10)));
    expect(state.bytes).toBe(0);
  });
});
