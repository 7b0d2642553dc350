/**
 * Renders every chart of a sweep into its folder. A chart that cannot be drawn (say, no write
 * reported its delays, so there is no overhead) is skipped, and one that fails is reported and
 * skipped: the data files and the report matter more than any single picture.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ConsistencyRow, IntervalRow, SummaryRow, WriteRecord } from '../records';
import { ackModesSpec, ACK_MODES_CHART, canCompareAckModes } from './ack-modes-chart';
import { consistencySpec, CONSISTENCY_CHART } from './consistency-chart';
import {
  latencyDistributionSpec,
  LATENCY_DISTRIBUTION_CHART,
  overheadDistributionSpec,
  OVERHEAD_DISTRIBUTION_CHART,
} from './latency-distribution-chart';
import { quorumVsLatencySpec, QUORUM_VS_LATENCY_CHART } from './quorum-vs-latency-chart';
import { renderChart, type RenderOptions } from '../../common/render-chart';

export interface ChartData {
  summary: SummaryRow[];
  writes: WriteRecord[];
  consistency: ConsistencyRow[];
  /** Intervals over repeated runs (`intervalRows`); without them, or with one run, no error bars. */
  intervals?: readonly IntervalRow[];
}

export interface PlannedChart {
  baseName: string;
  spec: TopLevelSpec;
}

/** Which charts the data supports, in the order the report shows them. Pure. */
export function planCharts({ summary, writes, consistency, intervals = [] }: ChartData): PlannedChart[] {
  const ok = writes.filter((r) => r.outcome === 'ok');
  const plan: PlannedChart[] = [];
  if (summary.length > 0)
    plan.push({ baseName: QUORUM_VS_LATENCY_CHART, spec: quorumVsLatencySpec(summary, intervals) });
  if (canCompareAckModes(summary)) plan.push({ baseName: ACK_MODES_CHART, spec: ackModesSpec(summary, intervals) });
  if (ok.length > 0) plan.push({ baseName: LATENCY_DISTRIBUTION_CHART, spec: latencyDistributionSpec(writes) });
  if (ok.some((r) => r.overheadMs !== null))
    plan.push({ baseName: OVERHEAD_DISTRIBUTION_CHART, spec: overheadDistributionSpec(writes) });
  if (consistency.length > 0) plan.push({ baseName: CONSISTENCY_CHART, spec: consistencySpec(consistency) });
  return plan;
}

/** Renders each planned chart as SVG and PNG; returns the file names written (relative to outDir). */
export async function renderAllCharts(data: ChartData, outDir: string, options: RenderOptions = {}): Promise<string[]> {
  const onWarning = options.onWarning ?? ((message: string) => console.warn(`[charts] ${message}`));
  const written: string[] = [];
  for (const { baseName, spec } of planCharts(data)) {
    try {
      written.push(...(await renderChart(spec, outDir, baseName, { ...options, onWarning })));
    } catch (error) {
      onWarning(`${baseName}: not rendered: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return written;
}
