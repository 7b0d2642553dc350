/**
 * The charts of `report.html`: the same specs the PNGs are rendered from (`planCharts`), each
 * decorated for a browser by its chart's own `interactive` (tooltips, toggles, a legend click
 * that picks out one W). The originals are never modified, so the PNG and SVG files stay exactly
 * as they were. Pure: builds specs only.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ChartData } from '../../charts/sweep-chart';
import { planCharts } from '../../charts/sweep-charts';

export interface InteractiveChart {
  baseName: string;
  spec: TopLevelSpec;
  /** Whether tooltips and toggles were added (false: the spec as the PNG has it). */
  interactive: boolean;
}

/**
 * The charts the data supports, in report order, each decorated for the browser. A chart whose
 * spec no longer has the shape its decorator expects is shown as it is (`interactive: false`):
 * a plain chart beats no report; the unit tests catch the drift.
 */
export function interactiveCharts(data: ChartData): InteractiveChart[] {
  return planCharts(data).map(({ chart, baseName, spec }) => {
    if (chart.interactive === undefined) return { baseName, spec, interactive: false };
    try {
      return { baseName, spec: chart.interactive(spec), interactive: true };
    } catch {
      return { baseName, spec, interactive: false };
    }
  });
}
