/**
 * The report's "Repeats" section, for a sweep run more than once: per ack mode and W, the mean
 * and p99 averaged over the runs with their 95% Student-t intervals, and what the width of
 * those intervals says. Pure.
 */
import { ackModesIn, byAckMode } from '../../common/chart-theme';
import type { IntervalMetric, IntervalRow, SummaryRow } from '../records';
import { fmtInterval, fmtMs, joinWords, markdownTable } from '../../common/format';
import { tQuantile975 } from '@quorum-kv/stats';

/** Fewer runs than this give an interval too wide to say much, and the report says so. */
export const MIN_REPEATS_FOR_NARROW_INTERVAL = 3;

/**
 * The warning for a sweep repeated fewer than 3 times (none for a single run, which has no
 * interval, or for 3 runs and more): with 2 runs Student's t is 12.7, so the interval is about
 * nine times as wide as the same spread would give at 10 runs.
 */
export function fewRepeatsWarning(runs: number): string | undefined {
  if (runs < 2 || runs >= MIN_REPEATS_FOR_NARROW_INTERVAL) return undefined;
  const t = tQuantile975(runs - 1);
  const t3 = tQuantile975(MIN_REPEATS_FOR_NARROW_INTERVAL - 1);
  return (
    `Only ${runs} runs: the 95% intervals are wide (Student's t for ${runs - 1} degree${runs - 1 === 1 ? '' : 's'} of freedom is ${t.toFixed(1)}), ` +
    `so they say little about where the mean lies; the charts cut their whiskers at 0 and at the axis. ` +
    `Run with \`--repeat ${MIN_REPEATS_FOR_NARROW_INTERVAL}\` or more (t = ${t3.toFixed(1)} at ` +
    `${MIN_REPEATS_FOR_NARROW_INTERVAL} runs, and the interval ` +
    `narrows further as one over the square root of the runs).`
  );
}

/** Intervals over at least two runs, with finite bounds. */
function usable(intervals: readonly IntervalRow[], metric: IntervalMetric): IntervalRow[] {
  return intervals
    .filter((i) => i.metric === metric && i.runs > 1 && [i.mean, i.ciLow, i.ciHigh].every(Number.isFinite))
    .sort((a, b) => byAckMode(a, b) || a.w - b.w);
}

/** The table: ack mode (when several), W, runs, mean [low, high], p99 [low, high]. */
export function intervalTable(intervals: readonly IntervalRow[]): string {
  const severalModes = ackModesIn(intervals).length > 1;
  const keys = [...new Map(intervals.map((i) => [`${i.ackMode}|${i.w}`, i])).values()].sort(
    (a, b) => byAckMode(a, b) || a.w - b.w,
  );
  const find = (i: IntervalRow, metric: IntervalMetric) =>
    intervals.find((r) => r.ackMode === i.ackMode && r.w === i.w && r.metric === metric);
  const cell = (row: IntervalRow | undefined) =>
    row === undefined ? '—' : fmtInterval(row.mean, row.ciLow, row.ciHigh);
  const header = [...(severalModes ? ['ack mode'] : []), 'W', 'runs', 'mean [95% interval]', 'p99 [95% interval]'];
  const rows = keys.map((k) => [
    ...(severalModes ? [k.ackMode] : []),
    String(k.w),
    String(find(k, 'mean')?.runs ?? '—'),
    cell(find(k, 'mean')),
    cell(find(k, 'p99')),
  ]);
  return markdownTable(header, rows);
}

const where = (i: IntervalRow, severalModes: boolean) => `W=${i.w}${severalModes ? `, ${i.ackMode}` : ''}`;

/** Sentences on the intervals' widths: the widest and narrowest for the mean, and which steps in W they resolve. */
export function intervalWidthFinding(intervals: readonly IntervalRow[]): string {
  const means = usable(intervals, 'mean');
  if (means.length === 0)
    return 'No interval could be computed (every W needs successful writes in at least two runs).';
  const severalModes = ackModesIn(means).length > 1;
  const width = (i: IntervalRow) => i.ciHigh - i.ciLow;
  const sorted = [...means].sort((a, b) => width(b) - width(a));
  const widest = sorted[0] as IntervalRow;
  const narrowest = sorted[sorted.length - 1] as IntervalRow;
  const percent = widest.mean > 0 ? `, ±${Math.round((50 * width(widest)) / widest.mean)}% of the mean` : '';
  const sentences = [
    `The interval of the mean is widest at ${where(widest, severalModes)}: ${fmtMs(widest.ciLow)} to ` +
      `${fmtMs(widest.ciHigh)} ms around ${fmtMs(widest.mean)} ms (${fmtMs(width(widest))} ms wide${percent}).` +
      (means.length > 1
        ? ` It is narrowest at ${where(narrowest, severalModes)}: ${fmtMs(width(narrowest))} ms wide.`
        : ''),
  ];
  // A step from one W to the next is resolved when the two intervals do not overlap.
  const steps: Array<{ from: IntervalRow; to: IntervalRow }> = [];
  for (const mode of ackModesIn(means)) {
    const ofMode = means.filter((i) => i.ackMode === mode);
    ofMode.slice(1).forEach((to, k) => steps.push({ from: ofMode[k] as IntervalRow, to }));
  }
  const overlapping = steps.filter(({ from, to }) => from.ciHigh >= to.ciLow && to.ciHigh >= from.ciLow);
  const stepName = ({ from, to }: { from: IntervalRow; to: IntervalRow }) =>
    `W=${from.w}→${to.w}${severalModes ? ` (${to.ackMode})` : ''}`;
  if (steps.length > 0) {
    const resolved = steps.filter((step) => !overlapping.includes(step));
    if (overlapping.length === 0)
      sentences.push(
        'Every step from one W to the next moves the mean by more than the noise: neighbouring intervals never overlap.',
      );
    else if (resolved.length === 0)
      sentences.push(
        'Neighbouring intervals overlap at every step from one W to the next, so this sweep does not establish how the mean changes with W.',
      );
    else
      sentences.push(
        `Neighbouring intervals overlap at ${overlapping.length} of ${steps.length} steps from one W to the next, so those differences are not established; ` +
          `the mean clearly changes only at ${joinWords(resolved.map(stepName))}.`,
      );
  }
  const runs = Math.min(...means.map((i) => i.runs));
  sentences.push(
    `With ${runs} runs the interval is mean ± t·s/√${runs} with Student's t for ${runs - 1} ` +
      `degree${runs - 1 === 1 ? '' : 's'} of freedom: few runs say little, and the interval is wide to match. ` +
      'More repeats narrow it, roughly as one over the square root of the number of runs (and t shrinks too).',
  );
  return sentences.join(' ');
}

/** The section's lines (heading excluded), or none for a sweep run once. */
export function repeatsLines(intervals: readonly IntervalRow[], summary: readonly SummaryRow[]): string[] {
  if (usable(intervals, 'mean').length === 0 && usable(intervals, 'p99').length === 0) return [];
  const runs = Math.max(...intervals.map((i) => i.runs));
  const warning = fewRepeatsWarning(runs);
  return [
    ...(warning === undefined ? [] : [`**Caution.** ${warning}`, '']),
    `Each statistic was computed for each of the ${runs} runs separately, then averaged over the runs; the 95% interval is the Student-t interval ` +
      "of that average over the runs. These are the points and bars of the main chart. The latency table below pools every run's writes instead, " +
      'so its numbers can differ a little, p99 most (one run has fewer writes to reach into the tail). All in ms; `summary-ci.csv` has every metric. ' +
      'A latency interval that would reach below 0 ms starts at 0, since no latency is negative.',
    '',
    intervalTable(intervals),
    '',
    intervalWidthFinding(intervals),
    ...(summary.some((r) => r.errors > 0)
      ? ['', "Failed writes are left out of every run's statistics; a W where every write failed has no interval."]
      : []),
  ];
}
