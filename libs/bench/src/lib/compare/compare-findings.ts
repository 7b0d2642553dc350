/**
 * The comparison's findings: plain sentences computed from the table, the two configs and,
 * when both folders have them, the consistency checks. Pure, one finding per function, so
 * tests can check the numbers a reader will see.
 */
import type { ConsistencyRow, SummaryRow } from '../sweep/records';
import { joinWords, plural } from '../common/format';
import {
  configValueText,
  type ComparedMetric,
  type ConfigDifference,
  type MetricComparison,
  type RunNames,
} from './compare-table';
import { fmtDiff, fmtRatio } from './compare-format';

/**
 * A difference within max(0.5 ms, 2% of A) counts as "about the same": below that, the
 * timer's resolution and scheduling noise decide the sign, not the code.
 */
export const SAME_WITHIN = { ms: 0.5, fraction: 0.02 } as const;

/** Fewer writes per W than this and p95/p99 rest on a couple of writes each. */
export const FEW_WRITES_PER_W = 200;

const SENTENCE_LABEL: Partial<Record<ComparedMetric, string>> = {
  mean: 'Mean latency',
  median: 'Median latency',
  p95: 'p95 latency',
  p99: 'p99 latency',
  overheadP50: "Overhead p50 (latency minus each write's ideal)",
  overheadP99: 'Overhead p99',
};

type Direction = 'higher' | 'lower' | 'same';

export function direction(row: MetricComparison): Direction {
  const diff = row.diff ?? 0;
  const tolerance = Math.max(SAME_WITHIN.ms, SAME_WITHIN.fraction * Math.abs(row.a ?? 0));
  if (Math.abs(diff) <= tolerance) return 'same';
  return diff > 0 ? 'higher' : 'lower';
}

const gap = (r: MetricComparison) => `${fmtDiff(r.diff, r.metric)} ms (${fmtRatio(r.ratio)}) at W=${r.w}`;
const byAbsDiff = (rows: readonly MetricComparison[]) =>
  [...rows].sort((x, y) => Math.abs(x.diff ?? 0) - Math.abs(y.diff ?? 0));
const wList = (rows: readonly MetricComparison[]) => joinWords(rows.map((r) => `W=${r.w}`));

/** "+8.1 ms (×1.15) at W=3 to +23.0 ms (×1.68) at W=1": the smallest and the largest gap. */
function gapRange(rows: readonly MetricComparison[]): string {
  const sorted = byAbsDiff(rows);
  const smallest = sorted[0] as MetricComparison;
  const largest = sorted[sorted.length - 1] as MetricComparison;
  return smallest === largest ? gap(largest) : `${gap(smallest)} to ${gap(largest)}`;
}

/** The geometric mean of the ratios: "on average B is ×R of A" across W. */
export function geometricMeanRatio(rows: readonly MetricComparison[]): number | null {
  const ratios = rows.map((r) => r.ratio).filter((r): r is number => r !== null && r > 0);
  if (ratios.length === 0) return null;
  return Math.exp(ratios.reduce((sum, r) => sum + Math.log(r), 0) / ratios.length);
}

/** Whether B is slower or faster than A for one latency metric, at every W or only at some. */
export function metricFinding(table: readonly MetricComparison[], metric: ComparedMetric, names: RunNames): string {
  const label = SENTENCE_LABEL[metric] ?? metric;
  const rows = table.filter((r) => r.metric === metric && r.diff !== null);
  if (rows.length === 0) return `${label}: not comparable (no W has a value in both runs).`;
  const higher = rows.filter((r) => direction(r) === 'higher');
  const lower = rows.filter((r) => direction(r) === 'lower');
  const same = rows.filter((r) => direction(r) === 'same');
  const every = rows.length === 1 ? `at W=${(rows[0] as MetricComparison).w}` : 'at every W';
  const average = rows.length > 1 && metric === 'mean' ? averageClause(rows) : '';
  // An overhead is higher or lower; a latency makes a run slower or faster.
  const [up, down] = metric.startsWith('overhead') ? ['higher', 'lower'] : ['slower', 'faster'];
  if (higher.length === rows.length)
    return `${label}: ${names.b} is ${up} than ${names.a} ${every}, by ${gapRange(rows)}.${average}`;
  if (lower.length === rows.length)
    return `${label}: ${names.b} is ${down} than ${names.a} ${every}, by ${gapRange(rows)}.${average}`;
  if (same.length === rows.length) {
    const largest = byAbsDiff(rows)[rows.length - 1] as MetricComparison;
    return (
      `${label}: ${names.a} and ${names.b} are about the same ${every} ` +
      `(within ${SAME_WITHIN.ms} ms or ${SAME_WITHIN.fraction * 100}%; largest difference ${gap(largest)}).`
    );
  }
  const parts = [
    ...(higher.length > 0
      ? [`${up} at ${wList(higher)} (up to ${gap(byAbsDiff(higher)[higher.length - 1] as MetricComparison)})`]
      : []),
    ...(lower.length > 0
      ? [`${down} at ${wList(lower)} (up to ${gap(byAbsDiff(lower)[lower.length - 1] as MetricComparison)})`]
      : []),
    ...(same.length > 0 ? [`about the same at ${wList(same)}`] : []),
  ];
  return `${label}: no consistent winner between ${names.a} and ${names.b}: B is ${joinWords(parts)}.${average}`;
}

function averageClause(rows: readonly MetricComparison[]): string {
  const mean = geometricMeanRatio(rows);
  return mean === null ? '' : ` Across W, the mean in B is ${fmtRatio(mean)} that in A (geometric mean of the ratios).`;
}

/** What the comparison is about: the settings that differ, or that none do. */
export function configFinding(differences: readonly ConfigDifference[], names: RunNames): string {
  if (differences.length === 0) {
    return 'Both runs used the same settings (apart from the output folder), so any difference below comes from the code, the machine or chance.';
  }
  const each = differences.map((d) => `${d.field} (${configValueText(d.a)} in A, ${configValueText(d.b)} in B)`);
  if (differences.length === 1)
    return `The runs differ in one setting, ${each[0]}: that is what ${names.b} vs ${names.a} measures.`;
  return `The runs differ in ${differences.length} settings: ${joinWords(each)}. A difference below may come from any of them.`;
}

/** Failed and timed-out writes in each run. */
export function errorsFinding(summaryA: readonly SummaryRow[], summaryB: readonly SummaryRow[]): string {
  const total = (rows: readonly SummaryRow[], key: 'count' | 'errors') => rows.reduce((n, r) => n + r[key], 0);
  const where = (rows: readonly SummaryRow[]) =>
    joinWords(rows.filter((r) => r.errors > 0).map((r) => `${r.errors} at W=${r.w}`));
  const errorsA = total(summaryA, 'errors');
  const errorsB = total(summaryB, 'errors');
  const writes = `A: ${total(summaryA, 'count')} writes, B: ${total(summaryB, 'count')}`;
  if (errorsA === 0 && errorsB === 0) return `No write failed or timed out in either run (${writes}).`;
  const side = (name: string, errors: number, rows: readonly SummaryRow[]) =>
    errors === 0 ? `none in ${name}` : `${errors} in ${name} (${where(rows)})`;
  return (
    `Failed or timed-out writes: ${side('A', errorsA, summaryA)}, ` +
    `${side('B', errorsB, summaryB)}; latency statistics cover successful writes only (${writes}).`
  );
}

/** The W measured in one run only (not compared), or null when both measured the same W. */
export function coverageFinding(summaryA: readonly SummaryRow[], summaryB: readonly SummaryRow[]): string | null {
  const only = (rows: readonly SummaryRow[], other: readonly SummaryRow[]) =>
    rows.filter((r) => !other.some((o) => o.w === r.w)).map((r) => `W=${r.w}`);
  const onlyA = only(summaryA, summaryB);
  const onlyB = only(summaryB, summaryA);
  if (onlyA.length === 0 && onlyB.length === 0) return null;
  const parts = [
    ...(onlyA.length > 0 ? [`${joinWords(onlyA)} only in A`] : []),
    ...(onlyB.length > 0 ? [`${joinWords(onlyB)} only in B`] : []),
  ];
  return `Not every W was measured in both runs (${parts.join('; ')}); those rows have no difference.`;
}

/** A warning that p95/p99 rest on a few writes when the runs are small, or null. */
export function sampleSizeFinding(summaryA: readonly SummaryRow[], summaryB: readonly SummaryRow[]): string | null {
  const counts = [...summaryA, ...summaryB].map((r) => r.count - r.errors);
  const fewest = Math.min(...counts);
  if (!(fewest < FEW_WRITES_PER_W)) return null;
  const slowest = (fraction: number) => Math.max(1, Math.ceil(fewest * fraction));
  const writes = (n: number) => (n === 1 ? 'the slowest write' : `the slowest ${n} writes`);
  const rests =
    slowest(0.01) === slowest(0.05)
      ? `the p95 and p99 both rest on ${writes(slowest(0.01))}`
      : `the p99 rests on ${writes(slowest(0.01))} and the p95 on ${writes(slowest(0.05))}`;
  return (
    `With as few as ${plural(fewest, 'successful write')} per W, ${rests}, ` +
    `so their differences are noisy; trust the mean and median first, or rerun with more --writes.`
  );
}

function mostBehind(rows: readonly ConsistencyRow[]): { entries: number; w: number } | null {
  let most: { entries: number; w: number } | null = null;
  for (const r of rows)
    if (Number.isFinite(r.lsnBehindAtLastAck) && (most === null || r.lsnBehindAtLastAck > most.entries))
      most = { entries: r.lsnBehindAtLastAck, w: r.w };
  return most;
}

function unconvergedWs(rows: readonly ConsistencyRow[]): number[] {
  return [
    ...new Set(rows.filter((r) => !(r.lsnBehindAfterDrain === 0 && r.differingKeysAfterDrain === 0)).map((r) => r.w)),
  ].sort((x, y) => x - y);
}

/** Follower lag right after the last ack, and convergence after draining, in each run; null without both files. */
export function consistencyFinding(
  consistencyA: readonly ConsistencyRow[] | null,
  consistencyB: readonly ConsistencyRow[] | null,
): string | null {
  if (consistencyA === null || consistencyB === null || consistencyA.length === 0 || consistencyB.length === 0)
    return null;
  const lag = (rows: readonly ConsistencyRow[]) => {
    const most = mostBehind(rows);
    return most === null || most.entries === 0
      ? 'no follower behind'
      : `up to ${plural(most.entries, 'entry', 'entries')} behind (at W=${most.w})`;
  };
  const sentences = [`Right after the last ack of each W, A had ${lag(consistencyA)} and B had ${lag(consistencyB)}.`];
  const badA = unconvergedWs(consistencyA);
  const badB = unconvergedWs(consistencyB);
  if (badA.length === 0 && badB.length === 0)
    sentences.push('After draining, every follower equalled the leader in both runs.');
  else {
    const side = (name: string, ws: number[]) =>
      ws.length === 0 ? `converged in ${name}` : `NOT converged in ${name} at W=${ws.join(', ')}`;
    sentences.push(`After draining: ${side('A', badA)}, ${side('B', badB)}. Not converging is a bug.`);
  }
  return sentences.join(' ');
}

export interface FindingsInput {
  table: readonly MetricComparison[];
  differences: readonly ConfigDifference[];
  names: RunNames;
  summaryA: readonly SummaryRow[];
  summaryB: readonly SummaryRow[];
  consistencyA: readonly ConsistencyRow[] | null;
  consistencyB: readonly ConsistencyRow[] | null;
}

/** Every finding, in the order a reader wants them. */
export function compareFindings(input: FindingsInput): string[] {
  const { table, differences, names, summaryA, summaryB } = input;
  const findings: Array<string | null> = [
    configFinding(differences, names),
    metricFinding(table, 'mean', names),
    metricFinding(table, 'median', names),
    metricFinding(table, 'p99', names),
    metricFinding(table, 'overheadP50', names),
    errorsFinding(summaryA, summaryB),
    consistencyFinding(input.consistencyA, input.consistencyB),
    coverageFinding(summaryA, summaryB),
    sampleSizeFinding(summaryA, summaryB),
  ];
  return findings.filter((f): f is string => f !== null);
}
