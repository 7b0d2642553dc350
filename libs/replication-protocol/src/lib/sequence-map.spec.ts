import { SequenceMap } from './sequence-map';
import { createRng } from './random';

type Op = ['set', number, string] | ['delete', number];

/** Applies the operations to a window and to a Map; both must agree after every step. */
function replay(ops: Op[], maxRingSlots: number): SequenceMap<string> {
  const window = new SequenceMap<string>(maxRingSlots);
  const model = new Map<number, string>();
  for (const op of ops) {
    if (op[0] === 'set') {
      window.set(op[1], op[2]);
      model.set(op[1], op[2]);
    } else {
      const [got, want] = [window.delete(op[1]), model.delete(op[1])];
      if (got !== want) expect(got).toBe(want);
    }
    // A plain check per step (20,000 steps of expect would take seconds); expect once at the end.
    if (window.size !== model.size) expect(window.size).toBe(model.size);
  }
  for (const [lsn, value] of model) expect(window.get(lsn)).toBe(value);
  expect([...window.values()].sort()).toEqual([...model.values()].sort());
  return window;
}

describe('SequenceMap', () => {
  it.each<{ name: string; ops: Op[]; maxRingSlots?: number; absent: number[] }>([
    {
      name: 'a stream: rising LSNs, leaving in order',
      ops: [
        ['set', 1, 'a'],
        ['set', 2, 'b'],
        ['set', 3, 'c'],
        ['delete', 1],
        ['delete', 2],
        ['set', 4, 'd'],
      ],
      absent: [0, 1, 2, 5],
    },
    {
      name: 'leaving out of order, then the gap closes',
      ops: [
        ['set', 10, 'a'],
        ['set', 11, 'b'],
        ['set', 12, 'c'],
        ['delete', 11],
        ['delete', 10],
      ],
      absent: [10, 11, 13],
    },
    {
      name: 'an LSN below the ring (a catch-up behind the stream) stretches it down',
      ops: [
        ['set', 100, 'a'],
        ['set', 101, 'b'],
        ['set', 90, 'old'],
        ['delete', 100],
      ],
      absent: [89, 91, 100],
    },
    {
      name: 'an LSN beyond maxRingSlots waits in the map, and moves into the ring when set again there',
      ops: [
        ['set', 1, 'a'],
        ['set', 50, 'far'],
        ['set', 2, 'b'],
        ['delete', 1],
        ['delete', 2],
        ['set', 50, 'near'],
      ],
      maxRingSlots: 8,
      absent: [1, 2, 49, 51],
    },
    {
      name: 'deleting what is not there changes nothing',
      ops: [
        ['delete', 5],
        ['set', 5, 'a'],
        ['delete', 6],
        ['delete', 4],
        ['delete', 5],
        ['delete', 5],
      ],
      absent: [4, 5, 6],
    },
    {
      name: 'set twice keeps one entry with the last value',
      ops: [
        ['set', 7, 'a'],
        ['set', 7, 'b'],
      ],
      absent: [6, 8],
    },
  ])('$name', ({ ops, maxRingSlots, absent }) => {
    const window = replay(ops, maxRingSlots ?? 1 << 16);
    for (const lsn of absent) {
      expect(window.has(lsn)).toBe(false);
      expect(window.get(lsn)).toBeUndefined();
    }
  });

  it('gives the ring values in LSN order', () => {
    const window = new SequenceMap<number>();
    for (const lsn of [5, 3, 4, 8, 6]) window.set(lsn, lsn);
    window.delete(4);
    expect([...window.values()]).toEqual([3, 5, 6, 8]);
  });

  it('grows the ring past its first 16 slots, keeping every value', () => {
    const window = new SequenceMap<number>();
    for (let lsn = 1; lsn <= 1000; lsn++) window.set(lsn, lsn * 2);
    for (let lsn = 1; lsn <= 500; lsn++) window.delete(lsn);
    expect(window.size).toBe(500);
    expect(window.get(501)).toBe(1002);
    expect(window.get(1000)).toBe(2000);
    expect(window.has(500)).toBe(false);
  });

  // Streams in flight, acks out of order, catch-ups far behind, with a ring small enough to overflow.
  it.each([1, 2, 3, 4])('agrees with a Map over 20,000 random operations (seed %i)', (seed) => {
    const rng = createRng(seed, 7);
    const ops: Op[] = [];
    let next = 1;
    const live: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const r = rng.next();
      if (r < 0.45) {
        const lsn = next++;
        live.push(lsn);
        ops.push(['set', lsn, `v${lsn}`]);
      } else if (r < 0.5) {
        const lsn = Math.max(1, next - 1 - Math.floor(rng.next() * 200));
        live.push(lsn);
        ops.push(['set', lsn, `c${lsn}`]);
      } else if (live.length > 0) {
        const at = rng.next() < 0.8 ? 0 : Math.floor(rng.next() * live.length);
        const [lsn] = live.splice(at, 1) as [number];
        ops.push(['delete', lsn]);
      }
    }
    replay(ops, 64);
  });

  it('clear empties ring and map alike', () => {
    const map = new SequenceMap<string>(4);
    map.set(1, 'a').set(2, 'b').set(100, 'far');
    map.clear();
    expect(map.size).toBe(0);
    expect([1, 2, 100].map((n) => map.has(n))).toEqual([false, false, false]);
    map.set(3, 'c');
    expect([...map.values()]).toEqual(['c']);
  });

  it('keeps a key that is no integer in the map, beside the ring', () => {
    const map = new SequenceMap<string>();
    map.set(1, 'a').set(1.5, 'half').set(Number.NaN, 'nan');
    expect([map.get(1), map.get(1.5), map.get(Number.NaN), map.size]).toEqual(['a', 'half', 'nan', 3]);
    expect(map.delete(1.5)).toBe(true);
    expect(map.has(1.5)).toBe(false);
  });

  it('refuses a ring of no slots', () => {
    expect(() => new SequenceMap(0)).toThrow('maxRingSlots must be at least 1');
  });
});
