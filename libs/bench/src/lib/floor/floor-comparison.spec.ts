import { compareWithFloor, FLOOR_TARGET } from './floor-comparison';
import type { FloorWrite } from './floor-summary';

/** A floor write at W whose overhead is `overheadMs` (one follower, delay 10 ms). */
const floorWrite = (w: number, overheadMs: number | null): FloorWrite => ({
  w,
  delaysMs: Array.from({ length: w }, () => 10),
  latencyMs: overheadMs === null ? null : 10 + overheadMs,
});

describe('compareWithFloor', () => {
  it.each([
    {
      name: 'equal overheads are within the target',
      store: [1, 1, 1],
      floor: [1, 1, 1],
      plus: 0,
      times: 1,
      within: true,
    },
    {
      name: 'p50 at the floor + 0.5 ms is still within',
      store: [1.5, 1.5, 1.5],
      floor: [1, 1, 1],
      plus: FLOOR_TARGET.overheadP50PlusMs,
      times: 1.5,
      within: true,
    },
    {
      name: 'p50 above the floor + 0.5 ms misses',
      store: [2, 2, 2],
      floor: [1, 1, 1],
      plus: 1,
      times: 2,
      within: false,
    },
    {
      name: 'p99 beyond 1.5× the floor misses though p50 is close',
      store: [1, 1, 10],
      floor: [1, 1, 2],
      plus: 0,
      times: NaN,
      within: false,
    },
  ])('$name', ({ store, floor, plus, times, within }) => {
    const result = compareWithFloor(
      store.map((overheadMs) => ({ w: 1, overheadMs })),
      floor.map((o) => floorWrite(1, o)),
    );
    const [row] = result.rows;
    expect(row?.w).toBe(1);
    expect(row?.p50PlusMs).toBeCloseTo(plus, 9);
    if (!Number.isNaN(times)) expect(row?.p99Times).toBeCloseTo(times, 9);
    expect(row?.withinTarget).toBe(within);
  });

  it('compares only the W measured on both sides, and pools over those W', () => {
    const store = [
      { w: 1, overheadMs: 1 },
      { w: 2, overheadMs: 3 },
      { w: 3, overheadMs: 100 },
    ];
    const floor = [floorWrite(1, 1), floorWrite(2, 1), floorWrite(4, 50)];
    const { rows, pooled } = compareWithFloor(store, floor);
    expect(rows.map((r) => r.w)).toEqual([1, 2]);
    expect(pooled.w).toBe('all');
    // Pooled store overheads are {1, 3} (W=3 has no floor): p50 2; the floor's {1, 1}: p50 1.
    expect(pooled.store.overheadMsP50).toBe(2);
    expect(pooled.floor.overheadMsP50).toBe(1);
    expect(pooled.p50PlusMs).toBe(1);
  });

  it('leaves a side with no answered write unknown, and never within the target', () => {
    const { rows } = compareWithFloor([{ w: 2, overheadMs: null }], [floorWrite(2, null)]);
    expect(rows[0]?.store.overheadMsP50).toBeNaN();
    expect(rows[0]?.floor.overheadMsP99).toBeNaN();
    expect(rows[0]?.withinTarget).toBe(false);
  });
});
