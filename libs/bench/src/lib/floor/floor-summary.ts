/**
 * The floor's numbers per W: latency and overhead (latency minus the write's ideal, the W-th
 * smallest delay it drew), p50 and p99, as the sweep reports them for the store. Pure.
 */
import { kthSmallest, percentile } from '@quorum-kv/stats';
import { fmtMs } from '../common/format';

export interface FloorWrite {
  w: number;
  /** Delays drawn for this write, one per follower, ms. */
  delaysMs: number[];
  /** null when the write got no answer. */
  latencyMs: number | null;
}

export interface FloorSummaryRow {
  w: number;
  writes: number;
  errors: number;
  latencyMsP50: number;
  latencyMsP99: number;
  overheadMsP50: number;
  overheadMsP99: number;
}

export function idealMs(delaysMs: readonly number[], w: number): number {
  return kthSmallest(delaysMs, w);
}

export function summarizeFloor(writes: readonly FloorWrite[]): FloorSummaryRow[] {
  const quorums = [...new Set(writes.map((r) => r.w))].sort((a, b) => a - b);
  return quorums.map((w) => {
    const atW = writes.filter((r) => r.w === w);
    const ok = atW.filter((r): r is FloorWrite & { latencyMs: number } => r.latencyMs !== null);
    const latencies = ok.map((r) => r.latencyMs);
    const overheads = ok.map((r) => r.latencyMs - idealMs(r.delaysMs, w));
    const p = (values: number[], q: number) => (values.length === 0 ? NaN : percentile(values, q));
    return {
      w,
      writes: atW.length,
      errors: atW.length - ok.length,
      latencyMsP50: p(latencies, 50),
      latencyMsP99: p(latencies, 99),
      overheadMsP50: p(overheads, 50),
      overheadMsP99: p(overheads, 99),
    };
  });
}

/** One line per W, for the terminal. */
export function floorLines(rows: readonly FloorSummaryRow[]): string[] {
  const f = (v: number) => fmtMs(v, false, 2);
  return rows.map(
    (r) =>
      `floor W=${r.w}: overhead p50 ${f(r.overheadMsP50)} ms, p99 ${f(r.overheadMsP99)} ms (latency ` +
      `p50 ${f(r.latencyMsP50)}, p99 ${f(r.latencyMsP99)}; ${r.writes} writes, ${r.errors} errors)`,
  );
}
