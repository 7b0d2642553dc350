/**
 * What every chart of the bench shares: the font (the only one installed is DejaVu, and resvg
 * drops text set in a font it cannot find), a white background (PNGs are read in dark-mode
 * viewers too), and one colour per latency statistic so a metric looks the same everywhere.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { AckMode } from '../sweep/records';

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

/** Ack modes in the order charts and tables show them, each with a colour (Tableau 10, unused by the statistics). */
export const ACK_MODES = [
  { key: 'received', label: 'received', colour: '#72b7b2', meaning: "acked once stored in the follower's log" },
  {
    key: 'applied',
    label: 'applied',
    colour: '#b279a2',
    meaning: 'acked once applied, in LSN order, and visible to reads',
  },
] as const satisfies ReadonlyArray<{ key: AckMode; label: string; colour: string; meaning: string }>;

/** The ack modes present in some rows, in ACK_MODES order. */
export function ackModesIn(rows: ReadonlyArray<{ ackMode: AckMode }>): AckMode[] {
  const present = new Set(rows.map((r) => r.ackMode));
  return ACK_MODES.map((m) => m.key).filter((key) => present.has(key));
}

/** Sort comparator putting ack modes in ACK_MODES order. */
export function byAckMode(a: { ackMode: AckMode }, b: { ackMode: AckMode }): number {
  const rank = (mode: AckMode) => ACK_MODES.findIndex((m) => m.key === mode);
  return rank(a.ackMode) - rank(b.ackMode);
}

/** Spec fields every chart sets: schema, background, padding and the shared config. */
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
