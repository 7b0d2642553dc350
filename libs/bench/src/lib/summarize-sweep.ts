/** One summary row per W from the write records and the model (times in ms). */
import { percentile, summarize } from '@quorum-kv/stats';
import type { QuorumLatencyModel } from '@quorum-kv/stats';
import type { SummaryRow, WriteRecord } from './records';

/** Latency statistics are over the writes that succeeded; failures are counted in `errors`. */
export function summaryRow(w: number, writes: WriteRecord[], model: QuorumLatencyModel | undefined): SummaryRow {
  const ok = writes.filter((r) => r.outcome === 'ok');
  const latency = summarize(ok.map((r) => r.latencyMs));
  const overheads = ok.flatMap((r) => (r.overheadMs === null ? [] : [r.overheadMs]));
  return {
    w,
    count: writes.length,
    errors: writes.length - ok.length,
    mean: latency.mean,
    median: latency.median,
    p95: latency.p95,
    p99: latency.p99,
    min: latency.min,
    max: latency.max,
    modelMean: model?.mean ?? NaN,
    modelP50: model?.p50 ?? NaN,
    modelP95: model?.p95 ?? NaN,
    modelP99: model?.p99 ?? NaN,
    overheadP50: percentile(overheads, 50),
    overheadP99: percentile(overheads, 99),
  };
}
