import { OrderedApplier } from './ordered-apply';
import type { Entry } from './wire';

const put = (lsn: number, epoch: number, value = `e${epoch}l${lsn}`): Entry => ({
  lsn,
  epoch,
  op: 'put',
  key: `k${lsn}`,
  value,
  leaderTimeMs: lsn,
});

/** A follower that applied LSNs 1..n of epoch 1. */
function appliedThrough(n: number): OrderedApplier {
  const applier = new OrderedApplier(100);
  for (let lsn = 1; lsn <= n; lsn++) applier.receive([put(lsn, 1)], { lsn: lsn - 1, epoch: lsn === 1 ? 0 : 1 });
  return applier;
}

describe('log matching on receive', () => {
  // Each case: a follower that applied 1..3 of epoch 1 (and maybe buffered more), one append,
  // and whether it is taken or refused (naming the LSN and both epochs).
  const cases: Array<{
    why: string;
    buffered?: Entry[];
    entries: Entry[];
    prev: { lsn: number; epoch: number };
    mismatch?: { lsn: number; heldEpoch: number; expectedEpoch: number };
    appliedLsn: number;
  }> = [
    {
      why: 'the next entry naming the applied one matches',
      entries: [put(4, 1)],
      prev: { lsn: 3, epoch: 1 },
      appliedLsn: 4,
    },
    {
      why: 'a predecessor of another epoch is a mismatch',
      entries: [put(4, 2)],
      prev: { lsn: 3, epoch: 2 },
      mismatch: { lsn: 3, heldEpoch: 1, expectedEpoch: 2 },
      appliedLsn: 3,
    },
    {
      why: 'nothing held at the predecessor is no mismatch: the entry is buffered',
      entries: [put(6, 2)],
      prev: { lsn: 5, epoch: 2 },
      appliedLsn: 3,
    },
    {
      why: 'an applied entry of another epoch at the entry own LSN is a mismatch',
      entries: [put(2, 2)],
      prev: { lsn: 1, epoch: 1 },
      mismatch: { lsn: 2, heldEpoch: 1, expectedEpoch: 2 },
      appliedLsn: 3,
    },
    {
      why: 'an older buffered entry at the entry own LSN is replaced, not a mismatch',
      buffered: [put(5, 1)],
      entries: [put(5, 2)],
      prev: { lsn: 4, epoch: 2 },
      appliedLsn: 3,
    },
    {
      why: 'a resent duplicate of the same epoch is taken again',
      entries: [put(2, 1)],
      prev: { lsn: 1, epoch: 1 },
      appliedLsn: 3,
    },
  ];

  test.each(cases)('$why', ({ buffered = [], entries, prev, mismatch, appliedLsn }) => {
    const applier = appliedThrough(3);
    for (const entry of buffered) applier.receive([entry]);
    const before = { log: applier.exportLog(), discarded: applier.discardedCount };
    const result = applier.receive(entries, prev);
    expect(result.mismatch).toEqual(mismatch);
    expect(applier.appliedLsn).toBe(appliedLsn);
    if (mismatch)
      expect({ log: applier.exportLog(), discarded: applier.discardedCount }).toEqual(before); // changes nothing
    else expect(result.storedLsns).toEqual(entries.map((e) => e.lsn));
  });

  it('a buffered entry that does not chain onto what gets applied is dropped and counted', () => {
    const applier = appliedThrough(2);
    applier.receive([put(4, 1)], { lsn: 3, epoch: 1 }); // buffered: waits for LSN 3 of epoch 1
    applier.installSnapshot([['s', 'v', 3]], 3, 2); // a newer epoch's state at 3 replaces the history
    expect(applier.appliedLsn).toBe(3);
    expect(applier.appliedEpoch).toBe(2);
    expect(applier.bufferedCount).toBe(0);
    expect(applier.discardedCount).toBe(1);
    expect(applier.state.snapshot()).toEqual({ s: 'v' });
  });

  it('a snapshot of a newer epoch below the applied LSN rolls the suffix back and counts it', () => {
    const applier = appliedThrough(5);
    const { installed } = applier.installSnapshot([['k1', 'e1l1', 1]], 2, 3);
    expect(installed).toBe(true);
    expect({ lsn: applier.appliedLsn, epoch: applier.appliedEpoch, discarded: applier.discardedCount }).toEqual({
      lsn: 2,
      epoch: 3,
      discarded: 3,
    });
    // Afterwards nothing of the discarded entries remains, and the new epoch's entries chain on.
    expect(applier.state.snapshot()).toEqual({ k1: 'e1l1' });
    expect(applier.receive([put(3, 3)], { lsn: 2, epoch: 3 }).applied.map((e) => e.lsn)).toEqual([3]);
  });

  it('a snapshot of the entry already held is stale and ignored', () => {
    const applier = appliedThrough(4);
    expect(applier.installSnapshot([], 3, 1).installed).toBe(false);
    expect(applier.appliedLsn).toBe(4);
  });

  it('exports the base state and every entry after it, applied and buffered, for recovery', () => {
    const applier = new OrderedApplier(100, Infinity, 2);
    for (let lsn = 1; lsn <= 3; lsn++) applier.receive([put(lsn, 1)]);
    applier.receive([put(5, 1)]);
    const exported = applier.exportLog();
    // Two applied entries kept (the bound), the oldest folded into the base.
    expect(exported).toMatchObject({ baseLsn: 1, baseEpoch: 1, items: [['k1', 'e1l1', 1]] });
    expect(exported.entries.map((e) => e.lsn)).toEqual([2, 3, 5]);
  });
});

describe('a snapshot of the empty log (LSN 0)', () => {
  // Each case: what a follower applied, a snapshot at LSN 0 of epoch 2, and whether it replaces it.
  test.each([
    {
      why: 'a late one, after entries of its own epoch applied: ignored',
      appliedEpoch: 2,
      installed: false,
      appliedLsn: 2,
    },
    {
      why: 'one of a newer epoch over an older history: the history goes',
      appliedEpoch: 1,
      installed: true,
      appliedLsn: 0,
    },
  ])('$why', ({ appliedEpoch, installed, appliedLsn }) => {
    const applier = new OrderedApplier(100);
    applier.receive([put(1, appliedEpoch), put(2, appliedEpoch)], { lsn: 0, epoch: 0 });
    expect(applier.installSnapshot([], 0, 2).installed).toBe(installed);
    expect(applier.appliedLsn).toBe(appliedLsn);
  });
});
