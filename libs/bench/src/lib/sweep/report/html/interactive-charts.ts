/**
 * The charts of `report.html`: the same specs the PNGs are rendered from (`planCharts`), copied
 * and decorated for a browser with tooltips, checkboxes that show or hide each latency
 * statistic, and a legend click that picks out one W. The originals are never modified, so
 * the PNG and SVG files stay exactly as they were. Pure: builds specs only.
 */
import type { TopLevelSpec } from 'vega-lite';
import { LATENCY_STATISTICS } from '../../../common/chart-theme';
import { CONSISTENCY_CHART } from '../../charts/consistency-chart';
import { LATENCY_DISTRIBUTION_CHART, OVERHEAD_DISTRIBUTION_CHART } from '../../charts/latency-distribution-chart';
import { QUORUM_VS_LATENCY_CHART } from '../../charts/quorum-vs-latency-chart';
import { planCharts, type ChartData } from '../../charts/render-charts';

/** A spec as plain JSON: the decorators add Vega-Lite fields without walking its union types. */
type JsonObject = Record<string, unknown>;

export interface InteractiveChart {
  baseName: string;
  spec: TopLevelSpec;
  /** Whether tooltips and toggles were added (false: the spec as the PNG has it). */
  interactive: boolean;
}

/** The Vega-Lite parameter behind each statistic's checkbox (`show_mean`, `show_median`, ...). */
export function statisticParamName(key: string): string {
  return `show_${key}`;
}

/** Name of the legend-bound selection that picks out one W in the distribution charts. */
export const PICK_W_PARAM = 'pick_w';

function copy(spec: TopLevelSpec): JsonObject {
  return structuredClone(spec) as unknown as JsonObject;
}

function objectAt(parent: JsonObject, key: string): JsonObject {
  const value = parent[key];
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new Error(`chart spec has no object at "${key}"`);
  return value as JsonObject;
}

function layersOf(spec: JsonObject): JsonObject[] {
  const layer = spec['layer'];
  if (!Array.isArray(layer) || layer.length === 0) throw new Error('chart spec has no layers');
  return layer as JsonObject[];
}

/**
 * Main chart: one checkbox per statistic (mean, median, p95, p99) under the chart, all on at
 * first; an unchecked statistic's lines and points are filtered out, and the y axis rescales to
 * what is left. Points already carry a tooltip (W, statistic, source, latency).
 */
export function interactiveQuorumVsLatencySpec(spec: TopLevelSpec): TopLevelSpec {
  const out = copy(spec);
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

const distributionTooltip = [
  { field: 'w', type: 'nominal', title: 'Quorum' },
  { field: 'series', type: 'nominal', title: 'Curve' },
  { field: 'valueMs', type: 'quantitative', title: 'ms', format: '.2f' },
  { field: 'fraction', type: 'quantitative', title: 'Fraction of writes ≤ ms', format: '.1%' },
];

/**
 * Adds small points with tooltips to an ECDF line layer, and a legend click that highlights
 * one W (shift-click for more, double-click the chart to show all again).
 */
function decorateEcdfUnit(unit: JsonObject, hasSeries: boolean): void {
  const mark = objectAt(unit, 'mark');
  unit['mark'] = { ...mark, point: { filled: true, size: 14 } };
  const encoding = objectAt(unit, 'encoding');
  encoding['tooltip'] = hasSeries ? distributionTooltip : distributionTooltip.filter((t) => t.field !== 'series');
  encoding['opacity'] = { condition: { param: PICK_W_PARAM, value: 1 }, value: 0.15 };
  // With points on the line the legend would draw the curve kinds as circles: keep them strokes.
  const strokeDash = encoding['strokeDash'];
  if (typeof strokeDash === 'object' && strokeDash !== null) {
    const legend = (strokeDash as JsonObject)['legend'];
    (strokeDash as JsonObject)['legend'] = {
      ...(typeof legend === 'object' && legend !== null ? legend : {}),
      symbolType: 'stroke',
      symbolStrokeWidth: 2,
    };
  }
  unit['params'] = [
    ...((unit['params'] as unknown[] | undefined) ?? []),
    { name: PICK_W_PARAM, select: { type: 'point', fields: ['w'] }, bind: 'legend' },
  ];
}

export function interactiveLatencyDistributionSpec(spec: TopLevelSpec): TopLevelSpec {
  const out = copy(spec);
  decorateEcdfUnit(out, true);
  return out as unknown as TopLevelSpec;
}

export function interactiveOverheadDistributionSpec(spec: TopLevelSpec): TopLevelSpec {
  const out = copy(spec);
  const [curves] = layersOf(out);
  decorateEcdfUnit(curves as JsonObject, false);
  return out as unknown as TopLevelSpec;
}

/** Consistency bars: a tooltip naming W, follower, measure, moment and value. */
export function interactiveConsistencySpec(spec: TopLevelSpec): TopLevelSpec {
  const out = copy(spec);
  const [bars] = layersOf(objectAt(out, 'spec'));
  objectAt(bars as JsonObject, 'encoding')['tooltip'] = [
    { field: 'w', type: 'ordinal', title: 'W' },
    { field: 'follower', type: 'nominal', title: 'Follower' },
    { field: 'measure', type: 'nominal', title: 'Measure' },
    { field: 'moment', type: 'nominal', title: 'When' },
    { field: 'value', type: 'quantitative', title: 'Value' },
  ];
  return out as unknown as TopLevelSpec;
}

const DECORATORS: Record<string, (spec: TopLevelSpec) => TopLevelSpec> = {
  [QUORUM_VS_LATENCY_CHART]: interactiveQuorumVsLatencySpec,
  [LATENCY_DISTRIBUTION_CHART]: interactiveLatencyDistributionSpec,
  [OVERHEAD_DISTRIBUTION_CHART]: interactiveOverheadDistributionSpec,
  [CONSISTENCY_CHART]: interactiveConsistencySpec,
};

/**
 * The charts the data supports, in report order, each decorated for the browser. A chart whose
 * spec no longer has the shape its decorator expects is shown as it is (`interactive: false`):
 * a plain chart beats no report; the unit tests catch the drift.
 */
export function interactiveCharts(data: ChartData): InteractiveChart[] {
  return planCharts(data).map(({ baseName, spec }) => {
    const decorate = DECORATORS[baseName];
    if (decorate === undefined) return { baseName, spec, interactive: false };
    try {
      return { baseName, spec: decorate(spec), interactive: true };
    } catch {
      return { baseName, spec, interactive: false };
    }
  });
}
