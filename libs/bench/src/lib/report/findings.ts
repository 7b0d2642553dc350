/**
 * The report's findings: plain sentences computed from the summary and the consistency rows.
 * Pure functions, each one finding, so tests can check the numbers a reader will see.
 */
import type { ConsistencyRow, SummaryRow, SweepConfig } from '../records';
import { fmtMs, joinWords, plural } from './format';

/** Fidelity targets of DESIGN.md section 6: overhead per write at every W (ms). */
export const FIDELITY_TARGET = { overheadP50Ms: 2, overheadP99Ms: 5 } as const;

const byW = (rows: readonly SummaryRow[]) => [...rows].sort((a, b) => a.w - b.w);
const finite = (value: number) => Number.isFinite(value);

/** Mean latency from the lowest to the highest W, and whether it grows steadily. */
export function latencyTrendFinding(summary: readonly SummaryRow[]): string {
  const rows = byW(summary).filter((r) => finite(r.mean));
  const first = rows[0];
  const last = rows[rows.length - 1];
  if (first === undefined || last === undefined) return 'No write succeeded, so there is no latency to report.';
  if (rows.length === 1) return `Only W=${first.w} was measured: mean ${fmtMs(first.mean)} ms, p99 ${fmtMs(first.p99)} ms.`;
  const grows = rows.every((r, i) => i === 0 || r.mean >= (rows[i - 1] as SummaryRow).mean);
  const range = `mean from ${fmtMs(first.mean)} ms at W=${first.w} to ${fmtMs(last.mean)} ms at W=${last.w}, p99 from ${fmtMs(first.p99)} ms to ${fmtMs(last.p99)} ms`;
  if (grows) return `Latency grows with W: ${range}. Waiting for more acks means waiting for a slower follower.`;
  const means = rows.map((r) => `${fmtMs(r.mean)} ms at W=${r.w}`);
  return `Latency does not grow steadily with W (${range}); the means are ${joinWords(means)}.`;
}

function largestGap(rows: readonly SummaryRow[], measured: keyof SummaryRow, model: keyof SummaryRow): { row: SummaryRow; gapMs: number } | undefined {
  let worst: { row: SummaryRow; gapMs: number } | undefined;
  for (const row of rows) {
    const gapMs = Math.abs(row[measured] - row[model]);
    if (finite(gapMs) && (worst === undefined || gapMs > worst.gapMs)) worst = { row, gapMs };
  }
  return worst;
}

/** What the order-statistic model predicts, and how far the measured mean and p99 sit from it. */
export function modelFinding(summary: readonly SummaryRow[], writesPerW: number): string {
  const rows = byW(summary).filter((r) => finite(r.modelMean));
  if (rows.length === 0) return 'No model prediction was available for this delay model, so the measurement stands alone.';
  const predicted = joinWords(rows.map((r) => `${fmtMs(r.modelMean)} ms at W=${r.w}`));
  const predictedP99 = joinWords(rows.map((r) => fmtMs(r.modelP99)));
  const sentences = [`The W-th order statistic model (the W-th smallest of the followers' injected delays) predicts a mean of ${predicted}, and a p99 of ${predictedP99} ms.`];
  const mean = largestGap(rows, 'mean', 'modelMean');
  const p99 = largestGap(rows, 'p99', 'modelP99');
  if (mean !== undefined) {
    const where = `largest gap at W=${mean.row.w}: ${fmtMs(mean.row.mean)} ms measured vs ${fmtMs(mean.row.modelMean)} ms predicted`;
    sentences.push(`The measured mean sits within ${fmtMs(mean.gapMs)} ms of the model at every W (${where}).`);
  }
  if (p99 !== undefined) sentences.push(`The measured p99 sits within ${fmtMs(p99.gapMs)} ms of the model's p99.`);
  sentences.push(
    `With ${writesPerW} writes per W, sampling noise alone moves these statistics around the model (p99 most of all); ` +
      "the overhead below compares every write with its own ideal and is the sharper test.",
  );
  return sentences.join(' ');
}

/** Overhead p50 and p99 ranges across W. */
export function overheadFinding(summary: readonly SummaryRow[]): string {
  const rows = byW(summary).filter((r) => finite(r.overheadP50) && finite(r.overheadP99));
  if (rows.length === 0) return 'No overhead could be computed: no successful write reported the delays the leader drew for it.';
  const range = (values: number[]) => {
    const lo = Math.min(...values);
    const hi = Math.max(...values);
    return fmtMs(lo) === fmtMs(hi) ? `${fmtMs(lo)} ms` : `from ${fmtMs(lo)} to ${fmtMs(hi)} ms`;
  };
  return (
    `Overhead (each write's measured latency minus its ideal, the W-th smallest delay it drew): ` +
    `p50 ${range(rows.map((r) => r.overheadP50))}, p99 ${range(rows.map((r) => r.overheadP99))} across W.`
  );
}

/** Whether each W meets the fidelity target, naming the W where it is missed and by what. */
export function fidelityFinding(summary: readonly SummaryRow[]): string {
  const target = `overhead p50 ≤ ${FIDELITY_TARGET.overheadP50Ms} ms and p99 ≤ ${FIDELITY_TARGET.overheadP99Ms} ms`;
  const rows = byW(summary);
  const unmeasured = rows.filter((r) => !finite(r.overheadP50) || !finite(r.overheadP99));
  const measured = rows.filter((r) => !unmeasured.includes(r));
  const missed = measured.filter((r) => r.overheadP50 > FIDELITY_TARGET.overheadP50Ms || r.overheadP99 > FIDELITY_TARGET.overheadP99Ms);
  const met = measured.filter((r) => !missed.includes(r));
  const parts: string[] = [];
  if (missed.length === 0 && met.length > 0) parts.push(`Fidelity target (${target}): met at every measured W (${met.map((r) => `W=${r.w}`).join(', ')}).`);
  if (missed.length > 0) {
    const why = missed.map((r) => {
      const over = [
        ...(r.overheadP50 > FIDELITY_TARGET.overheadP50Ms ? [`p50 ${fmtMs(r.overheadP50)} ms > ${FIDELITY_TARGET.overheadP50Ms} ms`] : []),
        ...(r.overheadP99 > FIDELITY_TARGET.overheadP99Ms ? [`p99 ${fmtMs(r.overheadP99)} ms > ${FIDELITY_TARGET.overheadP99Ms} ms`] : []),
      ];
      return `W=${r.w} (${over.join(', ')})`;
    });
    const metText = met.length > 0 ? `; met at ${met.map((r) => `W=${r.w}`).join(', ')}` : '';
    parts.push(`Fidelity target (${target}): missed at ${joinWords(why)}${metText}.`);
  }
  if (unmeasured.length > 0) parts.push(`Not measurable at ${unmeasured.map((r) => `W=${r.w}`).join(', ')} (no overhead data).`);
  return parts.join(' ');
}

/** Failed and timed-out writes. */
export function errorFinding(summary: readonly SummaryRow[]): string {
  const total = summary.reduce((n, r) => n + r.count, 0);
  const errors = summary.reduce((n, r) => n + r.errors, 0);
  if (errors === 0) return `Every one of the ${total} measured writes succeeded.`;
  const where = byW(summary)
    .filter((r) => r.errors > 0)
    .map((r) => `${r.errors} at W=${r.w}`);
  return (
    `${errors} of ${total} writes failed or timed out (${joinWords(where)}). Latency statistics cover the successful writes only. ` +
    'A write that timed out waiting for its quorum is not rolled back: it stays on the leader and keeps replicating.'
  );
}

interface LagAtW {
  w: number;
  maxEntriesBehind: number;
  maxKeysDiffering: number;
}

function lagPerW(rows: readonly ConsistencyRow[]): LagAtW[] {
  const ws = [...new Set(rows.map((r) => r.w))].sort((a, b) => a - b);
  return ws.map((w) => {
    const atW = rows.filter((r) => r.w === w);
    return {
      w,
      maxEntriesBehind: Math.max(...atW.map((r) => r.lsnBehindAtLastAck)),
      maxKeysDiffering: Math.max(...atW.map((r) => r.differingKeysAtLastAck)),
    };
  });
}

function lagText(lag: LagAtW): string {
  if (lag.maxEntriesBehind === 0 && lag.maxKeysDiffering === 0) return `all equal to the leader at W=${lag.w}`;
  return `up to ${plural(lag.maxEntriesBehind, 'entry', 'entries')} behind and ${plural(lag.maxKeysDiffering, 'key')} differing at W=${lag.w}`;
}

/** How far followers were behind right after the last ack, and whether that shrinks with W. */
export function lagFinding(rows: readonly ConsistencyRow[], config: Pick<SweepConfig, 'followers' | 'ackMode'>): string {
  const lags = lagPerW(rows);
  const first = lags[0];
  const last = lags[lags.length - 1];
  if (first === undefined || last === undefined) return 'No consistency check was recorded.';
  if (lags.length === 1) return `Right after the last ack, followers were ${lagText(first)}.`;
  const shrinks = lags.every((l, i) => i === 0 || l.maxEntriesBehind <= (lags[i - 1] as LagAtW).maxEntriesBehind) && last.maxEntriesBehind < first.maxEntriesBehind;
  const sentences = [`Right after the last ack, followers were ${lagText(first)}, and ${lagText(last)}.`];
  sentences.push(
    shrinks
      ? 'The lag shrinks as W grows: the leader waits for more followers before answering, so fewer are left behind.'
      : `The lag does not shrink steadily with W (most entries behind: ${lags.map((l) => `${l.maxEntriesBehind} at W=${l.w}`).join(', ')}).`,
  );
  if (last.w === config.followers && last.maxEntriesBehind > 0 && config.ackMode === 'received') {
    sentences.push(`At W=${last.w} every follower had acked every write, but with ack mode "received" an ack means "stored in its log", not "applied", so a short lag remains.`);
  }
  return sentences.join(' ');
}

/** Whether draining made every follower equal to the leader (anything else is a bug). */
export function convergenceFinding(rows: readonly ConsistencyRow[]): string {
  if (rows.length === 0) return 'Convergence was not checked.';
  const unknown = rows.filter((r) => !finite(r.lsnBehindAfterDrain) || !finite(r.differingKeysAfterDrain));
  const diverged = rows.filter((r) => !unknown.includes(r) && (r.lsnBehindAfterDrain !== 0 || r.differingKeysAfterDrain !== 0));
  if (unknown.length === 0 && diverged.length === 0) return 'After draining, every follower equals the leader at every W, as it must.';
  const details = [
    ...diverged.map((r) => `follower ${r.follower} at W=${r.w}: ${plural(r.lsnBehindAfterDrain, 'entry', 'entries')} behind, ${plural(r.differingKeysAfterDrain, 'key')} differing`),
    ...unknown.map((r) => `follower ${r.follower} at W=${r.w}: could not be checked`),
  ];
  return `NOT converged: after draining, not every follower equals the leader (${details.join('; ')}). This is a bug: every follower must converge at every W.`;
}
