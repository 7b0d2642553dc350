import { putEntry } from '../testing';
import { KvState, type SnapshotItem } from './kv-state';
import { mergeRecovery, type RecoveryResponse } from './recovery';
import type { Entry, FollowerLog } from './wire';

const NOW_MS = 5_000;
const put = (lsn: number, epoch: number, key = `k${lsn}`, value = `e${epoch}l${lsn}`): Entry =>
  putEntry(lsn, key, value, epoch);
const log = (
  entries: Entry[],
  base: { lsn: number; epoch: number; items: SnapshotItem[] } = { lsn: 0, epoch: 0, items: [] },
): FollowerLog => ({
  baseLsn: base.lsn,
  baseEpoch: base.epoch,
  items: base.items,
  entries,
});
const responder = (follower: number, l: FollowerLog): RecoveryResponse => ({ follower, log: l });

/** The recovered state as a plain map, and the epoch-free log: what a client could read back. */
function recoveredStore(responses: RecoveryResponse[], epoch: number) {
  const merged = mergeRecovery(responses, epoch, NOW_MS);
  const state = new KvState();
  state.restore(merged.items, merged.baseLsn);
  for (const entry of merged.entries) state.apply(entry);
  return { merged, store: state.snapshot(), lsn: state.appliedLsn };
}

describe('mergeRecovery', () => {
  // Each case: the responders' logs, and what the recovered log must hold.
  const cases: Array<{
    why: string;
    responses: RecoveryResponse[];
    store: Record<string, string>;
    lastLsn: number;
    holes: number[];
    adopted: Record<number, number>;
  }> = [
    {
      why: 'nobody holds anything: an empty log',
      responses: [responder(0, log([])), responder(1, log([]))],
      store: {},
      lastLsn: 0,
      holes: [],
      adopted: {},
    },
    {
      why: 'the longest responder gives every entry (a W=1 write on one follower survives when it answers)',
      responses: [responder(0, log([put(1, 1), put(2, 1), put(3, 1)])), responder(2, log([put(1, 1)]))],
      store: { k1: 'e1l1', k2: 'e1l2', k3: 'e1l3' },
      lastLsn: 3,
      holes: [],
      adopted: { 0: 3 },
    },
    {
      why: 'buffered entries beyond a gap are taken (a received ack covers them), the gap is a no-op',
      responses: [responder(0, log([put(1, 1), put(4, 1)])), responder(1, log([put(1, 1), put(2, 1)]))],
      store: { k1: 'e1l1', k2: 'e1l2', k4: 'e1l4' },
      lastLsn: 4,
      holes: [3],
      adopted: { 0: 2, 1: 1 },
    },
    {
      why: 'at one LSN the highest epoch wins, whoever holds it',
      responses: [
        responder(0, log([put(1, 1), put(2, 1, 'x', 'old')])),
        responder(1, log([put(1, 1), put(2, 3, 'x', 'new')])),
      ],
      store: { k1: 'e1l1', x: 'new' },
      lastLsn: 2,
      holes: [],
      adopted: { 0: 1, 1: 1 },
    },
    {
      why: 'a base (snapshot) unbeaten anywhere starts the log; entries beyond it follow',
      responses: [
        responder(0, log([put(3, 2)], { lsn: 2, epoch: 2, items: [['a', 'snap', 2]] })),
        responder(1, log([put(1, 1)])),
      ],
      store: { a: 'snap', k3: 'e2l3' },
      lastLsn: 3,
      holes: [],
      adopted: { 0: 1 },
    },
    {
      why: 'a base beaten by a newer epoch is not used: its LSNs come from entries, the rest are holes',
      responses: [
        responder(0, log([], { lsn: 2, epoch: 2, items: [['a', 'stale', 2]] })),
        responder(1, log([put(2, 3, 'b', 'newer')])),
      ],
      store: { b: 'newer' },
      lastLsn: 2,
      holes: [1],
      adopted: { 1: 1 },
    },
  ];

  test.each(cases)('$why', ({ responses, store, lastLsn, holes, adopted }) => {
    const { merged, store: got, lsn } = recoveredStore(responses, 9);
    expect(got).toEqual(store);
    expect({ lsn, lastLsn: merged.lastLsn, holes: merged.holes }).toEqual({ lsn: lastLsn, lastLsn, holes });
    expect(Object.fromEntries(merged.adopted)).toEqual(adopted);
  });

  it('stamps every recovered entry, no-ops included, with the new epoch, and keeps LSNs contiguous', () => {
    const { merged } = recoveredStore([responder(0, log([put(1, 1), put(3, 2)]))], 7);
    expect(merged.entries.map((e) => [e.lsn, e.epoch, e.op])).toEqual([
      [1, 7, 'put'],
      [2, 7, 'noop'],
      [3, 7, 'put'],
    ]);
    expect(merged.entries[1]).toMatchObject({ leaderTimeMs: NOW_MS });
  });

  it('W + R > N: every write acknowledged by W of N survives any choice of R responders', () => {
    // N=5; a write at LSN 1 acked by followers {0,1,2} (W=3) and nothing else. Any R=3 responders
    // include one of them, so the write is recovered; with R=2 ({3,4}) it is not.
    const holder = log([put(1, 1, 'acked', 'yes')]);
    const empty = log([]);
    const logs = [holder, holder, holder, empty, empty];
    const subsets = (k: number, from = 0): number[][] =>
      k === 0 ? [[]] : from >= 5 ? [] : [...subsets(k - 1, from + 1).map((s) => [from, ...s]), ...subsets(k, from + 1)];
    for (const chosen of subsets(3)) {
      const { store } = recoveredStore(
        chosen.map((i) => responder(i, logs[i] as FollowerLog)),
        2,
      );
      expect({ chosen, store }).toEqual({ chosen, store: { acked: 'yes' } });
    }
    expect(recoveredStore([responder(3, empty), responder(4, empty)], 2).store).toEqual({});
  });
});
