/**
 * `soak-report.md`, the page a person reads first in a soak's folder: the verdict with its
 * numbers, what was run, the load the cluster took, memory per node, the leader's log, the
 * chart, and how it was measured. Pure: builds a string; the caller writes it.
 */
import {
  benchCommandLine,
  fmtCount,
  fmtDecimal,
  MISSING,
  fmtMs,
  joinWords,
  markdownTable,
  plural,
} from '../common/format';
import type { ReportEnvironment } from '../sweep/report/report-md';
import { MEMORY_CHART } from './memory-chart';
import type { JudgedSlope, NodeMemorySummary, SoakConfig, SoakSummary } from './soak-records';
import { judgedSlopes, secondHalfStartS } from './soak-summary';

export interface SoakReportInput {
  config: SoakConfig;
  summary: SoakSummary;
  /** File names of the chart written into the run's folder (SVG and PNG), if any. */
  charts: readonly string[];
  environment: ReportEnvironment;
}

/** The inconclusive verdict names this many of the steepest slopes; the table has them all. */
const MAX_LISTED_SLOPES = 3;

/** MiB to one decimal; '—' when unknown. */
export const fmtMiB = (value: number | null): string => fmtDecimal(value, 1);

/** A slope with its sign, two decimals ('+0.35'); '—' when it could not be computed. */
export function fmtSlope(value: number): string {
  const text = fmtDecimal(value, 2);
  return text === MISSING || text.startsWith('-') ? text : `+${text}`;
}

/** The command line that repeats the run (same flags and seed; a new output folder). */
export function reproduceSoakCommand(config: SoakConfig): string {
  return benchCommandLine('soak', [
    ['--runtime', config.runtime],
    ['--leader-url', config.runtime === 'external' ? config.leaderUrl : undefined],
    ['--duration-s', config.durationS],
    ['--rate', config.ratePerS],
    ['--w', config.w],
    ['--followers', config.followers],
    ['--keys', config.keys],
    ['--value-bytes', config.valueBytes],
    ['--delay', config.delay],
    ['--replication-timeout-ms', config.replicationTimeoutMs],
    ['--ack-mode', config.ackMode],
    ['--sample-interval-s', config.sampleIntervalS],
    ['--warmup-s', config.warmupS],
    ['--warmup-writes', config.warmupWrites],
    ['--max-outstanding', config.maxOutstanding],
    ['--flat-threshold-mib-per-min', config.flatThresholdMiBPerMin],
    ['--seed', config.seed],
  ]);
}

const slopeText = (s: JudgedSlope) =>
  `${s.node} ${s.measure} ${fmtSlope(s.slopeMiBPerMin)}${Number.isFinite(s.slopeBandMiBPerMin) ? ` ± ${fmtBand(s.slopeBandMiBPerMin)}` : ''} MiB/min`;

/** The band's half-width, two decimals; '—' when it could not be computed. */
export const fmtBand = (value: number): string => fmtDecimal(value, 2);

/** The verdict in one paragraph, with the numbers that decided it. */
export function verdictText(config: SoakConfig, summary: SoakSummary): string {
  const { verdict, nodes } = summary;
  const threshold = `${verdict.thresholdMiBPerMin} MiB/min`;
  const window = `the second half of the run (${fmtWindow(config)})`;
  if (nodes.length === 0)
    return '**Verdict: inconclusive.** No node could be read at any sample, so there is no memory to judge.';
  const judged = judgedSlopes(nodes);
  const steepest = [...judged].sort((a, b) => b.slopeMiBPerMin - a.slopeMiBPerMin)[0] as JudgedSlope;
  const widest = [...judged].sort((a, b) => bandOrInfinity(b) - bandOrInfinity(a))[0] as JudgedSlope;
  if (verdict.status === 'flat') {
    return (
      `**Verdict: memory flat.** Over ${window}, every node's RSS and heap used grew by less than ${threshold}, ` +
      `each slope's band narrower than that; the steepest was ${slopeText(steepest)}.`
    );
  }
  if (verdict.status === 'grows') {
    return (
      `**Verdict: memory grows.** Over ${window}, with a threshold of ${threshold} ` +
      `and every band narrower than it: ${joinWords(verdict.growing.map(slopeText))}.`
    );
  }
  const steepestFirst = [...verdict.growing].sort((a, b) => b.slopeMiBPerMin - a.slopeMiBPerMin);
  const listed = steepestFirst.slice(0, MAX_LISTED_SLOPES).map(slopeText);
  if (steepestFirst.length > MAX_LISTED_SLOPES) listed.push(`${steepestFirst.length - MAX_LISTED_SLOPES} more`);
  const suspects =
    listed.length > 0
      ? ` Slopes at or above the threshold, not resolved: ${joinWords(listed)}.`
      : ' No slope reached the threshold.';
  return (
    `**Verdict: inconclusive** at ${threshold}. Over ${window}, ${plural(verdict.unresolved.length, 'slope')} ` +
    `of ${judged.length} had a band (two standard errors) at least as wide as the threshold, ` +
    `the widest ${slopeText(widest)}: garbage-collection cycles move memory by more than the threshold within the window.${suspects} ` +
    'A longer run (`--duration-s`) narrows the bands; the table and the chart show how far memory moved.'
  );
}

const bandOrInfinity = (s: JudgedSlope) => (Number.isFinite(s.slopeBandMiBPerMin) ? s.slopeBandMiBPerMin : Infinity);

function fmtWindow(config: SoakConfig): string {
  return `${secondHalfStartS(config.durationS)}–${config.durationS} s`;
}

function whatWasRun(config: SoakConfig, environment: ReportEnvironment): string[] {
  const where =
    config.runtime === 'process'
      ? 'as child processes on this machine (loopback)'
      : `in an external cluster${config.leaderUrl ? ` (leader ${config.leaderUrl})` : ''}`;
  const machine = Object.entries(environment)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  return [
    `One leader and ${plural(config.followers, 'follower')}, running ${where}, ` +
      `took a steady open-loop load of ${config.ratePerS} writes/s for ${config.durationS} s: ` +
      `write i was due at i/${config.ratePerS} s after the start, whether or not earlier writes had been answered. Every write used W=${config.w} ` +
      `(ack mode "${config.ackMode}", quorum timeout ${config.replicationTimeoutMs} ms) ` +
      `and put a ${config.valueBytes}-character string under one of the ` +
      `keys k0..k${config.keys - 1}, drawn with seed ${config.seed}. ` +
      `Every replication RPC was delayed by \`${config.delay}\` (ms).`,
    '',
    `Every ${config.sampleIntervalS} s the bench read each node's ` +
      `\`/metrics\` (RSS: \`process_resident_memory_bytes\`, heap used: ` +
      `\`nodejs_heap_size_used_bytes\`, and the leader's ` +
      `\`quorumkv_log_entries\` when it exports it) and the leader's \`/status\`.`,
    '',
    (config.warmupWrites > 0
      ? `Before the load, ${plural(config.warmupWrites, 'closed-loop write')} warmed the connections and code paths (not measured). `
      : 'Connections were not warmed before the load (0 warm-up writes). ') +
      `Memory "after warm-up" is the first sample at or after ${config.warmupS} s into the load.`,
    '',
    `Machine: ${machine}.`,
  ];
}

function loadSection(summary: SoakSummary): string[] {
  const errors = Object.entries(summary.errorsByCode)
    .sort((a, b) => b[1] - a[1])
    .map(([code, count]) => `${count} ${code}`);
  const { latency } = summary;
  return [
    markdownTable(
      ['offered writes/s', 'sent writes/s', 'achieved (ok) writes/s', 'planned', 'sent', 'ok', 'failed', 'dropped'],
      [
        [summary.offeredRatePerS, summary.sentRatePerS, summary.achievedRatePerS]
          .map((r) => r.toFixed(1))
          .concat(
            [
              summary.writesPlanned,
              summary.writesSent,
              summary.writesOk,
              summary.writesFailed,
              summary.writesDropped,
            ].map(fmtCount),
          ),
      ],
    ),
    '',
    `Latency of the ${fmtCount(latency.count)} successful writes, each timed from its due time (so time spent queued in the bench counts): ` +
      `p50 ${fmtMs(latency.p50Ms)} ms, p99 ${fmtMs(latency.p99Ms)} ms, max ${fmtMs(latency.maxMs)} ms, mean ${fmtMs(latency.meanMs)} ms.` +
      (errors.length > 0 ? ` Failed writes by error: ${joinWords(errors)}.` : '') +
      (summary.writesDropped > 0
        ? ` ${plural(summary.writesDropped, 'write')} never left the bench because too many were in flight already (the cluster fell behind the offered rate).`
        : ''),
  ];
}

function memoryTable(nodes: readonly NodeMemorySummary[]): string {
  const header = [
    'node',
    'RSS after warm-up',
    'RSS end',
    'RSS max',
    'RSS slope ± band (MiB/min)',
    'heap after warm-up',
    'heap end',
    'heap max',
    'heap slope ± band (MiB/min)',
    'unreadable samples',
  ];
  const slope = (t: NodeMemorySummary['rss']) => `${fmtSlope(t.slopeMiBPerMin)} ± ${fmtBand(t.slopeBandMiBPerMin)}`;
  const rows = nodes.map((n) => [
    n.node,
    ...[n.rss.afterWarmupMiB, n.rss.endMiB, n.rss.maxMiB].map(fmtMiB),
    slope(n.rss),
    ...[n.heapUsed.afterWarmupMiB, n.heapUsed.endMiB, n.heapUsed.maxMiB].map(fmtMiB),
    slope(n.heapUsed),
    fmtCount(n.failedSamples),
  ]);
  return markdownTable(header, rows);
}

function logSection(summary: SoakSummary): string {
  const { leader } = summary;
  const lsn = `The leader's LSN at the last sample was ${fmtCount(leader.lsnAtEnd ?? NaN)}.`;
  if (!leader.logEntriesExported) {
    return (
      `${lsn} The leader exports no \`quorumkv_log_entries\` gauge (a build without log trimming), ` +
      `so its log size is unknown; with every entry kept, it equals the LSN.`
    );
  }
  return (
    `${lsn} Its log held ${plural(leader.logEntriesAtEnd ?? 0, 'entry', 'entries')} then (at most ` +
    `${fmtCount(leader.logEntriesMax ?? NaN)} during the run): entries every follower has applied are trimmed.`
  );
}

function chartSection(charts: readonly string[]): string[] {
  const png = `${MEMORY_CHART}.png`;
  if (!charts.includes(png))
    return [
      'The chart was not rendered in this run (see the console output for why); the numbers above and `samples.csv` are complete.',
    ];
  const svg = charts.includes(`${MEMORY_CHART}.svg`) ? ` ([SVG](${MEMORY_CHART}.svg))` : '';
  return [
    `![RSS and heap used of every node over time](${png})`,
    '',
    `One line per node: RSS (top), heap used (middle), and the leader's log size (bottom, ` +
      `when exported). The shaded second half is where each slope is fitted.${svg}`,
  ];
}

export function buildSoakReport({ config, summary, charts, environment }: SoakReportInput): string {
  const lines = [
    '# Soak: memory under a steady write load',
    '',
    verdictText(config, summary),
    '',
    '## What was run',
    '',
    ...whatWasRun(config, environment),
    '',
    '## Load',
    '',
    ...loadSection(summary),
    '',
    '## Memory per node (MiB)',
    '',
    memoryTable(summary.nodes),
    '',
    logSection(summary),
    '',
    '## Chart',
    '',
    ...chartSection(charts),
    '',
    '## How to read it',
    '',
    `- **Slope**: the least-squares line through a node's samples in the second half of the run (${fmtWindow(config)}), in MiB per minute. ` +
      'A fit over many samples, not first minus last, so one garbage collection or one late allocation does not decide it. ' +
      `The band is two standard errors of the slope, from the scatter of the samples around the line; ` +
      `garbage collection makes that scatter a saw-tooth rather than ` +
      `independent noise, so the band is, if anything, too narrow. ` +
      `Memory is called flat when every node's RSS and heap-used ` +
      `slopes are below ${config.flatThresholdMiBPerMin} MiB/min, ` +
      `grows when one is not, and the verdict is inconclusive when a ` +
      `band is as wide as the threshold: the run was too short to tell.`,
    '- **RSS** is what the operating system has given the process; it rarely shrinks after a peak. ' +
      '**Heap used** is the JavaScript heap in use, ' +
      'garbage not yet collected included, so it saw-tooths between collections.',
    '- A log that keeps every entry grows the leader by roughly rate × (entry size) ' +
      'per second; trimming what every follower has applied should hold the leader flat.',
    '- Files: `config.json`, `samples.json` and `samples.csv` (every sample of every node), `soak-summary.json` (the numbers above).',
    '',
    '## Run it again',
    '',
    '```sh',
    reproduceSoakCommand(config),
    '```',
    '',
  ];
  return lines.join('\n');
}
