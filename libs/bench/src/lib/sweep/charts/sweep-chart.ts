/**
 * What a chart of the sweep is: one definition per file (`*-chart.ts`), registered once in
 * `sweep-charts.ts`. The definition holds everything about the chart: the spec it draws from a
 * run's data (pure), the alt text and caption report.md shows under its PNG, and for report.html
 * a hint and a decorator that adds tooltips and toggles to a copy of the spec.
 */
import type { AckMode } from '@quorum-kv/replication-protocol';
import type { TopLevelSpec } from 'vega-lite';
import type { FloorComparison } from '../../floor/floor-comparison';
import type { ConsistencyRow, IntervalRow, SummaryRow, WriteRecord } from '../records';

export interface ChartData {
  summary: SummaryRow[];
  writes: WriteRecord[];
  consistency: ConsistencyRow[];
  /** Intervals over repeated runs (`intervalRows`); without them, or with one run, no error bars. */
  intervals?: readonly IntervalRow[];
  /** The bare relay floor measured in the same run (`--floor`); the overhead chart marks its p50 and p99. */
  floor?: FloorComparison;
}

/** Where a point of a sweep chart sits: one W of one ack mode. */
export interface WPoint {
  w: number;
  ackMode: AckMode;
}

export interface SweepChart {
  /** The file name without extension (`<baseName>.png`, `.svg`), and the chart's id in report.html. */
  baseName: string;
  /** The chart of this run's data, or null when the data cannot show it (say, no write succeeded). Pure. */
  spec(data: ChartData): TopLevelSpec | null;
  /** report.md: the image's alt text and the caption under it. */
  alt: string;
  caption: string;
  /** report.html: how to use the interactive chart. */
  hint?: string;
  /** report.html: the spec decorated for a browser, from a copy; absent: shown as the PNG has it. */
  interactive?(spec: TopLevelSpec): TopLevelSpec;
}

/** A spec as plain JSON: the decorators add Vega-Lite fields without walking its union types. */
export type JsonObject = Record<string, unknown>;

/** A deep copy to decorate: the PNG's spec is never modified. */
export function copySpec(spec: TopLevelSpec): JsonObject {
  return structuredClone(spec) as unknown as JsonObject;
}

export function objectAt(parent: JsonObject, key: string): JsonObject {
  const value = parent[key];
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`chart spec has no object at "${key}"`);
  return value as JsonObject;
}

export function layersOf(spec: JsonObject): JsonObject[] {
  const layer = spec['layer'];
  if (!Array.isArray(layer) || layer.length === 0) throw new Error('chart spec has no layers');
  return layer as JsonObject[];
}
