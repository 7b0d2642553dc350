/**
 * The report's findings: plain sentences computed from the summary and the consistency rows.
 * Pure functions, each one finding, so tests can check the numbers a reader will see.
 */
import { percentile } from '@quorum-kv/stats';
import { ackModesIn } from '../../common/chart-theme';
import { liveRows } from '../charts/consistency-chart';
import type { ConsistencyRow, SummaryRow, SweepConfig, WriteRecord } from '../records';
import { fmtMs, joinWords, plural } from '../../common/format';
import type { AckMode } from '@quorum-kv/replication-protocol';
import { floorFinding } from './floor-lines';
import type { ReportInput } from './report-md';

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
  if (rows.length === 1)
    return `Only W=${first.w} was measured: mean ${fmtMs(first.mean)} ms, p99 ${fmtMs(first.p99)} ms.`;
  const grows = rows.every((r, i) => i === 0 || r.mean >= (rows[i - 1] as SummaryRow).mean);
  const range =
    `mean from ${fmtMs(first.mean)} ms at W=${first.w} to ${fmtMs(last.mean)} ` +
    `ms at W=${last.w}, p99 from ${fmtMs(first.p99)} ms to ${fmtMs(last.p99)} ms`;
  if (grows) return `Latency grows with W: ${range}. Waiting for more acks means waiting for a slower follower.`;
  const means = rows.map((r) => `${fmtMs(r.mean)} ms at W=${r.w}`);
  return `Latency does not grow steadily with W (${range}); the means are ${joinWords(means)}.`;
}

type SummaryNumber = 'mean' | 'median' | 'p95' | 'p99' | 'modelMean' | 'modelP50' | 'modelP95' | 'modelP99';

function largestGap(
  rows: readonly SummaryRow[],
  measured: SummaryNumber,
  model: SummaryNumber,
): { row: SummaryRow; gapMs: number } | undefined {
  let worst: { row: SummaryRow; gapMs: number } | undefined;
  for (const row of rows) {
    const gapMs = Math.abs(row[measured] - row[model]);
    if (finite(gapMs) && (worst === undefined || gapMs > worst.gapMs)) worst = { row, gapMs };
  }
  return worst;
}

/**
 * What the order-statistic model predicts, and how far the measured mean and p99 sit from it.
 * `prediction: false` leaves out the predicted values (for a second ack mode: the model is the same).
 */
export function modelFinding(
  summary: readonly SummaryRow[],
  writesPerW: number,
  { prediction = true }: { prediction?: boolean } = {},
): string {
  const rows = byW(summary).filter((r) => finite(r.modelMean));
  if (rows.length === 0)
    return 'No model prediction was available for this delay model, so the measurement stands alone.';
  const predicted = joinWords(rows.map((r) => `${fmtMs(r.modelMean)} ms at W=${r.w}`));
  const predictedP99 = joinWords(rows.map((r) => fmtMs(r.modelP99)));
  const sentences = prediction
    ? [
        `The W-th order statistic model (the W-th smallest of the followers' injected delays) ` +
          `predicts a mean of ${predicted}, and a p99 of ${predictedP99} ms.`,
      ]
    : [];
  const mean = largestGap(rows, 'mean', 'modelMean');
  const p99 = largestGap(rows, 'p99', 'modelP99');
  if (mean !== undefined) {
    const where = `largest gap at W=${mean.row.w}: ${fmtMs(mean.row.mean)} ms measured vs ${fmtMs(mean.row.modelMean)} ms predicted`;
    sentences.push(`The measured mean sits within ${fmtMs(mean.gapMs)} ms of the model at every W (${where}).`);
  }
  if (p99 !== undefined) sentences.push(`The measured p99 sits within ${fmtMs(p99.gapMs)} ms of the model's p99.`);
  sentences.push(
    `With ${writesPerW} writes per W, sampling noise alone moves these statistics around the model (p99 most of all); ` +
      'the overhead below compares every write with its own ideal and is the sharper test.',
  );
  return sentences.join(' ');
}

/** Overhead p50 and p99 ranges across W. */
export function overheadFinding(summary: readonly SummaryRow[]): string {
  const rows = byW(summary).filter((r) => finite(r.overheadP50) && finite(r.overheadP99));
  if (rows.length === 0)
    return 'No overhead could be computed: no successful write reported the delays the leader drew for it.';
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
  const missed = measured.filter(
    (r) => r.overheadP50 > FIDELITY_TARGET.overheadP50Ms || r.overheadP99 > FIDELITY_TARGET.overheadP99Ms,
  );
  const met = measured.filter((r) => !missed.includes(r));
  const parts: string[] = [];
  if (missed.length === 0 && met.length > 0)
    parts.push(`Fidelity target (${target}): met at every measured W (${met.map((r) => `W=${r.w}`).join(', ')}).`);
  if (missed.length > 0) {
    const why = missed.map((r) => {
      const over = [
        ...(r.overheadP50 > FIDELITY_TARGET.overheadP50Ms
          ? [`p50 ${fmtMs(r.overheadP50)} ms > ${FIDELITY_TARGET.overheadP50Ms} ms`]
          : []),
        ...(r.overheadP99 > FIDELITY_TARGET.overheadP99Ms
          ? [`p99 ${fmtMs(r.overheadP99)} ms > ${FIDELITY_TARGET.overheadP99Ms} ms`]
          : []),
      ];
      return `W=${r.w} (${over.join(', ')})`;
    });
    const metText = met.length > 0 ? `; met at ${met.map((r) => `W=${r.w}`).join(', ')}` : '';
    parts.push(`Fidelity target (${target}): missed at ${joinWords(why)}${metText}.`);
  }
  const allFailed = unmeasured.filter((r) => r.count > 0 && r.errors === r.count);
  const noData = unmeasured.filter((r) => !allFailed.includes(r));
  if (allFailed.length > 0)
    parts.push(`Not measurable at ${allFailed.map((r) => `W=${r.w}`).join(', ')} (every write failed).`);
  if (noData.length > 0)
    parts.push(`Not measurable at ${noData.map((r) => `W=${r.w}`).join(', ')} (no overhead data).`);
  return parts.join(' ');
}

/** Failed and timed-out writes. */
export function errorFinding(summary: readonly SummaryRow[]): string {
  const total = summary.reduce((n, r) => n + r.count, 0);
  const errors = summary.reduce((n, r) => n + r.errors, 0);
  if (errors === 0) return `Every one of the ${total} measured writes succeeded.`;
  const severalModes = ackModesIn(summary).length > 1;
  const where = byW(summary)
    .filter((r) => r.errors > 0)
    .map((r) => `${r.errors} at W=${r.w}${severalModes ? ` (${r.ackMode})` : ''}`);
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

/** The largest lag per W over the live followers (and every run and ack mode given). */
function lagPerW(rows: readonly ConsistencyRow[]): LagAtW[] {
  const live = liveRows(rows).filter(
    (r) => Number.isFinite(r.lsnBehindAtLastAck) && Number.isFinite(r.differingKeysAtLastAck),
  );
  const ws = [...new Set(live.map((r) => r.w))].sort((a, b) => a - b);
  return ws.map((w) => {
    const atW = live.filter((r) => r.w === w);
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

/**
 * How far followers were behind right after the last ack, and whether that shrinks with W.
 * Followers stopped on purpose are left out; with repeats, the largest lag over the runs.
 */
export function lagFinding(
  rows: readonly ConsistencyRow[],
  config: Pick<SweepConfig, 'followers' | 'ackMode'>,
): string {
  const lags = lagPerW(rows);
  const first = lags[0];
  const last = lags[lags.length - 1];
  if (first === undefined || last === undefined) return 'No consistency check was recorded.';
  if (lags.length === 1) return `Right after the last ack, followers were ${lagText(first)}.`;
  if (lags.every((l) => l.maxEntriesBehind === 0 && l.maxKeysDiffering === 0)) {
    return 'Right after the last ack, every follower already equalled the leader at every W: replication kept up with the workload, so no lag was left to see.';
  }
  const shrinks =
    lags.every((l, i) => i === 0 || l.maxEntriesBehind <= (lags[i - 1] as LagAtW).maxEntriesBehind) &&
    last.maxEntriesBehind < first.maxEntriesBehind;
  const sentences = [`Right after the last ack, followers were ${lagText(first)}, and ${lagText(last)}.`];
  sentences.push(
    shrinks
      ? 'The lag shrinks as W grows: the leader waits for more followers before answering, so fewer are left behind.'
      : `The lag does not shrink steadily with W (most entries behind: ${lags.map((l) => `${l.maxEntriesBehind} at W=${l.w}`).join(', ')}).`,
  );
  if (last.w === config.followers && last.maxEntriesBehind > 0 && config.ackMode === 'received') {
    sentences.push(
      `At W=${last.w} every follower had acked every write, but with ack mode "received" ` +
        `an ack means "stored in its log", not "applied", so a short lag remains.`,
    );
  }
  return sentences.join(' ');
}

/** Whether draining made every live follower equal to the leader (anything else is a bug). */
export function convergenceFinding(rows: readonly ConsistencyRow[]): string {
  if (rows.length === 0) return 'Convergence was not checked.';
  const live = liveRows(rows);
  const stopped = [...new Set(rows.filter((r) => r.down === true).map((r) => r.follower))].sort((a, b) => a - b);
  const stoppedNote =
    stopped.length === 0 ? '' : ` Follower ${joinWords(stopped.map(String))} was stopped on purpose and not compared.`;
  const unknown = live.filter((r) => !finite(r.lsnBehindAfterDrain) || !finite(r.differingKeysAfterDrain));
  const diverged = live.filter(
    (r) => !unknown.includes(r) && (r.lsnBehindAfterDrain !== 0 || r.differingKeysAfterDrain !== 0),
  );
  if (unknown.length === 0 && diverged.length === 0) {
    return (
      (stopped.length === 0
        ? 'After draining, every follower equals the leader at every W, as it must.'
        : 'After draining, every live follower equals the leader at every W, as it must.') + stoppedNote
    );
  }
  const where = whereLabel(rows);
  const details = [
    ...diverged.map(
      (r) =>
        `follower ${r.follower} at ${where(r)}: ${plural(r.lsnBehindAfterDrain, 'entry', 'entries')} behind, ` +
        `${plural(r.differingKeysAfterDrain, 'key')} differing`,
    ),
    ...unknown.map((r) => `follower ${r.follower} at ${where(r)}: could not be checked`),
  ];
  return (
    `NOT converged: after draining, not every follower equals the leader (${details.join('; ')}). ` +
    `This is a bug: every follower must converge at every W.${stoppedNote}`
  );
}

/** "W=2", with the ack mode and run when the rows hold several. */
function whereLabel(rows: readonly ConsistencyRow[]): (r: ConsistencyRow) => string {
  const severalModes = ackModesIn(rows).length > 1;
  const severalRuns = new Set(rows.map((r) => r.run)).size > 1;
  return (r) => `W=${r.w}${severalModes ? ` (${r.ackMode})` : ''}${severalRuns ? ` in run ${r.run + 1}` : ''}`;
}

/** Writes that failed, counted by error code, e.g. "20 quorum_unreachable". */
function errorCounts(writes: readonly WriteRecord[]): string {
  const counts = new Map<string, number>();
  for (const r of writes)
    if (r.outcome !== 'ok')
      counts.set(r.error ?? `HTTP ${r.httpStatus}`, (counts.get(r.error ?? `HTTP ${r.httpStatus}`) ?? 0) + 1);
  return joinWords([...counts].sort((a, b) => b[1] - a[1]).map(([code, n]) => `${n} ${code}`));
}

/**
 * Followers stopped on purpose (scenario follower-down): W beyond the live followers can never
 * be met, and the leader says so at once (quorum_unreachable) rather than at the timeout.
 * With the writes, the error codes and how fast they came are read from the data.
 */
export function downFollowersFinding(
  summary: readonly SummaryRow[],
  config: Pick<SweepConfig, 'followers' | 'downFollowers' | 'replicationTimeoutMs' | 'scenario'>,
  writes?: readonly WriteRecord[],
): string | undefined {
  if (config.downFollowers.length === 0) return undefined;
  const live = config.followers - config.downFollowers.length;
  const stopped = `${config.downFollowers.length === 1 ? 'Follower' : 'Followers'} ${joinWords(config.downFollowers.map(String))}`;
  const sentences = [
    `${stopped} ${config.downFollowers.length === 1 ? 'was' : 'were'} stopped on purpose ` +
      `(scenario ${config.scenario}), leaving ${plural(live, 'follower')} able to ack.`,
  ];
  const beyond = byW(summary).filter((r) => r.w > live);
  const ws = joinWords([...new Set(beyond.map((r) => `W=${r.w}`))]);
  if (beyond.length > 0) {
    const count = beyond.reduce((n, r) => n + r.count, 0);
    const errors = beyond.reduce((n, r) => n + r.errors, 0);
    const failedWrites = (writes ?? []).filter((r) => r.w > live && r.outcome !== 'ok');
    const median = percentile(
      failedWrites.map((r) => r.latencyMs),
      50,
    );
    const how =
      failedWrites.length > 0 && finite(median)
        ? ` (${errorCounts(failedWrites)}), answered after a median of ${fmtMs(median)} ms, ` +
          `long before the ${config.replicationTimeoutMs} ms replication timeout`
        : '';
    sentences.push(
      errors === count
        ? `${ws} asks for more acks than that, so it can never be met: all ${count} writes there failed${how}.`
        : `${ws} asks for more acks than that, yet only ${errors} of ${count} writes there failed${how}: a write that met such a quorum points to a bug.`,
    );
    sentences.push(
      'The leader does not wait for the timeout: as soon as the replication call to a stopped follower fails, too few followers are left to reach W, ' +
        'and it answers 503 quorum_unreachable. Like a timeout, that answer is indefinite: ' +
        "the write stays in the leader's log and still reaches the live followers. " +
        `These writes count as errors, and ${ws} has no latency and no model.`,
    );
  }
  const within = byW(summary).filter((r) => r.w <= live);
  if (within.length > 0)
    sentences.push(
      `W=${joinWords([...new Set(within.map((r) => String(r.w)))])} ran as usual; ` +
        `the model for them is the order statistic of the ${live} live followers' delays.`,
    );
  return sentences.join(' ');
}

/** The ack modes to report on: those in the summary, else the configured ones. */
export function reportedModes(summary: readonly SummaryRow[], config: SweepConfig): AckMode[] {
  const present = ackModesIn(summary);
  return present.length > 0 ? present : config.ackModes;
}

/**
 * Every finding of a run, in the report's order: per ack mode when there are two (each bullet
 * says which), then the run as a whole.
 */
export function runFindings(
  input: Pick<ReportInput, 'config' | 'summary' | 'consistency' | 'writes' | 'floor'>,
): string[] {
  const { config, summary, consistency } = input;
  const modes = reportedModes(summary, config);
  const label = (mode: AckMode) => (modes.length > 1 ? `**Ack mode "${mode}"**: ` : '');
  const live = config.followers - config.downFollowers.length;
  // The model is the same for every ack mode: its prediction is stated once, with the first.
  const perMode = (mode: AckMode, i: number) => {
    const rows = summary.filter((r) => r.ackMode === mode);
    const model = modelFinding(rows, config.writes * config.repeat, { prediction: i === 0 });
    return [latencyTrendFinding(rows), model, overheadFinding(rows), fidelityFinding(rows)].map((f) => label(mode) + f);
  };
  const lag = (mode: AckMode) =>
    label(mode) +
    lagFinding(
      consistency.filter((r) => r.ackMode === mode),
      { followers: live, ackMode: mode },
    );
  const down = downFollowersFinding(summary, config, input.writes);
  return [
    ...modes.flatMap(perMode),
    ...(input.floor === undefined ? [] : [floorFinding(input.floor)]),
    errorFinding(summary),
    ...(down === undefined ? [] : [down]),
    ...modes.map(lag),
    convergenceFinding(consistency),
  ];
}
