/**
 * What every chart of the bench shares: the font (the only one installed is DejaVu, and resvg
 * drops text set in a font it cannot find), a white background (PNGs are read in dark-mode
 * viewers too), and one colour per latency statistic so a metric looks the same everywhere.
 */
import { ACK_MODES, type AckMode } from '@quorum-kv/replication-protocol';
import type { TopLevelSpec } from 'vega-lite';

export const CHART_FONT = 'DejaVu Sans';
export const CHART_BACKGROUND = 'white';

/** The latency statistics in legend order, with their labels and colours (Tableau 10). */
export const LATENCY_STATISTICS = [
  { key: 'mean', label: 'mean', colour: '#4c78a8' },
  { key: 'median', label: 'median (p50)', colour: '#54a24b' },
  { key: 'p95', label: 'p95', colour: '#f58518' },
  { key: 'p99', label: 'p99', colour: '#e45756' },
] as const;

export type LatencyStatistic = (typeof LATENCY_STATISTICS)[number]['key'];

/** How each ack mode looks in charts and tables: a colour (Tableau 10, unused by the statistics) and its meaning. */
export const ACK_MODE_STYLES: Readonly<Record<AckMode, { label: string; colour: string; meaning: string }>> = {
  received: { label: 'received', colour: '#72b7b2', meaning: "acked once stored in the follower's log" },
  flushed: {
    label: 'flushed',
    colour: '#9d755d',
    meaning: "acked once an fsync covers the entry in the follower's DATA_DIR (as received without one)",
  },
  applied: { label: 'applied', colour: '#b279a2', meaning: 'acked once applied, in LSN order, and visible to reads' },
};

/** The ack modes present in some rows, in the core's ACK_MODES order. */
export function ackModesIn(rows: ReadonlyArray<{ ackMode: AckMode }>): AckMode[] {
  const present = new Set(rows.map((r) => r.ackMode));
  return ACK_MODES.filter((mode) => present.has(mode));
}

/** Sort comparator putting ack modes in the core's ACK_MODES order. */
export function byAckMode(a: { ackMode: AckMode }, b: { ackMode: AckMode }): number {
  return ACK_MODES.indexOf(a.ackMode) - ACK_MODES.indexOf(b.ackMode);
}

/** Spec fields every chart sets: schema, background, padding and the shared config. */
/**
 * The x encoding of a chart with one band of bars per W (the `w` field), in the order of `ws`:
 * titled as every W axis of the bench, labels upright.
 */
export function wBandAxis(ws: readonly number[], paddingInner: number) {
  return {
    field: 'w',
    type: 'ordinal' as const,
    title: 'Write quorum W',
    scale: { domain: [...ws], paddingInner },
    axis: { labelAngle: 0 },
  };
}

export function chartBase(): Pick<TopLevelSpec, '$schema' | 'background' | 'padding' | 'config'> {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    background: CHART_BACKGROUND,
    padding: 12,
    config: {
      font: CHART_FONT,
      title: { fontSize: 16, subtitleFontSize: 12, subtitleColor: '#555', anchor: 'start', offset: 12 },
      axis: { labelFontSize: 12, titleFontSize: 13, gridColor: '#e6e6e6' },
      legend: { labelFontSize: 12, titleFontSize: 12, labelLimit: 320 },
      header: { labelFontSize: 13, titleFontSize: 13 },
      view: { stroke: '#cccccc' },
    },
  };
}

/** Vega-Lite data values must be JSON: a NaN or infinite number becomes null, which Vega skips. */
export function finiteOrNull(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}
