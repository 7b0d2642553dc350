/**
 * How the comparison is written out: the cells of its table (shared by the console and the
 * markdown), the console's aligned text table, and `compare.csv`. Pure.
 */
import { csvNumber } from '../sweep/report/summary-csv';
import { fmtMs, fmtRatio as fmtFiniteRatio, fmtSignedMs, MISSING } from '../common/format';
import { COMPARED_METRICS, metricLabel, type ComparedMetric, type MetricComparison } from './compare-table';

const isCount = (metric: ComparedMetric) => COMPARED_METRICS.find((m) => m.key === metric)?.unit === 'count';

/** A value in its unit: ms to one decimal, a count as an integer. */
export function fmtValue(value: number | null, metric: ComparedMetric): string {
  if (value === null) return MISSING;
  return isCount(metric) ? String(value) : fmtMs(value);
}

/** A difference with its sign: "+12.3", "−4.0" (a true minus), "+2"; zero has no sign. */
export function fmtDiff(diff: number | null, metric: ComparedMetric): string {
  if (diff === null) return MISSING;
  if (!isCount(metric)) return fmtSignedMs(diff);
  return diff === 0 ? '0' : `${diff > 0 ? '+' : '−'}${Math.abs(diff)}`;
}

/** "×1.23"; "—" when there is no ratio (a run lacks the value, or A is 0). */
export function fmtRatio(ratio: number | null): string {
  return ratio === null ? MISSING : fmtFiniteRatio(ratio);
}

export function comparisonHeader(labelA: string, labelB: string): string[] {
  return ['W', 'metric', `A: ${labelA}`, `B: ${labelB}`, 'B − A', 'B / A'];
}

export function comparisonCells(row: MetricComparison): string[] {
  const unit = isCount(row.metric) ? '' : ' (ms)';
  return [
    String(row.w),
    `${metricLabel(row.metric)}${unit}`,
    fmtValue(row.a, row.metric),
    fmtValue(row.b, row.metric),
    fmtDiff(row.diff, row.metric),
    fmtRatio(row.ratio),
  ];
}

/**
 * A plain-text table for the console: columns padded to their widest cell, numbers right-
 * aligned, the first `leftColumns` left-aligned, and a blank line between groups of W.
 */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[], leftColumns = 2): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (i < leftColumns ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  const body: string[] = [];
  rows.forEach((row, i) => {
    if (i > 0 && row[0] !== rows[i - 1]?.[0]) body.push('');
    body.push(line(row));
  });
  return [line(header), rule, ...body].join('\n');
}

/** The console's table of the comparison, grouped by W. */
export function comparisonText(rows: readonly MetricComparison[], labelA: string, labelB: string): string {
  return textTable(comparisonHeader(labelA, labelB), rows.map(comparisonCells));
}

export const COMPARE_CSV_COLUMNS = ['w', 'metric', 'a', 'b', 'diff', 'ratio'] as const;

/** `compare.csv`: one line per W and metric; a missing value is an empty field. */
export function comparisonCsv(rows: readonly MetricComparison[]): string {
  const num = (value: number | null) => csvNumber(value ?? Number.NaN);
  const lines = [
    COMPARE_CSV_COLUMNS.join(','),
    ...rows.map((r) => [String(r.w), r.metric, num(r.a), num(r.b), num(r.diff), num(r.ratio)].join(',')),
  ];
  return lines.join('\n') + '\n';
}
