/**
 * The report's "Received vs applied" section, for a sweep that measured both ack modes: per W,
 * how much later an "applied" ack answers than a "received" one (mean and p99, in ms and as a
 * ratio), and why, in words. With repeats, whether the two modes' 95% intervals overlap says
 * if a difference stands out from run-to-run noise. Pure.
 */
import type { IntervalRow, SummaryRow, SweepConfig } from '../records';
import { fmtMs, fmtRatio, fmtSignedMs, joinWords, markdownTable } from '../../common/format';

export interface AckModeDifference {
  w: number;
  receivedMean: number;
  appliedMean: number;
  /** applied - received (ms); positive when "applied" is slower. */
  meanDiffMs: number;
  /** applied / received. */
  meanRatio: number;
  receivedP99: number;
  appliedP99: number;
  p99DiffMs: number;
  p99Ratio: number;
  /** From the mean's 95% intervals over runs; absent without repeats. */
  meanVerdict?: 'applied slower' | 'applied faster' | 'overlap';
}

function verdict(
  received: IntervalRow | undefined,
  applied: IntervalRow | undefined,
): AckModeDifference['meanVerdict'] {
  if (received === undefined || applied === undefined || received.runs < 2 || applied.runs < 2) return undefined;
  if (![received.ciLow, received.ciHigh, applied.ciLow, applied.ciHigh].every(Number.isFinite)) return undefined;
  if (applied.ciLow > received.ciHigh) return 'applied slower';
  if (applied.ciHigh < received.ciLow) return 'applied faster';
  return 'overlap';
}

/** One row per W measured in both modes, from the pooled summary (the numbers of the latency table). */
export function ackModeDifferences(
  summary: readonly SummaryRow[],
  intervals: readonly IntervalRow[] = [],
): AckModeDifference[] {
  const ws = [...new Set(summary.map((r) => r.w))].sort((a, b) => a - b);
  const meanInterval = (ackMode: string, w: number) =>
    intervals.find((i) => i.ackMode === ackMode && i.w === w && i.metric === 'mean');
  return ws.flatMap((w) => {
    const received = summary.find((r) => r.w === w && r.ackMode === 'received');
    const applied = summary.find((r) => r.w === w && r.ackMode === 'applied');
    if (received === undefined || applied === undefined) return [];
    const meanVerdict = verdict(meanInterval('received', w), meanInterval('applied', w));
    return [
      {
        w,
        receivedMean: received.mean,
        appliedMean: applied.mean,
        meanDiffMs: applied.mean - received.mean,
        meanRatio: applied.mean / received.mean,
        receivedP99: received.p99,
        appliedP99: applied.p99,
        p99DiffMs: applied.p99 - received.p99,
        p99Ratio: applied.p99 / received.p99,
        ...(meanVerdict !== undefined && { meanVerdict }),
      },
    ];
  });
}

const wList = (rows: readonly AckModeDifference[]) => joinWords(rows.map((r) => `W=${r.w}`));

function range(values: readonly number[], format: (v: number) => string): string {
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  return format(lo) === format(hi) ? format(lo) : `${format(lo)} to ${format(hi)}`;
}

/** One sentence pair on what the data shows: where "applied" was slower, by how much, and whether that stands out from noise. */
export function ackModeComparisonFinding(differences: readonly AckModeDifference[]): string {
  const rows = differences.filter((d) => Number.isFinite(d.meanDiffMs));
  if (rows.length === 0) return 'The two ack modes could not be compared: no W has successful writes in both.';
  const slower = rows.filter((d) => d.meanDiffMs > 0);
  const sentences: string[] = [];
  if (slower.length === rows.length) {
    sentences.push(
      `Acking once applied was slower than acking once received at every W: the mean by ${range(
        rows.map((d) => d.meanDiffMs),
        fmtMs,
      )} ms (${range(
        rows.map((d) => d.meanRatio),
        fmtRatio,
      )}), ` +
        `the p99 by ${range(
          rows.map((d) => d.p99DiffMs),
          fmtSignedMs,
        )} ms.`,
    );
  } else if (slower.length === 0) {
    sentences.push(
      `Acking once applied was not slower than acking once received at any W (mean differences ${range(
        rows.map((d) => d.meanDiffMs),
        fmtSignedMs,
      )} ms).`,
    );
  } else {
    const faster = rows.filter((d) => d.meanDiffMs <= 0);
    sentences.push(
      `Acking once applied had the higher mean at ${wList(slower)} and not at ${wList(faster)} (mean differences ${range(
        rows.map((d) => d.meanDiffMs),
        fmtSignedMs,
      )} ms): ` + 'no consistent difference.',
    );
  }
  const judged = rows.filter((d) => d.meanVerdict !== undefined);
  if (judged.length === 0) {
    sentences.push(
      'With a single run there is no interval to tell a real difference from noise; `--repeat 5` or more would.',
    );
  } else {
    const clear = judged.filter((d) => d.meanVerdict !== 'overlap');
    if (clear.length === 0)
      sentences.push(
        "The two modes' 95% intervals of the mean overlap at every W, so these differences are within run-to-run noise.",
      );
    else if (clear.length === judged.length)
      sentences.push(
        "The two modes' 95% intervals of the mean do not overlap at any W: the difference stands out from run-to-run noise.",
      );
    else
      sentences.push(
        `The two modes' 95% intervals of the mean are apart only at ${wList(clear)}; elsewhere the difference is within run-to-run noise.`,
      );
  }
  return sentences.join(' ');
}

/** Why "applied" costs more, in words, with this run's load (writes in flight or the open-loop rate). */
export function headOfLineText(config: Pick<SweepConfig, 'concurrency' | 'rate'>): string {
  const load =
    config.rate === null
      ? `${config.concurrency} writes in flight here`
      : `writes arriving at ${config.rate} per second here`;
  return (
    'With "received", a follower acks an entry as soon as it is stored in its log. With "applied", it acks only once the entry is applied, ' +
    'and a follower applies entries strictly in LSN order: an entry whose replication call arrives early must wait until every earlier entry ' +
    'has arrived and been applied. So an "applied" ack waits for the slowest of the entries ahead of it that are still in flight, not only for its ' +
    `own delay: head-of-line blocking. The more writes overlap (${load}) and the wider the injected delays spread, the more it costs. ` +
    'In exchange, a client can read its write on any follower that acked it.'
  );
}

/** The section's lines (heading excluded), or none when only one ack mode was measured. */
export function ackModeComparisonLines(
  summary: readonly SummaryRow[],
  intervals: readonly IntervalRow[],
  config: Pick<SweepConfig, 'concurrency' | 'rate'>,
): string[] {
  const differences = ackModeDifferences(summary, intervals);
  if (differences.length === 0) return [];
  const header = [
    'W',
    'mean received',
    'mean applied',
    'difference',
    'ratio',
    'p99 received',
    'p99 applied',
    'difference',
    'ratio',
  ];
  const rows = differences.map((d) => [
    String(d.w),
    fmtMs(d.receivedMean),
    fmtMs(d.appliedMean),
    fmtSignedMs(d.meanDiffMs),
    fmtRatio(d.meanRatio),
    fmtMs(d.receivedP99),
    fmtMs(d.appliedP99),
    fmtSignedMs(d.p99DiffMs),
    fmtRatio(d.p99Ratio),
  ]);
  return [
    headOfLineText(config),
    '',
    'Latency in ms over the successful writes of each mode; "difference" is applied minus received, "ratio" applied divided by received.',
    '',
    markdownTable(header, rows),
    '',
    ackModeComparisonFinding(differences),
  ];
}
