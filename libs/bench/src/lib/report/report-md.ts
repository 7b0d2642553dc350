/**
 * `report.md`, the page a person reads first in a run's folder: what was measured, the charts,
 * the findings in plain words, the numbers, a glossary, and how to run it again. Pure: it
 * builds a string from the run's records; the caller writes it.
 */
import { CONSISTENCY_CHART } from '../charts/consistency-spec';
import { LATENCY_DISTRIBUTION_CHART, OVERHEAD_DISTRIBUTION_CHART } from '../charts/latency-distribution-spec';
import { QUORUM_VS_LATENCY_CHART } from '../charts/quorum-vs-latency-spec';
import type { ConsistencyRow, SummaryRow, SweepConfig } from '../records';
import { convergenceFinding, errorFinding, fidelityFinding, lagFinding, latencyTrendFinding, modelFinding, overheadFinding } from './findings';
import { fmtCount, fmtMs, markdownTable, plural } from './format';

/** Facts about the machine, e.g. `{ node, platform, cpus, memoryGiB }`. Host names are never shown. */
export type ReportEnvironment = Readonly<Record<string, string | number | boolean | undefined>>;

export interface ReportInput {
  config: SweepConfig;
  summary: readonly SummaryRow[];
  consistency: readonly ConsistencyRow[];
  /** File names written into the run's folder by `renderAllCharts` (SVG and PNG). */
  charts: readonly string[];
  environment: ReportEnvironment;
}

const CHART_CAPTIONS: Record<string, { alt: string; caption: string }> = {
  [QUORUM_VS_LATENCY_CHART]: {
    alt: 'Write latency vs write quorum W: measured mean, median, p95, p99 and the model',
    caption: 'Solid lines are measured, dashed lines are the model, one colour per statistic. The closer each solid line lies on its dashed twin, the less the implementation adds to the injected delays.',
  },
  [LATENCY_DISTRIBUTION_CHART]: {
    alt: 'Latency distribution per W (ECDF)',
    caption: 'For each W, the share of writes (y) that finished within a given latency (x). Dashed: the ideal latency of the same writes.',
  },
  [OVERHEAD_DISTRIBUTION_CHART]: {
    alt: 'Overhead per write (latency minus ideal), ECDF per W',
    caption: 'How much each write took beyond its ideal. The target is met when every curve passes above both diamonds.',
  },
  [CONSISTENCY_CHART]: {
    alt: 'Follower lag behind the leader per W, right after the last ack and after draining',
    caption: 'Left: how far each follower was behind the moment the last write of a W was acknowledged. Right: after draining, where everything must be zero.',
  },
};

const GLOSSARY: ReadonlyArray<readonly [string, string]> = [
  ['W (write quorum)', 'how many followers must acknowledge a write before the leader answers the client. W=1 answers after the fastest follower, W=N after the slowest.'],
  ['ack', 'a follower\'s acknowledgement of a write. With ack mode "received" it means the entry is stored in the follower\'s log; with "applied", that it is applied and visible to reads there.'],
  ['LSN', 'log sequence number: the position the leader gives each write in its log. "Entries behind" is the leader\'s LSN minus the follower\'s applied LSN.'],
  ['order statistic', 'the W-th smallest of the N injected delays of one write. A perfect, zero-cost implementation answers exactly then, so it is each write\'s ideal latency, and its distribution is the model\'s curve.'],
  ['overhead', 'measured latency minus that ideal: the time the implementation itself adds (HTTP, parsing, timers, scheduling).'],
  ['p50 / p95 / p99', 'the latency that 50% / 95% / 99% of the writes stayed within (the median is p50).'],
  ['drain', 'waiting after the workload until every follower has received and applied every entry. Afterwards every follower must equal the leader.'],
];

function quote(value: string): string {
  return /^[A-Za-z0-9_.,:/=-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/** The command line that repeats the run (same flags and seed; a new output folder). */
export function reproduceCommand(config: SweepConfig): string {
  const flags: Array<[string, string | number | undefined]> = [
    ['--runtime', config.runtime],
    ['--leader-url', config.runtime === 'external' ? config.leaderUrl : undefined],
    ['--followers', config.followers],
    ['--quorums', config.quorums.join(',')],
    ['--writes', config.writes],
    ['--concurrency', config.concurrency],
    ['--keys', config.keys],
    ['--delay', config.delay],
    ['--replication-timeout-ms', config.replicationTimeoutMs],
    ['--ack-mode', config.ackMode],
    ['--seed', config.seed],
    ['--warmup-writes', config.warmupWrites],
    ['--warmup-concurrency', config.warmupConcurrency],
  ];
  const args = flags.filter(([, value]) => value !== undefined).map(([flag, value]) => `${flag} ${quote(String(value))}`);
  return `npx nx run bench:quorum-sweep -- \\\n  ${args.join(' \\\n  ')}`;
}

function whatWasMeasured(config: SweepConfig): string {
  const where = {
    process: 'as child processes on this machine (loopback)',
    docker: 'in Docker containers on their own network',
    external: `in an external cluster${config.leaderUrl ? ` (leader ${config.leaderUrl})` : ''}`,
  }[config.runtime];
  const warmup =
    config.warmupWrites > 0
      ? `Before measuring, connections were warmed with ${plural(config.warmupWrites, 'warm-up write')} (${config.warmupConcurrency} in flight), which are not counted.`
      : 'Connections were not warmed before measuring (0 warm-up writes), so the first writes include opening them.';
  return (
    `One leader replicated every write to ${plural(config.followers, 'follower')}, running ${where}. ` +
    `For each write quorum W in {${config.quorums.join(', ')}}, the client sent ${plural(config.writes, 'write')} (${config.concurrency} in flight) ` +
    `to keys k0..k${config.keys - 1}, and timed each from just before its request was sent to just after its answer was read. ` +
    `Every replication RPC was delayed by \`${config.delay}\` (ms), drawn independently per follower and per write; ` +
    `the replication (quorum) timeout was ${config.replicationTimeoutMs} ms, the ack mode "${config.ackMode}", the seed ${config.seed}. ` +
    `${warmup} After the last write of each W, the followers were compared with the leader, then again after draining.`
  );
}

function chartsSection(charts: readonly string[]): string[] {
  const pngs = charts.filter((file) => file.endsWith('.png'));
  if (pngs.length === 0) return ['No chart was rendered in this run (see the console output for why); the numbers below are complete.'];
  return pngs.flatMap((png) => {
    const base = png.slice(0, -'.png'.length);
    const known = CHART_CAPTIONS[base];
    const svg = charts.includes(`${base}.svg`) ? ` ([SVG](${base}.svg))` : '';
    return [`![${known?.alt ?? base}](${png})`, '', `${known?.caption ?? ''}${svg}`.trim(), ''];
  });
}

function summaryTable(summary: readonly SummaryRow[]): string {
  const header = ['W', 'writes', 'errors', 'mean', 'median', 'p95', 'p99', 'model mean', 'model p99', 'overhead p50', 'overhead p99'];
  const rows = [...summary]
    .sort((a, b) => a.w - b.w)
    .map((r) => [String(r.w), fmtCount(r.count), fmtCount(r.errors), ...[r.mean, r.median, r.p95, r.p99, r.modelMean, r.modelP99, r.overheadP50, r.overheadP99].map(fmtMs)]);
  return markdownTable(header, rows);
}

function consistencyTable(rows: readonly ConsistencyRow[]): string {
  const ws = [...new Set(rows.map((r) => r.w))].sort((a, b) => a - b);
  const header = ['W', 'followers not equal at last ack', 'most entries behind', 'most keys differing', 'after drain'];
  const table = ws.map((w) => {
    const atW = rows.filter((r) => r.w === w);
    const converged = atW.every((r) => r.lsnBehindAfterDrain === 0 && r.differingKeysAfterDrain === 0);
    return [
      String(w),
      `${atW.filter((r) => r.lsnBehindAtLastAck > 0 || r.differingKeysAtLastAck > 0).length} of ${atW.length}`,
      fmtCount(Math.max(...atW.map((r) => r.lsnBehindAtLastAck))),
      fmtCount(Math.max(...atW.map((r) => r.differingKeysAtLastAck))),
      converged ? 'all equal' : '**NOT equal**',
    ];
  });
  return markdownTable(header, table);
}

const ENVIRONMENT_LABELS: Record<string, string> = { node: 'Node.js', platform: 'platform', cpus: 'CPUs', cpuModel: 'CPU model', memoryGiB: 'memory (GiB)' };

function environmentLines(environment: ReportEnvironment): string[] {
  return Object.entries(environment)
    .filter(([key, value]) => value !== undefined && !/host/i.test(key))
    .map(([key, value]) => `- ${ENVIRONMENT_LABELS[key] ?? key}: ${String(value)}`);
}

export function buildReportMarkdown({ config, summary, consistency, charts, environment }: ReportInput): string {
  const title = `# Write latency vs write quorum: W = ${config.quorums.join(', ')} with ${plural(config.followers, 'follower')}`;
  const findings = [
    latencyTrendFinding(summary),
    modelFinding(summary, config.writes),
    overheadFinding(summary),
    fidelityFinding(summary),
    errorFinding(summary),
    lagFinding(consistency, config),
    convergenceFinding(consistency),
  ];
  const sections = [
    title,
    '',
    'Read this first. The raw data sits beside it: `config.json` (the run\'s settings), `writes.json` (every write), `summary.csv` / `summary.json` (one row per W), `consistency.json` (per W and follower), and the charts as SVG and PNG.',
    '',
    '## What was measured',
    '',
    whatWasMeasured(config),
    '',
    '## Charts',
    '',
    ...chartsSection(charts),
    '## Findings',
    '',
    ...findings.map((f) => `- ${f}`),
    '',
    '## Latency per W (ms)',
    '',
    'Latency statistics are over successful writes; "model" is the W-th order statistic of the injected delays; "overhead" is latency minus each write\'s own ideal.',
    '',
    summaryTable(summary),
    '',
    '## Consistency per W',
    '',
    consistency.length > 0 ? consistencyTable(consistency) : 'No consistency check was recorded.',
    '',
    '## How to read this',
    '',
    ...GLOSSARY.map(([term, meaning]) => `- **${term}**: ${meaning}`),
    '',
    '## How to reproduce',
    '',
    'From the repository root (the same seed gives the same keys and injected delays; latencies depend on the machine):',
    '',
    '```sh',
    reproduceCommand(config),
    '```',
    '',
    ...(config.runtime === 'external' ? ['Add `--follower-urls` and `--cluster-token` as in the original run if it used them (they are not recorded in `config.json`).', ''] : []),
    '## Environment',
    '',
    ...environmentLines(environment),
    '',
  ];
  return sections.join('\n');
}
