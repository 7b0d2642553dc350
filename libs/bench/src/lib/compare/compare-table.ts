/**
 * The comparison itself: per W and metric, the value in run A, in run B, the difference B − A
 * and the ratio B / A; and which settings of the two runs differ. Pure.
 */
import type { SummaryRow } from '../sweep/records';
import type { RunConfig } from './run-input';

/** The compared metrics in table order; latencies in ms, errors a count. */
export const COMPARED_METRICS = [
  { key: 'mean', label: 'mean', unit: 'ms' },
  { key: 'median', label: 'median', unit: 'ms' },
  { key: 'p95', label: 'p95', unit: 'ms' },
  { key: 'p99', label: 'p99', unit: 'ms' },
  { key: 'overheadP50', label: 'overhead p50', unit: 'ms' },
  { key: 'overheadP99', label: 'overhead p99', unit: 'ms' },
  { key: 'errors', label: 'errors', unit: 'count' },
] as const satisfies ReadonlyArray<{ key: keyof SummaryRow; label: string; unit: string }>;

export type ComparedMetric = (typeof COMPARED_METRICS)[number]['key'];

/** One line of the comparison. A value is null when its run has no such W or no number for it. */
export interface MetricComparison {
  w: number;
  metric: ComparedMetric;
  a: number | null;
  b: number | null;
  /** b − a, when both are numbers. */
  diff: number | null;
  /** b / a, when both are numbers and a is not 0. */
  ratio: number | null;
}

/** One setting that differs between the runs; undefined when a run's config lacks it. */
export interface ConfigDifference {
  field: string;
  a: unknown;
  b: unknown;
}

const finiteOrNull = (value: number | undefined): number | null =>
  value !== undefined && Number.isFinite(value) ? value : null;

export function metricLabel(metric: ComparedMetric): string {
  return COMPARED_METRICS.find((m) => m.key === metric)?.label ?? metric;
}

/** Every W of either run, ascending, and for each the compared metrics in COMPARED_METRICS order. */
export function compareSummaries(a: readonly SummaryRow[], b: readonly SummaryRow[]): MetricComparison[] {
  const ws = [...new Set([...a, ...b].map((r) => r.w))].sort((x, y) => x - y);
  return ws.flatMap((w) => {
    const rowA = a.find((r) => r.w === w);
    const rowB = b.find((r) => r.w === w);
    return COMPARED_METRICS.map(({ key }) => {
      const valueA = finiteOrNull(rowA?.[key]);
      const valueB = finiteOrNull(rowB?.[key]);
      const both = valueA !== null && valueB !== null;
      return {
        w,
        metric: key,
        a: valueA,
        b: valueB,
        diff: both ? valueB - valueA : null,
        ratio: both && valueA !== 0 ? valueB / valueA : null,
      };
    });
  });
}

/** The fields of a sweep's config in the order the report shows them; `out` is where, not what. */
const CONFIG_ORDER = [
  'runtime',
  'leaderUrl',
  'followers',
  'quorums',
  'writes',
  'concurrency',
  'rate',
  'keys',
  'scenario',
  'delay',
  'downFollowers',
  'replicationTimeoutMs',
  'ackMode',
  'repeat',
  'seed',
  'warmupWrites',
  'warmupConcurrency',
  'warmupSeconds',
];
const IGNORED_CONFIG_FIELDS = new Set(['out']);

/** The settings whose values differ, known fields first, then any others by name. */
export function configDifferences(a: RunConfig, b: RunConfig): ConfigDifference[] {
  const recordA = a as Record<string, unknown>;
  const recordB = b as Record<string, unknown>;
  const extra = [...new Set([...Object.keys(a), ...Object.keys(b)])].filter((f) => !CONFIG_ORDER.includes(f)).sort();
  return [...CONFIG_ORDER, ...extra]
    .filter((field) => !IGNORED_CONFIG_FIELDS.has(field))
    .filter((field) => JSON.stringify(recordA[field]) !== JSON.stringify(recordB[field]))
    .map((field) => ({ field, a: recordA[field], b: recordB[field] }));
}

/** A config value as people read it: lists comma-separated, a missing value as "(not set)". */
export function configValueText(value: unknown): string {
  if (value === undefined) return '(not set)';
  if (value === null || (Array.isArray(value) && value.length === 0)) return '(none)';
  if (Array.isArray(value)) return value.map(String).join(',');
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

/** "ackMode: received → applied; writes: 20 → 100", or that nothing differs. */
export function configDifferencesText(differences: readonly ConfigDifference[]): string {
  if (differences.length === 0)
    return 'none (the same settings; any difference comes from the code, the machine or chance)';
  return differences.map((d) => `${d.field}: ${configValueText(d.a)} → ${configValueText(d.b)}`).join('; ');
}

/** Labels bounded so tables and legends stay readable. */
export const MAX_LABEL_LENGTH = 40;

/**
 * Default names of the runs when no --label-a/--label-b is given: the values of the settings
 * that differ (what the comparison is about, e.g. "ackMode=received" vs "ackMode=applied"),
 * else the folders' names, else plain "A" and "B".
 */
export function defaultLabels(dirA: string, dirB: string, differences: readonly ConfigDifference[]): [string, string] {
  // A setting only one run has (added to the bench later) says nothing about the run.
  const shown = differences
    .filter((d) => d.field !== 'leaderUrl' && d.a !== undefined && d.b !== undefined)
    .slice(0, 2);
  const describe = (side: 'a' | 'b') => shown.map((d) => `${d.field}=${configValueText(d[side])}`).join(', ');
  const candidates: Array<[string, string]> = [];
  if (shown.length > 0) candidates.push([describe('a'), describe('b')]);
  candidates.push([baseName(dirA), baseName(dirB)]);
  const fits = candidates.find(
    ([x, y]) => x !== '' && y !== '' && x !== y && x.length <= MAX_LABEL_LENGTH && y.length <= MAX_LABEL_LENGTH,
  );
  return fits ?? ['A', 'B'];
}

function baseName(dir: string): string {
  const parts = dir.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
  return parts[parts.length - 1] ?? '';
}

/** How the runs are named in sentences, titles and headings, e.g. "B (ackMode=applied)"; plain "B" when that is the label. */
export interface RunNames {
  a: string;
  b: string;
}

export function runNames(labelA: string, labelB: string): RunNames {
  return { a: labelA === 'A' ? 'A' : `A (${labelA})`, b: labelB === 'B' ? 'B' : `B (${labelB})` };
}
