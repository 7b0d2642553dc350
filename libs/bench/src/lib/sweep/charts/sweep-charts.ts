/**
 * The one registry of the sweep's charts, in the order the reports show them. A new chart is a
 * `*-chart.ts` file exporting a `SweepChart`, plus one entry here.
 */
import type { TopLevelSpec } from 'vega-lite';
import { ackModesChart } from './ack-modes-chart';
import { consistencyChart } from './consistency-chart';
import { latencyDistributionChart, overheadDistributionChart } from './latency-distribution-chart';
import { quorumVsLatencyChart } from './quorum-vs-latency-chart';
import type { ChartData, SweepChart } from './sweep-chart';

export const SWEEP_CHARTS: readonly SweepChart[] = [
  quorumVsLatencyChart,
  ackModesChart,
  latencyDistributionChart,
  overheadDistributionChart,
  consistencyChart,
];

export function chartNamed(baseName: string): SweepChart | undefined {
  return SWEEP_CHARTS.find((chart) => chart.baseName === baseName);
}

export interface PlannedChart {
  chart: SweepChart;
  baseName: string;
  spec: TopLevelSpec;
}

/** Which charts the data supports, in the order the report shows them. Pure. */
export function planCharts(data: ChartData): PlannedChart[] {
  return SWEEP_CHARTS.flatMap((chart) => {
    const spec = chart.spec(data);
    return spec === null ? [] : [{ chart, baseName: chart.baseName, spec }];
  });
}
