/**
 * The sweep's calibration (`quorum-sweep --floor`): this implementation's overhead next to the
 * bare relay floor's, measured in the same run with the same topology, workload and delays. An
 * absolute overhead target does not travel between machines (on a VM a loopback round trip is
 * most of it); the distance to the floor does. Per W and pooled over W. Pure.
 */
import { percentile } from '@quorum-kv/stats';
import { idealMs, type FloorWrite } from './floor-summary';

/** The fidelity target against the floor (DESIGN.md section 6): p50 within +0.5 ms, p99 within 1.5×. */
export const FLOOR_TARGET = { overheadP50PlusMs: 0.5, overheadP99Times: 1.5 } as const;

export interface OverheadPair {
  overheadMsP50: number;
  overheadMsP99: number;
}

export interface FloorComparisonRow {
  /** A W, or `all` for the pooled row. */
  w: number | 'all';
  store: OverheadPair;
  floor: OverheadPair;
  /** store p50 − floor p50, ms. */
  p50PlusMs: number;
  /** store p99 / floor p99. */
  p99Times: number;
  /** Both within the target; false when either side could not be measured. */
  withinTarget: boolean;
}

export interface FloorComparison {
  rows: FloorComparisonRow[];
  pooled: FloorComparisonRow;
}

/** The store's side: one measured write's W and overhead (null when it failed or had no ideal). */
export interface StoreOverhead {
  w: number;
  overheadMs: number | null;
}

function pair(overheads: readonly number[]): OverheadPair {
  return overheads.length === 0
    ? { overheadMsP50: NaN, overheadMsP99: NaN }
    : { overheadMsP50: percentile([...overheads], 50), overheadMsP99: percentile([...overheads], 99) };
}

function row(w: number | 'all', store: OverheadPair, floor: OverheadPair): FloorComparisonRow {
  const p50PlusMs = store.overheadMsP50 - floor.overheadMsP50;
  const p99Times = store.overheadMsP99 / floor.overheadMsP99;
  const withinTarget =
    Number.isFinite(p50PlusMs) &&
    Number.isFinite(p99Times) &&
    p50PlusMs <= FLOOR_TARGET.overheadP50PlusMs &&
    p99Times <= FLOOR_TARGET.overheadP99Times;
  return { w, store, floor, p50PlusMs, p99Times, withinTarget };
}

function floorOverheads(writes: readonly FloorWrite[]): number[] {
  return writes.flatMap((r) => (r.latencyMs === null ? [] : [r.latencyMs - idealMs(r.delaysMs, r.w)]));
}

function storeOverheads(writes: readonly StoreOverhead[]): number[] {
  return writes.flatMap((r) => (r.overheadMs === null ? [] : [r.overheadMs]));
}

/** Per W present on both sides (ascending), and pooled over those W. */
export function compareWithFloor(store: readonly StoreOverhead[], floor: readonly FloorWrite[]): FloorComparison {
  const quorums = [...new Set(store.map((r) => r.w))].filter((w) => floor.some((r) => r.w === w)).sort((a, b) => a - b);
  const rows = quorums.map((w) =>
    row(w, pair(storeOverheads(store.filter((r) => r.w === w))), pair(floorOverheads(floor.filter((r) => r.w === w)))),
  );
  const inBoth = (r: { w: number }) => quorums.includes(r.w);
  const pooled = row('all', pair(storeOverheads(store.filter(inBoth))), pair(floorOverheads(floor.filter(inBoth))));
  return { rows, pooled };
}
