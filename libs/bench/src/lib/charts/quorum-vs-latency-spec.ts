/**
 * The study's main chart, `quorum_vs_latency_full`: mean, median, p95 and p99 write latency
 * against W, measured (solid lines with filled points) beside the model's prediction for the
 * same statistic (dashed lines, hollow points, same colour). Pure: builds the spec only.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { SummaryRow } from '../records';
import { chartBase, LATENCY_STATISTICS, type LatencyStatistic } from './chart-theme';

export const QUORUM_VS_LATENCY_CHART = 'quorum_vs_latency_full';

export const MEASURED_SOURCE = 'measured';
export const MODEL_SOURCE = 'model (W-th order statistic)';

/** One point of the chart: one statistic at one W, measured or predicted. */
export interface QuorumLatencyPoint {
  w: number;
  statistic: string;
  source: typeof MEASURED_SOURCE | typeof MODEL_SOURCE;
  latencyMs: number;
}

const MODEL_FIELD: Record<LatencyStatistic, keyof SummaryRow> = { mean: 'modelMean', median: 'modelP50', p95: 'modelP95', p99: 'modelP99' };

/** The summary in long form; a statistic that is not a finite number (no successful write, no model) is left out. */
export function quorumLatencyPoints(summary: SummaryRow[]): QuorumLatencyPoint[] {
  const points: QuorumLatencyPoint[] = [];
  for (const row of summary) {
    for (const { key, label } of LATENCY_STATISTICS) {
      const measured = row[key];
      const model = row[MODEL_FIELD[key]];
      if (Number.isFinite(measured)) points.push({ w: row.w, statistic: label, source: MEASURED_SOURCE, latencyMs: measured });
      if (Number.isFinite(model)) points.push({ w: row.w, statistic: label, source: MODEL_SOURCE, latencyMs: model });
    }
  }
  return points;
}

function writesPerW(summary: SummaryRow[]): string {
  const counts = [...new Set(summary.map((r) => r.count))];
  return counts.length === 1 ? `${counts[0]} writes per W` : `${Math.min(...counts)}–${Math.max(...counts)} writes per W`;
}

export function quorumVsLatencySpec(summary: SummaryRow[]): TopLevelSpec {
  const ws = [...new Set(summary.map((r) => r.w))].sort((a, b) => a - b);
  const minW = ws[0] ?? 1;
  const maxW = ws[ws.length - 1] ?? 1;
  const color = {
    field: 'statistic',
    type: 'nominal',
    title: 'Statistic',
    scale: { domain: LATENCY_STATISTICS.map((s) => s.label), range: LATENCY_STATISTICS.map((s) => s.colour) },
    legend: { orient: 'right' },
  } as const;
  const tooltip = [
    { field: 'w', type: 'quantitative' as const, title: 'W' },
    { field: 'statistic', type: 'nominal' as const, title: 'Statistic' },
    { field: 'source', type: 'nominal' as const, title: 'Source' },
    { field: 'latencyMs', type: 'quantitative' as const, title: 'Latency (ms)', format: '.1f' },
  ];
  return {
    ...chartBase(),
    title: {
      text: 'Write latency vs write quorum W',
      subtitle: [
        `Solid lines, filled points: measured (successful writes, ${writesPerW(summary)}).`,
        "Dashed lines, hollow points: the model, the W-th smallest of the followers' injected delays.",
      ],
    },
    width: 620,
    height: 400,
    data: { values: quorumLatencyPoints(summary) },
    encoding: {
      x: {
        field: 'w',
        type: 'quantitative',
        title: 'Write quorum W (follower acks the leader waits for)',
        scale: { domain: [minW - 0.2, maxW + 0.2], nice: false, zero: false },
        axis: { values: ws, format: 'd', grid: true },
      },
      y: { field: 'latencyMs', type: 'quantitative', title: 'Write latency (ms)', scale: { zero: true } },
      color,
      tooltip,
    },
    layer: [
      {
        mark: { type: 'line', strokeWidth: 2.5 },
        encoding: {
          strokeDash: {
            field: 'source',
            type: 'nominal',
            title: 'Source',
            scale: { domain: [MEASURED_SOURCE, MODEL_SOURCE], range: [[1, 0], [7, 4]] },
            legend: { orient: 'right', symbolStrokeWidth: 2.5, symbolSize: 400 },
          },
          detail: { field: 'source', type: 'nominal' },
        },
      },
      {
        transform: [{ filter: { field: 'source', equal: MEASURED_SOURCE } }],
        mark: { type: 'point', filled: true, size: 70, opacity: 1 },
      },
      {
        transform: [{ filter: { field: 'source', equal: MODEL_SOURCE } }],
        mark: { type: 'point', filled: false, size: 50, strokeWidth: 1.5, fill: 'white', opacity: 1 },
      },
    ],
  };
}
