/**
 * `ack_modes`, drawn when a sweep measured both ack modes: mean and p99 latency per W, one bar
 * per ack mode side by side, so the price of acking only once applied (ordered apply waits for
 * earlier entries still in flight) reads off directly. The same values as the main chart,
 * with the same 95% intervals when the sweep was repeated. Pure: builds the spec only.
 */
import type { AckMode } from '@quorum-kv/replication-protocol';
import type { TopLevelSpec } from 'vega-lite';
import type { Field } from 'vega-lite/types_unstable/channeldef.js';
import type { UnitSpec } from 'vega-lite/types_unstable/spec/unit.js';
import type { IntervalRow, SummaryRow } from '../records';
import type { SweepChart, WPoint } from './sweep-chart';
import { ACK_MODE_STYLES, ackModesIn, chartBase, wBandAxis } from '../../common/chart-theme';
import { clipIntervalsToAxis, MEASURED_SOURCE, quorumLatencyPoints, writesPerWText } from './quorum-vs-latency-chart';

export const ACK_MODES_CHART = 'ack_modes';

/** The statistics compared, by their label in the main chart. */
export const ACK_MODE_STATISTICS = ['mean', 'p99'] as const;

export interface AckModePoint extends WPoint {
  statistic: (typeof ACK_MODE_STATISTICS)[number];
  latencyMs: number;
  ciLowMs?: number;
  ciHighMs?: number;
}

export function ackModePoints(summary: readonly SummaryRow[], intervals: readonly IntervalRow[] = []): AckModePoint[] {
  const wanted: readonly string[] = ACK_MODE_STATISTICS;
  const points = quorumLatencyPoints(summary, intervals)
    .filter((p) => p.source === MEASURED_SOURCE && wanted.includes(p.statistic))
    .map(({ source: _source, ...p }) => ({ ...p, statistic: p.statistic as AckModePoint['statistic'] }));
  // One panel per statistic, each on its own scale: whiskers are cut at the tallest bar of theirs.
  return clipIntervalsToAxis(points, (p) => p.statistic);
}

/** Whether the chart has something to compare: a measured value in at least two ack modes. */
export function canCompareAckModes(summary: readonly SummaryRow[]): boolean {
  return ackModesIn(summary.filter((r) => Number.isFinite(r.mean))).length > 1;
}

export function ackModesSpec(summary: readonly SummaryRow[], intervals: readonly IntervalRow[] = []): TopLevelSpec {
  const points = ackModePoints(summary, intervals);
  const modes = ackModesIn(summary);
  const ws = [...new Set(summary.map((r) => r.w))].sort((a, b) => a - b);
  const hasIntervals = points.some((p) => p.ciLowMs !== undefined);
  const runs = Math.max(1, ...summary.map((r) => r.runs));
  const valueNote =
    runs > 1 && hasIntervals
      ? `Bars: each run's statistic averaged over ${runs} runs (${writesPerWText(summary)} per run); whiskers: its 95% interval.`
      : `Bars: measured over the successful writes (${writesPerWText(summary)}).`;
  return {
    ...chartBase(),
    title: {
      text: 'Ack mode "received" vs "applied": latency per W',
      subtitle: [
        '"received": a follower acks once the entry is stored in its log.',
        '"applied": it acks once the entry is applied; entries apply in LSN order, so one that arrives',
        'early waits for every earlier entry still delayed in flight (head-of-line blocking).',
        valueNote,
      ],
    },
    data: { values: points },
    facet: {
      column: {
        field: 'statistic',
        type: 'nominal',
        title: null,
        sort: [...ACK_MODE_STATISTICS],
        header: { labelFontWeight: 'bold', labelExpr: `(datum.label) === 'p99' ? 'p99 latency' : 'mean latency'` },
      },
    },
    spec: {
      width: 320,
      height: 300,
      layer: ackModeLayers(ws, modes, hasIntervals),
    },
    resolve: { scale: { y: 'independent' } },
  };
}

/** Per W, one bar per ack mode side by side and, over repeats, each bar's 95% whisker. */
function ackModeLayers(ws: number[], modes: AckMode[], withIntervals: boolean): UnitSpec<Field>[] {
  const x = wBandAxis(ws, 0.3);
  const xOffset = { field: 'ackMode', type: 'nominal', scale: { domain: modes, paddingInner: 0.05 } } as const;
  const yTitle = 'Write latency (ms)';
  const bars: UnitSpec<Field> = {
    mark: { type: 'bar' },
    encoding: {
      x,
      xOffset,
      y: { field: 'latencyMs', type: 'quantitative', title: yTitle, scale: { zero: true } },
      color: {
        field: 'ackMode',
        type: 'nominal',
        title: 'Ack mode',
        scale: { domain: modes, range: modes.map((mode) => ACK_MODE_STYLES[mode].colour) },
        legend: { orient: 'right' },
      },
      tooltip: [
        { field: 'ackMode', type: 'nominal', title: 'Ack mode' },
        { field: 'w', type: 'ordinal', title: 'W' },
        { field: 'statistic', type: 'nominal', title: 'Statistic' },
        { field: 'latencyMs', type: 'quantitative', title: 'Latency (ms)', format: '.1f' },
      ],
    },
  };
  if (!withIntervals) return [bars];
  const whiskers: UnitSpec<Field> = {
    transform: [{ filter: 'isValid(datum.ciLowMs) && isValid(datum.ciHighMs)' }],
    mark: { type: 'errorbar', ticks: { size: 7 }, thickness: 1.5, color: '#333' },
    encoding: {
      x,
      xOffset,
      y: { field: 'ciLowMs', type: 'quantitative', title: yTitle },
      y2: { field: 'ciHighMs' },
    },
  };
  return [bars, whiskers];
}

export const ackModesChart: SweepChart = {
  baseName: ACK_MODES_CHART,
  spec: ({ summary, intervals = [] }) => (canCompareAckModes(summary) ? ackModesSpec(summary, intervals) : null),
  alt: 'Ack mode "received" vs "applied": mean and p99 latency per W, side by side',
  caption:
    'For each W, the "received" bar beside the "applied" one, for the mean (left) ' +
    'and p99 (right). The gap is the price of acking only once applied (see "Received vs applied").',
};
