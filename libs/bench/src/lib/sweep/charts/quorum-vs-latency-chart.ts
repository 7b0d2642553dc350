/**
 * The study's main chart, `quorum_vs_latency_full`: mean, median, p95 and p99 write latency
 * against W, measured (solid lines with filled points) beside the model's prediction for the
 * same statistic (dashed lines, hollow points, same colour). A repeated sweep shows each
 * statistic's mean over the runs with its 95% interval as an error bar; a sweep of two ack
 * modes gets one panel per mode on a shared scale. Pure: builds the spec only.
 */
import type { AckMode } from '@quorum-kv/replication-protocol';
import type { TopLevelSpec } from 'vega-lite';
import type { Field } from 'vega-lite/types_unstable/channeldef.js';
import type { LayerSpec } from 'vega-lite/types_unstable/spec/layer.js';
import type { UnitSpec } from 'vega-lite/types_unstable/spec/unit.js';
import type { IntervalRow, SummaryRow } from '../records';
import { copySpec, type SweepChart, type WPoint } from './sweep-chart';
import { ackModesIn, chartBase, LATENCY_STATISTICS, type LatencyStatistic } from '../../common/chart-theme';

export const QUORUM_VS_LATENCY_CHART = 'quorum_vs_latency_full';

/** Where a point comes from, in the legend's order. */
export const SOURCES = ['measured', 'model (W-th order statistic)'] as const;
export const [MEASURED_SOURCE, MODEL_SOURCE] = SOURCES;

/** One point of the chart: one statistic at one W and ack mode, measured or predicted. */
export interface QuorumLatencyPoint extends WPoint {
  statistic: string;
  source: (typeof SOURCES)[number];
  latencyMs: number;
  /** The 95% interval over runs: measured points of a sweep repeated more than once only. */
  ciLowMs?: number;
  ciHighMs?: number;
}

const MODEL_FIELD: Record<LatencyStatistic, keyof SummaryRow> = {
  mean: 'modelMean',
  median: 'modelP50',
  p95: 'modelP95',
  p99: 'modelP99',
};

const intervalKey = (ackMode: AckMode, w: number, metric: string) => `${ackMode}|${w}|${metric}`;

/** The intervals worth drawing: over more than one run, with finite numbers. */
function intervalsByKey(intervals: readonly IntervalRow[]): Map<string, IntervalRow> {
  const usable = intervals.filter((i) => i.runs > 1 && [i.mean, i.ciLow, i.ciHigh].every(Number.isFinite));
  return new Map(usable.map((i) => [intervalKey(i.ackMode, i.w, i.metric), i]));
}

/**
 * The measured value of one statistic: with an interval over several runs, the mean of the
 * per-run values and its bounds (so the bar belongs to the point it is drawn on); otherwise
 * the summary's value, pooled over the writes.
 */
function measured(
  row: SummaryRow,
  key: LatencyStatistic,
  interval: IntervalRow | undefined,
): Pick<QuorumLatencyPoint, 'latencyMs' | 'ciLowMs' | 'ciHighMs'> | undefined {
  if (interval !== undefined) return { latencyMs: interval.mean, ciLowMs: interval.ciLow, ciHighMs: interval.ciHigh };
  return Number.isFinite(row[key]) ? { latencyMs: row[key] } : undefined;
}

/**
 * The summary in long form, one point per statistic, source, W and ack mode; a statistic that
 * is not a finite number (no successful write, no model at that W) is left out, so its line
 * simply skips that W.
 */
export function quorumLatencyPoints(
  summary: readonly SummaryRow[],
  intervals: readonly IntervalRow[] = [],
): QuorumLatencyPoint[] {
  const byKey = intervalsByKey(intervals);
  const points: QuorumLatencyPoint[] = [];
  for (const row of summary) {
    for (const { key, label } of LATENCY_STATISTICS) {
      const value = measured(row, key, byKey.get(intervalKey(row.ackMode, row.w, key)));
      const model = row[MODEL_FIELD[key]] as number;
      const base = { w: row.w, ackMode: row.ackMode, statistic: label };
      if (value !== undefined) points.push({ ...base, source: MEASURED_SOURCE, ...value });
      if (Number.isFinite(model)) points.push({ ...base, source: MODEL_SOURCE, latencyMs: model });
    }
  }
  return points;
}

/**
 * Whiskers never set the axis: the axis follows the points (measured and model), and each
 * interval is clipped to [0, the largest point] of its group (`groupOf`, e.g. one facet with
 * its own scale). Pure; points without an interval pass through.
 */
export function clipIntervalsToAxis<P extends Pick<QuorumLatencyPoint, 'latencyMs' | 'ciLowMs' | 'ciHighMs'>>(
  points: readonly P[],
  groupOf: (point: P) => string = () => '',
): P[] {
  const top = new Map<string, number>();
  for (const p of points) {
    if (Number.isFinite(p.latencyMs)) top.set(groupOf(p), Math.max(top.get(groupOf(p)) ?? 0, p.latencyMs));
  }
  return points.map((p) => {
    if (p.ciLowMs === undefined || p.ciHighMs === undefined) return p;
    const max = top.get(groupOf(p)) ?? 0;
    const clip = (v: number) => Math.min(max, Math.max(0, v));
    return { ...p, ciLowMs: clip(p.ciLowMs), ciHighMs: clip(p.ciHighMs) };
  });
}

/** Writes per W in one run, e.g. "100 writes per W" (a range if they differ). */
export function writesPerWText(summary: readonly SummaryRow[]): string {
  const counts = [...new Set(summary.map((r) => r.count / Math.max(1, r.runs)))];
  return counts.length === 1
    ? `${counts[0]} writes per W`
    : `${Math.min(...counts)}–${Math.max(...counts)} writes per W`;
}

/** Subtitle lines naming the W values where a line has a gap, and why. */
export function gapNotes(summary: readonly SummaryRow[]): string[] {
  const ws = (test: (r: SummaryRow) => boolean) =>
    [...new Set(summary.filter(test).map((r) => r.w))].sort((a, b) => a - b).map((w) => `W=${w}`);
  const failed = ws((r) => r.count > 0 && r.errors === r.count);
  const noModel = ws((r) => !Number.isFinite(r.modelMean));
  // The model has no prediction only where W exceeds the followers still running (scenario follower-down).
  const modelWhy = 'it needs more acks than the followers still running can give';
  if (failed.length > 0 && failed.join() === noModel.join())
    return [
      `Nothing at ${failed.join(', ')}: every write there failed, and the model has no prediction (${modelWhy}).`,
    ];
  return [
    ...(failed.length > 0
      ? [`No measured point at ${failed.join(', ')}: every write there failed (see the report).`]
      : []),
    ...(noModel.length > 0 ? [`No model at ${noModel.join(', ')}: ${modelWhy}.`] : []),
  ];
}

function measuredNote(summary: readonly SummaryRow[], intervals: readonly IntervalRow[]): string {
  const runs = Math.max(0, ...[...intervalsByKey(intervals).values()].map((i) => i.runs));
  if (runs > 1)
    return (
      `Solid lines, filled points: measured, each run's statistic averaged over ${runs} ` +
      `runs (${writesPerWText(summary)} per run); bars: its 95% interval, cut at the axis.`
    );
  return `Solid lines, filled points: measured (successful writes, ${writesPerWText(summary)}).`;
}

/** Horizontal offset (in W) of each statistic's measured points when they carry error bars, so the bars do not hide each other. */
export const INTERVAL_DODGE_W = 0.05;

/** Vega expression for the x position: W, moved aside per statistic for measured points with intervals. */
function dodgedW(): string {
  const n = LATENCY_STATISTICS.length;
  const offsets = LATENCY_STATISTICS.map(
    (s, i) =>
      `datum.statistic === ${JSON.stringify(s.label)} ? ${((i - (n - 1) / 2) * INTERVAL_DODGE_W).toFixed(3)} : `,
  ).join('');
  return `datum.w + (datum.source === ${JSON.stringify(MEASURED_SOURCE)} ? (${offsets}0) : 0)`;
}

const Y_TITLE = 'Write latency (ms)';

export function quorumVsLatencySpec(
  summary: readonly SummaryRow[],
  intervals: readonly IntervalRow[] = [],
): TopLevelSpec {
  const modes = ackModesIn(summary);
  const points = clipIntervalsToAxis(quorumLatencyPoints(summary, intervals));
  const hasIntervals = points.some((p) => p.ciLowMs !== undefined);
  const encoding = latencyEncoding(summary, modes.length > 1, hasIntervals);
  const layer = latencyLayers(hasIntervals);
  const title = {
    text: 'Write latency vs write quorum W',
    subtitle: [
      measuredNote(summary, intervals),
      "Dashed lines, hollow points: the model, the W-th smallest of the followers' injected delays.",
      ...(modes.length > 1 ? ['One panel per ack mode, on the same scale.'] : []),
      ...gapNotes(summary),
    ],
  };
  const dodge = hasIntervals && { transform: [{ calculate: dodgedW(), as: 'wPlot' }] };
  if (modes.length <= 1)
    return { ...chartBase(), title, width: 620, height: 400, data: { values: points }, ...dodge, encoding, layer };
  return {
    ...chartBase(),
    title,
    data: { values: points },
    ...dodge,
    facet: {
      column: {
        field: 'ackMode',
        type: 'nominal',
        title: null,
        sort: modes,
        header: { labelExpr: `'ack mode "' + (datum.label) + '"'`, labelFontWeight: 'bold' },
      },
    },
    spec: { width: 440, height: 400, encoding, layer },
  };
}

/** W across, latency up, one colour per statistic, and a tooltip naming everything a point stands for. */
function latencyEncoding(
  summary: readonly SummaryRow[],
  severalModes: boolean,
  hasIntervals: boolean,
): LayerSpec<Field>['encoding'] {
  const ws = [...new Set(summary.map((r) => r.w))].sort((a, b) => a - b);
  const minW = ws[0] ?? 1;
  const maxW = ws[ws.length - 1] ?? 1;
  const tooltip = [
    ...(severalModes ? [{ field: 'ackMode', type: 'nominal' as const, title: 'Ack mode' }] : []),
    { field: 'w', type: 'quantitative' as const, title: 'W' },
    { field: 'statistic', type: 'nominal' as const, title: 'Statistic' },
    { field: 'source', type: 'nominal' as const, title: 'Source' },
    { field: 'latencyMs', type: 'quantitative' as const, title: 'Latency (ms)', format: '.1f' },
    ...(hasIntervals
      ? [
          { field: 'ciLowMs', type: 'quantitative' as const, title: '95% interval from', format: '.1f' },
          { field: 'ciHighMs', type: 'quantitative' as const, title: 'to', format: '.1f' },
        ]
      : []),
  ];
  return {
    x: {
      field: hasIntervals ? 'wPlot' : 'w',
      type: 'quantitative',
      title: 'Write quorum W (follower acks the leader waits for)',
      scale: { domain: [minW - 0.2, maxW + 0.2], nice: false, zero: false },
      axis: { values: ws, format: 'd', grid: true },
    },
    y: { field: 'latencyMs', type: 'quantitative', title: Y_TITLE, scale: { zero: true } },
    color: {
      field: 'statistic',
      type: 'nominal',
      title: 'Statistic',
      scale: { domain: LATENCY_STATISTICS.map((s) => s.label), range: LATENCY_STATISTICS.map((s) => s.colour) },
      legend: { orient: 'right' },
    },
    tooltip,
  };
}

/** Lines (solid measured, dashed model), error bars under the measured points, then both kinds of point. */
function latencyLayers(hasIntervals: boolean): LayerSpec<Field>['layer'] {
  const intervalBars: UnitSpec<Field>[] = hasIntervals
    ? [
        {
          transform: [{ filter: 'isValid(datum.ciLowMs) && isValid(datum.ciHighMs)' }],
          mark: { type: 'errorbar', ticks: { size: 9 }, thickness: 1.5 },
          encoding: { y: { field: 'ciLowMs', type: 'quantitative', title: Y_TITLE }, y2: { field: 'ciHighMs' } },
        },
      ]
    : [];
  return [
    {
      mark: { type: 'line', strokeWidth: 2.5 },
      encoding: {
        strokeDash: {
          field: 'source',
          type: 'nominal',
          title: 'Source',
          scale: {
            domain: [...SOURCES],
            range: [
              [1, 0],
              [7, 4],
            ],
          },
          legend: { orient: 'right', symbolStrokeWidth: 2.5, symbolSize: 400 },
        },
        detail: { field: 'source', type: 'nominal' },
      },
    },
    ...intervalBars,
    {
      transform: [{ filter: { field: 'source', equal: MEASURED_SOURCE } }],
      mark: { type: 'point', filled: true, size: 70, opacity: 1 },
    },
    {
      transform: [{ filter: { field: 'source', equal: MODEL_SOURCE } }],
      mark: { type: 'point', filled: false, size: 50, strokeWidth: 1.5, fill: 'white', opacity: 1 },
    },
  ];
}

/** The Vega-Lite parameter behind each statistic's checkbox (`show_mean`, `show_median`, ...). */
export function statisticParamName(key: string): string {
  return `show_${key}`;
}

/**
 * Main chart: one checkbox per statistic (mean, median, p95, p99) under the chart, all on at
 * first; an unchecked statistic's lines and points are filtered out, and the y axis rescales to
 * what is left. Points already carry a tooltip (W, statistic, source, latency).
 */
export function interactiveQuorumVsLatencySpec(spec: TopLevelSpec): TopLevelSpec {
  const out = copySpec(spec);
  out['params'] = LATENCY_STATISTICS.map((s) => ({
    name: statisticParamName(s.key),
    value: true,
    bind: { input: 'checkbox', name: `${s.label} ` },
  }));
  const shown = LATENCY_STATISTICS.map(
    (s) => `(datum.statistic === ${JSON.stringify(s.label)} && ${statisticParamName(s.key)})`,
  ).join(' || ');
  out['transform'] = [...((out['transform'] as unknown[] | undefined) ?? []), { filter: shown }];
  return out as unknown as TopLevelSpec;
}

export const quorumVsLatencyChart: SweepChart = {
  baseName: QUORUM_VS_LATENCY_CHART,
  spec: ({ summary, intervals = [] }) => (summary.length > 0 ? quorumVsLatencySpec(summary, intervals) : null),
  alt: 'Write latency vs write quorum W: measured mean, median, p95, p99 and the model',
  caption:
    'Solid lines are measured, dashed lines are the model, one colour per statistic. ' +
    'The closer each solid line lies on its dashed twin, ' +
    'the less the implementation adds to the injected delays. ' +
    'With repeats, each point is the average over the runs and its bar the 95% interval; with two ack modes, one panel each.',
  hint: 'Hover a point for its value; tick or untick a statistic under the chart to show or hide it.',
  interactive: interactiveQuorumVsLatencySpec,
};
