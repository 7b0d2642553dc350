/**
 * `compare_latency`: mean, median, p95 and p99 write latency against W for two runs, one
 * panel per statistic (each with its own y scale, so a gap of a few ms stays visible beside a
 * p99 of a second). In every panel run A is the solid line with filled points and run B the
 * dashed line with hollow points; the colour is the statistic's, as in the sweep's charts.
 * Pure: builds the spec only.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { SummaryRow } from '../sweep/records';
import { chartBase, LATENCY_STATISTICS } from '../common/chart-theme';
import { runNames } from './compare-table';

export const COMPARE_LATENCY_CHART = 'compare_latency';

export interface CompareLatencyInput {
  summaryA: readonly SummaryRow[];
  summaryB: readonly SummaryRow[];
  labelA: string;
  labelB: string;
  /** Extra subtitle lines, e.g. the settings that differ. */
  notes?: readonly string[];
}

/** One point: one statistic of one run at one W. */
export interface CompareLatencyPoint {
  w: number;
  statistic: string;
  run: string;
  latencyMs: number;
}

/** The legend's name of each run: "A: received". */
export function runLegendNames(labelA: string, labelB: string): [string, string] {
  return [`A: ${labelA}`, `B: ${labelB}`];
}

/** Both summaries in long form; a statistic that is not a finite number is left out. */
export function compareLatencyPoints({
  summaryA,
  summaryB,
  labelA,
  labelB,
}: CompareLatencyInput): CompareLatencyPoint[] {
  const [runA, runB] = runLegendNames(labelA, labelB);
  const points: CompareLatencyPoint[] = [];
  for (const [run, summary] of [
    [runA, summaryA],
    [runB, summaryB],
  ] as const) {
    for (const row of summary) {
      for (const { key, label } of LATENCY_STATISTICS) {
        if (Number.isFinite(row[key])) points.push({ w: row.w, statistic: label, run, latencyMs: row[key] });
      }
    }
  }
  return points;
}

export function compareLatencySpec(input: CompareLatencyInput): TopLevelSpec {
  const [runA, runB] = runLegendNames(input.labelA, input.labelB);
  const names = runNames(input.labelA, input.labelB);
  const ws = [...new Set([...input.summaryA, ...input.summaryB].map((r) => r.w))].sort((a, b) => a - b);
  const statistics = LATENCY_STATISTICS.map((s) => s.label);
  return {
    ...chartBase(),
    title: {
      text: `Write latency vs W: ${names.a} vs ${names.b}`,
      subtitle: [`Solid line, filled points: ${runA}.   Dashed line, hollow points: ${runB}.`, ...(input.notes ?? [])],
    },
    data: { values: compareLatencyPoints(input) },
    columns: 2,
    facet: {
      field: 'statistic',
      type: 'nominal',
      title: null,
      sort: statistics,
      header: { labelFontWeight: 'bold', labelFontSize: 14 },
    },
    spec: { width: 320, height: 200, encoding: panelEncoding(ws, statistics), layer: runLayers(runA, runB) },
    resolve: { scale: { y: 'independent' } },
  };
}

/** One panel per statistic: W across, latency up (each panel its own scale), the statistic's colour. */
function panelEncoding(ws: number[], statistics: string[]) {
  const minW = ws[0] ?? 1;
  const maxW = ws[ws.length - 1] ?? 1;
  return {
    x: {
      field: 'w',
      type: 'quantitative' as const,
      title: 'Write quorum W',
      scale: { domain: [minW - 0.2, maxW + 0.2], nice: false, zero: false },
      axis: { values: ws, format: 'd', grid: true },
    },
    // The same axis width in every panel keeps the panels aligned whatever their numbers.
    y: {
      field: 'latencyMs',
      type: 'quantitative' as const,
      title: 'Write latency (ms)',
      scale: { zero: true },
      axis: { minExtent: 40 },
    },
    color: {
      field: 'statistic',
      type: 'nominal' as const,
      scale: { domain: statistics, range: LATENCY_STATISTICS.map((s) => s.colour) },
      // The panel's header names the statistic already.
      legend: null,
    },
    tooltip: [
      { field: 'run', type: 'nominal' as const, title: 'Run' },
      { field: 'statistic', type: 'nominal' as const, title: 'Statistic' },
      { field: 'w', type: 'quantitative' as const, title: 'W' },
      { field: 'latencyMs', type: 'quantitative' as const, title: 'Latency (ms)', format: '.1f' },
    ],
  };
}

/** A line per run (A solid, B dashed), then A's points filled and B's hollow. */
function runLayers(runA: string, runB: string) {
  return [
    {
      mark: { type: 'line' as const, strokeWidth: 2.5 },
      encoding: {
        strokeDash: {
          field: 'run',
          type: 'nominal' as const,
          title: 'Run',
          scale: {
            domain: [runA, runB],
            range: [
              [1, 0],
              [7, 4],
            ],
          },
          legend: {
            orient: 'bottom' as const,
            direction: 'horizontal' as const,
            symbolStrokeWidth: 2.5,
            symbolSize: 400,
            symbolStrokeColor: '#333',
          },
        },
        detail: { field: 'run', type: 'nominal' as const },
      },
    },
    {
      transform: [{ filter: { field: 'run', equal: runA } }],
      mark: { type: 'point' as const, filled: true, size: 70, opacity: 1 },
    },
    {
      transform: [{ filter: { field: 'run', equal: runB } }],
      mark: { type: 'point' as const, filled: false, size: 60, strokeWidth: 1.5, fill: 'white', opacity: 1 },
    },
  ];
}
