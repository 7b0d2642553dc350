/**
 * Two validated runs in, everything the comparison shows out: the names of the runs, the
 * settings that differ, the table, the findings, the chart's spec and `compare.json`. Pure;
 * `run-compare.ts` reads the folders and writes the results.
 */
import type { AckMode } from '@quorum-kv/replication-protocol';
import type { TopLevelSpec } from 'vega-lite';
import { compareFindings } from './compare-findings';
import { compareLatencySpec } from './compare-chart';
import {
  COMPARED_METRICS,
  compareSummaries,
  configDifferences,
  configDifferencesText,
  defaultLabels,
  runNames,
  type ConfigDifference,
  type MetricComparison,
} from './compare-table';
import type { RunConfig, RunData } from './run-input';

export interface ComparisonLabels {
  labelA?: string;
  labelB?: string;
}

export interface Comparison {
  labelA: string;
  labelB: string;
  runA: RunData;
  runB: RunData;
  differences: ConfigDifference[];
  table: MetricComparison[];
  findings: string[];
  chartSpec: TopLevelSpec;
}

export function buildComparison(runA: RunData, runB: RunData, labels: ComparisonLabels = {}): Comparison {
  const differences = configDifferences(runA.config, runB.config);
  const [defaultA, defaultB] = defaultLabels(runA.dir, runB.dir, differences);
  const labelA = labels.labelA ?? defaultA;
  const labelB = labels.labelB ?? defaultB;
  const table = compareSummaries(runA.summary, runB.summary);
  const findings = compareFindings({
    table,
    differences,
    names: runNames(labelA, labelB),
    summaryA: runA.summary,
    summaryB: runB.summary,
    consistencyA: runA.consistency,
    consistencyB: runB.consistency,
  });
  const chartSpec = compareLatencySpec({
    summaryA: runA.summary,
    summaryB: runB.summary,
    labelA,
    labelB,
    notes: [`Settings that differ: ${configDifferencesText(differences)}.`],
  });
  return { labelA, labelB, runA, runB, differences, table, findings, chartSpec };
}

interface RunJson {
  label: string;
  dir: string;
  ackMode: AckMode;
  config: RunConfig;
}

/** The content of `compare.json`; a missing value is null (JSON has no undefined or NaN). */
export interface ComparisonJson {
  a: RunJson;
  b: RunJson;
  configDifferences: Array<{ field: string; a: unknown; b: unknown }>;
  metrics: typeof COMPARED_METRICS;
  rows: MetricComparison[];
  findings: string[];
}

export function comparisonJson(comparison: Comparison): ComparisonJson {
  const { runA, runB } = comparison;
  return {
    a: { label: comparison.labelA, dir: runA.dir, ackMode: runA.ackMode, config: runA.config },
    b: { label: comparison.labelB, dir: runB.dir, ackMode: runB.ackMode, config: runB.config },
    configDifferences: comparison.differences.map((d) => ({ field: d.field, a: d.a ?? null, b: d.b ?? null })),
    metrics: COMPARED_METRICS,
    rows: comparison.table,
    findings: comparison.findings,
  };
}
