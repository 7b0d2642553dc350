/** Summary rows per W and ack mode, and intervals over repeated runs (times in ms). */
import type { AckMode } from '@quorum-kv/replication-protocol';
import { meanInterval95, percentile, summarize, type QuorumLatencyModel } from '@quorum-kv/stats';
import { INTERVAL_METRICS, type IntervalMetric, type IntervalRow, type SummaryRow, type WriteRecord } from './records';

/** The statistics of one group of writes (latency over the successful ones). */
function statistics(
  writes: readonly WriteRecord[],
): Record<IntervalMetric, number> & { ok: number; min: number; max: number } {
  const ok = writes.filter((r) => r.outcome === 'ok');
  const latency = summarize(ok.map((r) => r.latencyMs));
  const overheads = ok.flatMap((r) => (r.overheadMs === null ? [] : [r.overheadMs]));
  return {
    ok: ok.length,
    mean: latency.mean,
    median: latency.median,
    p95: latency.p95,
    p99: latency.p99,
    min: latency.min,
    max: latency.max,
    overheadP50: percentile(overheads, 50),
    overheadP99: percentile(overheads, 99),
  };
}

/** Latency statistics are over the writes that succeeded; failures are counted in `errors`. */
export function summaryRow(
  w: number,
  writes: WriteRecord[],
  model: QuorumLatencyModel | undefined,
  ackMode: AckMode = writes[0]?.ackMode ?? 'received',
): SummaryRow {
  const s = statistics(writes);
  return {
    w,
    count: writes.length,
    errors: writes.length - s.ok,
    mean: s.mean,
    median: s.median,
    p95: s.p95,
    p99: s.p99,
    min: s.min,
    max: s.max,
    modelMean: model?.mean ?? NaN,
    modelP50: model?.p50 ?? NaN,
    modelP95: model?.p95 ?? NaN,
    modelP99: model?.p99 ?? NaN,
    overheadP50: s.overheadP50,
    overheadP99: s.overheadP99,
    ackMode,
    runs: new Set(writes.map((r) => r.run)).size,
  };
}

/** Metrics that cannot be negative: a latency is never below 0 ms (an overhead, latency minus the ideal, can be). */
const NON_NEGATIVE_METRICS: ReadonlySet<IntervalMetric> = new Set(['mean', 'median', 'p95', 'p99']);

/**
 * An interval clipped to what the metric can be: the Student-t interval over few runs can
 * reach below 0 ms (−6000 ms with two runs), which no latency can.
 */
export function possibleInterval(
  metric: IntervalMetric,
  low: number,
  high: number,
): { low: number; high: number; clipped: boolean } {
  if (!NON_NEGATIVE_METRICS.has(metric) || !(low < 0)) return { low, high, clipped: false };
  return { low: 0, high: Math.max(0, high), clipped: true };
}

/**
 * For every ack mode, W and metric: the metric computed per run, its mean over the runs and
 * the 95% Student-t interval of that mean, clipped to what the metric can be (`possibleInterval`).
 */
export function intervalRows(writes: readonly WriteRecord[]): IntervalRow[] {
  const groups = new Map<string, WriteRecord[][]>();
  for (const r of writes) {
    const key = `${r.ackMode}|${r.w}`;
    const runs = groups.get(key) ?? [];
    (runs[r.run] ??= []).push(r);
    groups.set(key, runs);
  }
  const rows: IntervalRow[] = [];
  for (const [key, runs] of groups) {
    const [ackMode, w] = key.split('|') as [AckMode, string];
    const perRun = runs.filter((group) => group !== undefined).map(statistics);
    INTERVAL_METRICS.forEach((metric) => {
      const values = perRun.map((s) => s[metric]).filter(Number.isFinite);
      const interval = meanInterval95(values);
      const { low, high } = possibleInterval(metric, interval.low, interval.high);
      rows.push({
        ackMode,
        w: Number(w),
        metric,
        runs: values.length,
        mean: interval.mean,
        ciLow: low,
        ciHigh: high,
      });
    });
  }
  return rows.sort((a, b) => a.ackMode.localeCompare(b.ackMode) || a.w - b.w);
}
