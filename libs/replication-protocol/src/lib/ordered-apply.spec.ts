import { KvState } from './kv-state';
import { OrderedApplier } from './ordered-apply';
import { createRng, type Rng } from './random';
import { putEntry } from '../testing';
import type { Entry, JsonValue } from './wire';

const put = putEntry;
const del = (lsn: number, key: string): Entry => ({ lsn, epoch: 1, op: 'delete', key, leaderTimeMs: lsn });
const lsnsOf = (entries: readonly Entry[]): number[] => entries.map((e) => e.lsn);

const LOG_LENGTH = 200;
const LOG_SEED = 7;

/** A log of puts and deletes over keys k0..k9, as the bench's workload writes them. */
function makeLog(length: number, rng: Rng): Entry[] {
  return Array.from({ length }, (_, i) => {
    const key = `k${Math.floor(rng.next() * 10)}`;
    return rng.next() < 0.2 ? del(i + 1, key) : put(i + 1, key, { n: i + 1 });
  });
}

/** prefixes[i] is the snapshot after applying LSNs 1..i in order. */
function prefixSnapshots(log: readonly Entry[]): Array<Record<string, JsonValue>> {
  const state = new KvState();
  const out = [state.snapshot()];
  for (const entry of log) {
    state.apply(entry);
    out.push(state.snapshot());
  }
  return out;
}

function shuffle<T>(items: readonly T[], rng: Rng): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

describe('OrderedApplier', () => {
  const log = makeLog(LOG_LENGTH, createRng(LOG_SEED));
  const prefixes = prefixSnapshots(log);
  const finalState = prefixes[LOG_LENGTH];

  it('uses a log with puts and deletes whose final state is not empty', () => {
    // Guard on the fixture: the properties below would be vacuous on a trivial log.
    expect(log.some((e) => e.op === 'delete')).toBe(true);
    expect(Object.keys(finalState ?? {}).length).toBeGreaterThan(0);
  });

  /**
   * Feeds `order` one entry per receive and checks, after every call, that the follower shows a
   * prefix of the log: appliedLsn never skips, the applied entries are exactly the next ones, and
   * the state equals the in-order state at that LSN.
   */
  function feedAndCheck(order: readonly Entry[], maxBufferedEntries: number): OrderedApplier {
    const applier = new OrderedApplier(maxBufferedEntries);
    for (const entry of order) {
      const before = applier.appliedLsn;
      const result = applier.receive([entry]);
      expect(result.refusedLsns).toEqual([]);
      expect(result.storedLsns).toEqual([entry.lsn]);
      expect(lsnsOf(result.applied)).toEqual(
        Array.from({ length: applier.appliedLsn - before }, (_, i) => before + 1 + i),
      );
      expect(applier.state.snapshot()).toEqual(prefixes[applier.appliedLsn]);
    }
    return applier;
  }

  it('applies an in-order stream at once', () => {
    // The common case: each entry is applied on arrival, nothing is buffered.
    const applier = feedAndCheck(log, 0);
    expect(applier.appliedLsn).toBe(LOG_LENGTH);
    expect(applier.bufferedCount).toBe(0);
  });

  it('applies a reverse-order stream all at once when LSN 1 arrives last', () => {
    // Worst-case reordering: nothing is visible until the first entry comes, then everything.
    const applier = new OrderedApplier(LOG_LENGTH);
    for (const entry of [...log].reverse().slice(0, -1)) {
      expect(applier.receive([entry]).applied).toEqual([]);
      expect(applier.appliedLsn).toBe(0);
      expect(applier.state.snapshot()).toEqual({});
    }
    expect(applier.bufferedCount).toBe(LOG_LENGTH - 1);
    expect(applier.highestStoredLsn).toBe(LOG_LENGTH);
    const last = applier.receive([log[0] as Entry]);
    expect(lsnsOf(last.applied)).toEqual(lsnsOf(log));
    expect(applier.appliedLsn).toBe(LOG_LENGTH);
    expect(applier.bufferedCount).toBe(0);
    expect(applier.state.snapshot()).toEqual(finalState);
  });

  // Random arrival orders, as independent per-RPC delays produce: whatever the order, the
  // follower converges to the leader's state and never shows a non-prefix on the way.
  const seeds = [1, 2, 3, 42, 1234, 99991, 20240611, 0xdeadbeef];
  test.each(seeds)(`random permutation of 1..${LOG_LENGTH} (seed %i) ends equal to in-order apply`, (seed) => {
    const applier = feedAndCheck(shuffle(log, createRng(seed)), LOG_LENGTH);
    expect(applier.appliedLsn).toBe(LOG_LENGTH);
    expect(applier.bufferedCount).toBe(0);
    expect(applier.state.snapshot()).toEqual(finalState);
  });

  test.each(seeds.slice(0, 4))('random batches with duplicates and a small buffer converge (seed %i)', (seed) => {
    // Batches (catch-up), resends (retries) and refusals (full buffer) mixed: refused entries
    // are resent later, as the leader does, and the follower still ends on the leader's state.
    const rng = createRng(seed, 1);
    const maxBufferedEntries = 8;
    const applier = new OrderedApplier(maxBufferedEntries);
    let queue = shuffle(log, rng);
    const maxRounds = LOG_LENGTH * LOG_LENGTH;
    let rounds = 0;
    for (; queue.length > 0 && rounds < maxRounds; rounds++) {
      const size = 1 + Math.floor(rng.next() * 5);
      const batch = queue.slice(0, size);
      queue = queue.slice(size);
      if (rng.next() < 0.1 && batch[0]) batch.push(batch[0]); // a duplicate in the same batch
      const before = applier.appliedLsn;
      const result = applier.receive(batch);
      // Every entry of the batch is either stored or refused, never dropped silently.
      expect([...result.storedLsns, ...result.refusedLsns].sort((x, y) => x - y)).toEqual(
        lsnsOf(batch).sort((x, y) => x - y),
      );
      expect(lsnsOf(result.applied)).toEqual(
        Array.from({ length: applier.appliedLsn - before }, (_, i) => before + 1 + i),
      );
      expect(applier.bufferedCount).toBeLessThanOrEqual(maxBufferedEntries);
      // The state only changes with appliedLsn; comparing then keeps the test fast.
      if (applier.appliedLsn !== before) expect(applier.state.snapshot()).toEqual(prefixes[applier.appliedLsn]);
      const refused = new Set(result.refusedLsns);
      queue.push(...batch.filter((e) => refused.has(e.lsn) && !queue.includes(e)));
      if (rng.next() < 0.05 && applier.appliedLsn > 0)
        queue.push(log[Math.floor(rng.next() * applier.appliedLsn)] as Entry); // a late resend
    }
    // Bounded: every pass over the queue lets in at least the next expected LSN.
    expect(queue).toEqual([]);
    expect(applier.appliedLsn).toBe(LOG_LENGTH);
    expect(applier.state.snapshot()).toEqual(finalState);
  });

  it('acks a duplicate again without applying it twice', () => {
    // A retried RPC whose first answer was lost must be acked, or the write never reaches quorum.
    const applier = new OrderedApplier(10);
    applier.receive([put(1, 'k', 'a'), put(2, 'k', 'b')]);
    applier.receive([put(4, 'k', 'd')]);
    const result = applier.receive([put(1, 'k', 'a'), put(4, 'k', 'd')]);
    expect(result).toEqual({ storedLsns: [1, 4], refusedLsns: [], applied: [] });
    expect(applier.appliedLsn).toBe(2);
    expect(applier.bufferedCount).toBe(1);
    expect(applier.state.get('k')).toEqual({ value: 'b', lsn: 2 });
  });

  // Each case: what is stored at an LSN, another entry at that LSN, and whether it is acked as
  // a duplicate. Acking different content would let whoever wrote first (a forger, another
  // leader) stand for the entry the real leader counts as stored.
  test.each([
    {
      why: 'a buffered entry resent unchanged is a duplicate',
      first: [put(3, 'k', 'x')],
      again: put(3, 'k', 'x'),
      acked: true,
    },
    {
      why: 'a buffered entry with another value is not',
      first: [put(3, 'k', 'x')],
      again: put(3, 'k', 'forged'),
      acked: false,
    },
    { why: 'a buffered put is not a delete at its LSN', first: [put(3, 'k', 'x')], again: del(3, 'k'), acked: false },
    {
      why: 'a buffered entry with another key is not',
      first: [put(3, 'k', 'x')],
      again: put(3, 'j', 'x'),
      acked: false,
    },
    {
      why: 'an applied put, still the value of its key, resent unchanged',
      first: [put(1, 'k', { a: [1] })],
      again: put(1, 'k', { a: [1] }),
      acked: true,
    },
    {
      why: 'an applied put resent with another value',
      first: [put(1, 'k', 'x')],
      again: put(1, 'k', 'y'),
      acked: false,
    },
    {
      why: 'an applied LSN resent as a put of a key written before it',
      first: [put(1, 'k', 'x'), put(2, 'j', 'y')],
      again: put(2, 'k', 'y'),
      acked: false,
    },
    {
      why: 'an applied LSN resent as a delete of a key written before it',
      first: [put(1, 'k', 'x'), put(2, 'j', 'y')],
      again: del(2, 'k'),
      acked: false,
    },
    {
      why: 'an applied put overwritten since cannot be checked against the state: acked',
      first: [put(1, 'k', 'x'), put(2, 'k', 'y')],
      again: put(1, 'k', 'x'),
      acked: true,
    },
    {
      why: 'an applied delete resent unchanged',
      first: [put(1, 'k', 'x'), del(2, 'k')],
      again: del(2, 'k'),
      acked: true,
    },
  ])('$why', ({ first, again, acked }) => {
    const applier = new OrderedApplier(10);
    applier.receive(first);
    const result = applier.receive([again]);
    expect(result.storedLsns.includes(again.lsn)).toBe(acked);
    expect(result.refusedLsns.includes(again.lsn)).toBe(!acked);
  });

  it('drops a buffered entry a different one contradicts, so the resend of the real one is stored', () => {
    const applier = new OrderedApplier(10);
    applier.receive([put(3, 'k', 'forged')]);
    expect(applier.receive([put(3, 'k', 'real')]).refusedLsns).toEqual([3]);
    expect(applier.bufferedCount).toBe(0);
    expect(applier.receive([put(3, 'k', 'real')]).storedLsns).toEqual([3]);
    applier.receive([put(1, 'a', 1), put(2, 'b', 2)]);
    expect(applier.state.get('k')?.value).toBe('real');
  });

  test.each([
    {
      why: 'a far-future LSN is refused however empty the buffer',
      max: 5,
      maxBytes: Infinity,
      entry: put(9007199254740000, 'k', 1),
      stored: false,
    },
    {
      why: 'the furthest LSN the entry bound allows is buffered',
      max: 5,
      maxBytes: Infinity,
      entry: put(7, 'k', 1),
      stored: true,
    },
    { why: 'one past it is refused', max: 5, maxBytes: Infinity, entry: put(8, 'k', 1), stored: false },
    {
      why: 'an entry over the byte bound is refused',
      max: 5,
      maxBytes: 150,
      entry: put(3, 'k', 'x'.repeat(100)),
      stored: false,
    },
    {
      why: 'an entry within the byte bound is buffered',
      max: 5,
      maxBytes: 300,
      entry: put(3, 'k', 'x'.repeat(100)),
      stored: true,
    },
  ])('bounds how far ahead it buffers: $why', ({ max, maxBytes, entry, stored }) => {
    const applier = new OrderedApplier(max, maxBytes);
    applier.receive([put(1, 'a', 1)]);
    expect(applier.receive([entry]).storedLsns).toEqual(stored ? [entry.lsn] : []);
    expect(applier.bufferedBytes > 0).toBe(stored);
    expect(applier.bufferedBytes <= maxBytes).toBe(true);
  });

  it('refuses early entries when the buffer is full, but always takes the next expected LSN', () => {
    // The buffer is bounded; the entry that unblocks it must never be refused, or the follower
    // would be stuck forever with a full buffer.
    const applier = new OrderedApplier(3);
    expect(applier.receive([put(2, 'a', 2), put(3, 'b', 3), put(4, 'c', 4)]).refusedLsns).toEqual([]);
    expect(applier.bufferedCount).toBe(3);
    // Results come in LSN order whatever order the batch had.
    const refused = applier.receive([put(6, 'e', 6), put(5, 'd', 5)]);
    expect(refused).toEqual({ storedLsns: [], refusedLsns: [5, 6], applied: [] });
    expect(applier.highestStoredLsn).toBe(4); // refused means not stored
    // A duplicate of a buffered entry is still acked while the buffer is full.
    expect(applier.receive([put(3, 'b', 3)]).storedLsns).toEqual([3]);
    const unblock = applier.receive([put(1, 'z', 1)]);
    expect(unblock.storedLsns).toEqual([1]);
    expect(lsnsOf(unblock.applied)).toEqual([1, 2, 3, 4]);
    expect(applier.bufferedCount).toBe(0);
    // The refused ones, resent, now get in.
    expect(lsnsOf(applier.receive([put(6, 'e', 6), put(5, 'd', 5)]).applied)).toEqual([5, 6]);
    expect(applier.appliedLsn).toBe(6);
  });

  it('with no buffer at all still applies an in-order stream', () => {
    // maxBufferedEntries = 0: only the next expected entry is ever accepted.
    const applier = new OrderedApplier(0);
    expect(applier.receive([put(2, 'k', 2)]).refusedLsns).toEqual([2]);
    expect(lsnsOf(applier.receive([put(1, 'k', 1)]).applied)).toEqual([1]);
    expect(lsnsOf(applier.receive([put(2, 'k', 2)]).applied)).toEqual([2]);
    expect(applier.bufferedCount).toBe(0);
  });

  it('removes keys on delete, also when the delete arrives before the put it follows', () => {
    // A delete that overtakes its put must still win once both are applied in order.
    const applier = new OrderedApplier(10);
    applier.receive([del(3, 'k1')]);
    applier.receive([put(2, 'k1', 'x')]);
    expect(applier.state.get('k1')).toBeUndefined(); // nothing applied yet: LSN 1 missing
    applier.receive([put(1, 'k0', 'y')]);
    expect(applier.appliedLsn).toBe(3);
    expect(applier.state.get('k1')).toBeUndefined();
    expect(applier.state.snapshot()).toEqual({ k0: 'y' });
  });
});

describe('OrderedApplier with a full buffer', () => {
  const put = (lsn: number) => ({ lsn, epoch: 1, op: 'put' as const, key: `k${lsn}`, value: lsn, leaderTimeMs: 0 });

  it('takes a whole in-order batch even with no buffer room, applying as it goes', () => {
    const applier = new OrderedApplier(0);
    const result = applier.receive([put(1), put(2), put(3)]);
    expect(result.storedLsns).toEqual([1, 2, 3]);
    expect(result.refusedLsns).toEqual([]);
    expect(applier.appliedLsn).toBe(3);
  });
});

describe('KvState snapshot and the key "__proto__"', () => {
  it('keeps "__proto__" as an ordinary key', () => {
    const applier = new OrderedApplier(10);
    applier.receive([
      { lsn: 1, epoch: 1, op: 'put', key: '__proto__', value: { evil: 1 }, leaderTimeMs: 0 },
      { lsn: 2, epoch: 1, op: 'put', key: 'k1', value: 1, leaderTimeMs: 0 },
    ]);
    const snapshot = applier.state.snapshot();
    expect(Object.keys(snapshot)).toEqual(['__proto__', 'k1']);
    expect((snapshot as Record<string, unknown>)['evil']).toBeUndefined();
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(JSON.parse('{"__proto__":{"evil":1},"k1":1}'));
  });
});

describe('OrderedApplier snapshots', () => {
  const put = (lsn: number, key: string) => ({ lsn, epoch: 1, op: 'put' as const, key, value: lsn, leaderTimeMs: 0 });

  it('installs a snapshot ahead of it, drops the buffered entries it covers and applies the later ones', () => {
    const applier = new OrderedApplier(100);
    applier.receive([put(1, 'a'), put(5, 'e'), put(8, 'h')]);
    expect(applier.appliedLsn).toBe(1);
    const { installed, applied } = applier.installSnapshot(
      [
        ['b', 'from-snapshot', 6],
        ['c', 3, 3],
      ],
      7,
    );
    expect(installed).toBe(true);
    // 5 was covered by the snapshot (dropped); 8 follows 7 and applies at once.
    expect(applied.map((e) => e.lsn)).toEqual([8]);
    expect(applier.appliedLsn).toBe(8);
    expect(applier.bufferedCount).toBe(0);
    expect(applier.state.snapshot()).toEqual({ b: 'from-snapshot', c: 3, h: 8 });
    expect(applier.state.get('b')?.lsn).toBe(6);
  });

  it('ignores a stale snapshot (not ahead of what is applied)', () => {
    const applier = new OrderedApplier(100);
    applier.receive([put(1, 'a'), put(2, 'b')]);
    expect(applier.installSnapshot([['z', 1, 1]], 2).installed).toBe(false);
    expect(applier.state.snapshot()).toEqual({ a: 1, b: 2 });
  });

  it('round-trips the leader state through export and restore', () => {
    const leader = new OrderedApplier(10);
    leader.receive([put(1, 'a'), put(2, 'b'), { lsn: 3, epoch: 1, op: 'delete', key: 'a', leaderTimeMs: 0 }]);
    const follower = new OrderedApplier(10);
    follower.installSnapshot(leader.state.export(), leader.appliedLsn);
    expect(follower.state.snapshot()).toEqual(leader.state.snapshot());
    expect(follower.appliedLsn).toBe(3);
  });
});

describe('OrderedApplier: a resend of an applied entry, with epochs on entries', () => {
  // Applied: LSN 1 put k=1, LSN 2 put k=2 (k overwritten), LSN 3 a noop. `maxKept` 100 keeps them
  // all for an exact comparison; 1 folds LSNs 1 and 2 into the base, where only the state is left.
  test.each([
    { why: 'the same entry is acked again', maxKept: 100, resend: put(1, 'k', 1), refused: false },
    { why: 'another value at a kept LSN is refused', maxKept: 100, resend: put(1, 'k', 9), refused: true },
    {
      why: 'another leader time at a kept LSN is another entry: refused',
      maxKept: 100,
      resend: { ...put(2, 'k', 2), leaderTimeMs: 99 },
      refused: true,
    },
    { why: 'a delete where a put was kept is refused', maxKept: 100, resend: del(2, 'k'), refused: true },
    { why: 'the same noop is acked again', maxKept: 100, resend: noop(3), refused: false },
    {
      why: 'folded into the base, a put the state cannot disprove (its key written since) is acked',
      maxKept: 1,
      resend: put(1, 'k', 9),
      refused: false,
    },
    {
      why: 'folded into the base, a put whose key still holds another value at that LSN is refused',
      maxKept: 1,
      resend: put(2, 'k', 9),
      refused: true,
    },
  ])('$why', ({ maxKept, resend, refused }) => {
    const applier = new OrderedApplier(10, Infinity, maxKept);
    applier.receive([put(1, 'k', 1), put(2, 'k', 2), noop(3)]);
    const result = applier.receive([resend], { lsn: resend.lsn - 1, epoch: resend.lsn === 1 ? 0 : 1 });
    expect(result.mismatch).toBeUndefined();
    expect({ stored: result.storedLsns, refused: result.refusedLsns }).toEqual(
      refused ? { stored: [], refused: [resend.lsn] } : { stored: [resend.lsn], refused: [] },
    );
    expect(applier.state.get('k')).toEqual({ value: 2, lsn: 2 }); // nothing applied changed
  });

  // Many folds, past the point where the folded slots are cut off: what is kept, exported and
  // compared is still exactly the last `maxKept` entries after the base.
  test.each([{ maxKept: 3 }, { maxKept: 1000 }])('folds entry after entry at maxKept $maxKept', ({ maxKept }) => {
    const applier = new OrderedApplier(10, Infinity, maxKept);
    const total = 5_000;
    for (let lsn = 1; lsn <= total; lsn++) applier.receive([put(lsn, `k${lsn % 7}`, lsn)]);
    const log = applier.exportLog();
    expect(log.baseLsn).toBe(total - maxKept);
    expect(log.entries.map((e) => e.lsn)).toEqual(Array.from({ length: maxKept }, (_, i) => total - maxKept + 1 + i));
    expect(applier.epochAt(total - maxKept)).toBe(1); // the base's
    expect(applier.epochAt(total)).toBe(1);
    const resend = (entry: Entry) => applier.receive([entry], { lsn: entry.lsn - 1, epoch: 1 });
    expect(resend(put(total, `k${total % 7}`, total)).storedLsns).toEqual([total]);
    expect(resend(put(total, `k${total % 7}`, -1)).refusedLsns).toEqual([total]);
  });

  it('counts buffered bytes down when a newer epoch replaces a buffered entry', () => {
    const applier = new OrderedApplier(10);
    applier.receive([put(3, 'k', 1)]);
    const before = applier.bufferedBytes;
    applier.receive([{ ...put(3, 'k', 1), epoch: 2 }], { lsn: 2, epoch: 2 });
    expect(applier.bufferedCount).toBe(1);
    expect(applier.bufferedBytes).toBe(before);
  });
});

function noop(lsn: number): Entry {
  return { lsn, epoch: 1, op: 'noop', leaderTimeMs: lsn };
}
