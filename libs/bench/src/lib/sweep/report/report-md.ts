/**
 * `report.md`, the page a person reads first in a run's folder: what was measured, the charts,
 * the findings in plain words, the numbers, a glossary, and how to run it again. Pure: it
 * builds a string from the run's records; the caller writes it.
 */
import { ackModesIn, byAckMode } from '../../common/chart-theme';
import { liveRows } from '../charts/consistency-chart';
import { chartNamed } from '../charts/sweep-charts';
import type { ConsistencyRow, IntervalRow, SummaryRow, SweepConfig, WriteRecord } from '../records';
import { ackModeComparisonLines } from './ack-mode-comparison';
import { reportedModes, runFindings } from './findings';
import { fmtCount, fmtMs, markdownTable, plural } from '../../common/format';
import { fewRepeatsWarning, repeatsLines } from './repeats';
import { busyHostWarning, type HostLoad } from './host-load';
import { reproduceCommand, whatWasMeasured } from './run-description';
import { floorLines } from './floor-lines';
import type { FloorComparison } from '../../floor/floor-comparison';

export { reproduceCommand } from './run-description';

/** Facts about the machine, e.g. `{ node, platform, cpus, memoryGiB }`. Host names are never shown. */
export type ReportEnvironment = Readonly<Record<string, string | number | boolean | undefined>>;

export interface ReportInput {
  config: SweepConfig;
  summary: readonly SummaryRow[];
  consistency: readonly ConsistencyRow[];
  /** File names written into the run's folder by `renderAllCharts` (SVG and PNG). */
  charts: readonly string[];
  environment: ReportEnvironment;
  /** Intervals over repeated runs (`intervalRows`); the "Repeats" section needs them. */
  intervals?: readonly IntervalRow[];
  /** Every write; optional, lets the report name the error codes of failed writes and how fast they came. */
  writes?: readonly WriteRecord[];
  /** The load averages at the start and end of the run; the findings warn when the host was busy. */
  hostLoad?: HostLoad;
  /** The bare relay floor measured in the same run (`--floor`): a finding and a section compare the overheads. */
  floor?: FloorComparison;
}

const GLOSSARY: ReadonlyArray<readonly [string, string]> = [
  [
    'W (write quorum)',
    'how many followers must acknowledge a write before the leader answers the client. W=1 answers after the fastest follower, W=N after the slowest.',
  ],
  [
    'ack',
    'a follower\'s acknowledgement of a write. With ack mode "received" it means the entry is ' +
      'stored in the follower\'s log; with "applied", that it is applied and visible to reads there.',
  ],
  [
    'LSN',
    'log sequence number: the position the leader gives each write in its log. "Entries behind" is the leader\'s LSN minus the follower\'s applied LSN.',
  ],
  [
    'order statistic',
    'the W-th smallest of the N injected delays of one write. ' +
      'A perfect, zero-cost implementation answers exactly then, ' +
      "so it is each write's ideal latency, and its distribution is the model's curve.",
  ],
  [
    'overhead',
    'measured latency minus that ideal: the time the implementation itself adds (HTTP, parsing, timers, scheduling).',
  ],
  ['p50 / p95 / p99', 'the latency that 50% / 95% / 99% of the writes stayed within (the median is p50).'],
  [
    'closed loop / open loop',
    'closed: a fixed number of writes in flight, a new one sent when one finishes. ' +
      'Open: writes start on a schedule whatever happens to earlier ones, as independent clients would.',
  ],
  [
    'drain',
    'waiting after the workload until every follower has received and applied every entry. Afterwards every follower must equal the leader.',
  ],
];

/** Terms only some runs need. */
function extraGlossary(config: SweepConfig): Array<readonly [string, string]> {
  return [
    ...(config.ackModes.includes('applied')
      ? [
          [
            'head-of-line blocking',
            'a follower applies entries in LSN order, so an entry that arrived early waits ' +
              'for every earlier one still in flight; an "applied" ack pays for that wait.',
          ] as const,
        ]
      : []),
    ...(config.repeat > 1
      ? [
          [
            '95% interval',
            'a range that holds, with 95% confidence, the value a statistic would average over many runs; ' +
              'mean ± t·s/√runs (Student-t). Narrower means better pinned down.',
          ] as const,
        ]
      : []),
    ...(config.downFollowers.length > 0
      ? [
          [
            'quorum_unreachable',
            "the leader's answer when too few followers are left to reach W. Indefinite, " +
              'like a timeout: the write stays on the leader and may still reach followers.',
          ] as const,
        ]
      : []),
  ];
}

function chartsSection(charts: readonly string[]): string[] {
  const pngs = charts.filter((file) => file.endsWith('.png'));
  if (pngs.length === 0)
    return ['No chart was rendered in this run (see the console output for why); the numbers below are complete.'];
  return pngs.flatMap((png) => {
    const base = png.slice(0, -'.png'.length);
    const known = chartNamed(base);
    const svg = charts.includes(`${base}.svg`) ? ` ([SVG](${base}.svg))` : '';
    return [`![${known?.alt ?? base}](${png})`, '', `${known?.caption ?? ''}${svg}`.trim(), ''];
  });
}

function summaryTable(summary: readonly SummaryRow[]): string {
  const severalModes = ackModesIn(summary).length > 1;
  const header = [
    ...(severalModes ? ['ack mode'] : []),
    'W',
    'writes',
    'errors',
    'mean',
    'median',
    'p95',
    'p99',
    'model mean',
    'model p99',
    'overhead p50',
    'overhead p99',
  ];
  const rows = [...summary]
    .sort((a, b) => byAckMode(a, b) || a.w - b.w)
    .map((r) => [
      ...(severalModes ? [r.ackMode] : []),
      String(r.w),
      fmtCount(r.count),
      fmtCount(r.errors),
      ...[r.mean, r.median, r.p95, r.p99, r.modelMean, r.modelP99, r.overheadP50, r.overheadP99].map((value) =>
        fmtMs(value),
      ),
    ]);
  return markdownTable(header, rows);
}

/** The largest of some numbers, NaN when none is finite. */
function largest(values: readonly number[]): number {
  const finite = values.filter(Number.isFinite);
  return finite.length === 0 ? NaN : Math.max(...finite);
}

/** Per ack mode and W, over the live followers and every run. */
function consistencyTable(rows: readonly ConsistencyRow[]): string {
  const modes = ackModesIn(rows);
  const header = [
    ...(modes.length > 1 ? ['ack mode'] : []),
    'W',
    'followers not equal at last ack',
    'most entries behind',
    'most keys differing',
    'after drain',
  ];
  const table = modes.flatMap((mode) => {
    const live = liveRows(rows).filter((r) => r.ackMode === mode);
    const ws = [...new Set(rows.filter((r) => r.ackMode === mode).map((r) => r.w))].sort((a, b) => a - b);
    return ws.map((w) => {
      const atW = live.filter((r) => r.w === w);
      const followers = [...new Set(atW.map((r) => r.follower))];
      const behind = followers.filter((f) =>
        atW.some((r) => r.follower === f && (r.lsnBehindAtLastAck > 0 || r.differingKeysAtLastAck > 0)),
      );
      const converged = atW.every((r) => r.lsnBehindAfterDrain === 0 && r.differingKeysAfterDrain === 0);
      return [
        ...(modes.length > 1 ? [mode] : []),
        String(w),
        `${behind.length} of ${followers.length}`,
        fmtCount(largest(atW.map((r) => r.lsnBehindAtLastAck))),
        fmtCount(largest(atW.map((r) => r.differingKeysAtLastAck))),
        converged ? 'all equal' : '**NOT equal**',
      ];
    });
  });
  return markdownTable(header, table);
}

function consistencyLines(rows: readonly ConsistencyRow[], config: SweepConfig): string[] {
  if (rows.length === 0) return ['No consistency check was recorded.'];
  const notes = [
    ...(config.repeat > 1
      ? [
          `Over the ${config.repeat} runs: a follower counts as not equal if it was in any run, and the largest lag is shown.`,
        ]
      : []),
    ...(config.downFollowers.length > 0
      ? [
          `Follower ${config.downFollowers.join(', ')}, stopped on purpose, is not compared (it is "down" in the chart).`,
        ]
      : []),
  ];
  return [...(notes.length > 0 ? [notes.join(' '), ''] : []), consistencyTable(rows)];
}

const ENVIRONMENT_LABELS: Record<string, string> = {
  node: 'Node.js',
  platform: 'platform',
  cpus: 'CPUs',
  cpuModel: 'CPU model',
  memoryGiB: 'memory (GiB)',
  gitCommit: 'git commit',
  loadAverageStart: 'load average at the start (1 / 5 / 15 min)',
  loadAverageEnd: 'load average at the end (1 / 5 / 15 min)',
};

function environmentLines(environment: ReportEnvironment): string[] {
  return Object.entries(environment)
    .filter(([key, value]) => value !== undefined && !/host/i.test(key))
    .map(([key, value]) => `- ${ENVIRONMENT_LABELS[key] ?? key}: ${String(value)}`);
}

/** What makes this run's numbers less telling than they look: a busy host, too few repeats. */
export function cautions(input: Pick<ReportInput, 'config' | 'hostLoad'>): string[] {
  const busy = input.hostLoad === undefined ? undefined : busyHostWarning(input.hostLoad);
  const few = fewRepeatsWarning(input.config.repeat);
  return [busy, few].filter((c): c is string => c !== undefined);
}

/** Findings in plain words, cautions first. */
function findingLines(input: ReportInput): string[] {
  return [...cautions(input).map((c) => `**Caution.** ${c}`), ...runFindings(input)].map((f) => `- ${f}`);
}

/** A `## ` section, or nothing when it has no lines; exactly one blank line after it. */
function section(heading: string, lines: readonly string[]): string[] {
  const body = [...lines];
  while (body.length > 0 && body[body.length - 1] === '') body.pop();
  return body.length === 0 ? [] : [`## ${heading}`, '', ...body, ''];
}

export function buildReportMarkdown(input: ReportInput): string {
  const { config, summary, consistency, charts, environment } = input;
  const intervals = input.intervals ?? [];
  const title = `# Write latency vs write quorum: W = ${config.quorums.join(', ')} with ${plural(config.followers, 'follower')}`;
  const files = [
    "`config.json` (the run's settings)",
    '`writes.json` (every write)',
    `\`summary.csv\` / \`summary.json\` (one row per ${reportedModes(summary, config).length > 1 ? 'ack mode and W' : 'W'})`,
    ...(config.repeat > 1 ? ['`summary-ci.csv` / `summary-ci.json` (95% intervals over the runs)'] : []),
    '`consistency.json` (per W and follower)',
    '`environment.json` (the machine, its load averages, the git commit)',
    ...(input.floor === undefined
      ? []
      : ['`floor.json` (the bare relay floor: settings, per-W figures, the comparison)']),
  ];
  const sections = [
    title,
    '',
    `Read this first. The raw data sits beside it: ${files.join(', ')}, and the charts as SVG and PNG.`,
    '',
    ...section('What was measured', whatWasMeasured(config)),
    ...section('Charts', chartsSection(charts)),
    ...section('Findings', findingLines(input)),
    ...section('Received vs applied', ackModeComparisonLines(summary, intervals, config)),
    ...section('Repeats', config.repeat > 1 ? repeatsLines(intervals, summary) : []),
    ...section('Against the floor', floorLines(input.floor)),
    ...section('Latency per W (ms)', [
      'Latency statistics are over successful writes' +
        (config.repeat > 1 ? `, pooled over the ${config.repeat} runs` : '') +
        '; "model" is the W-th order statistic of the injected delays; "overhead" is latency minus each write\'s own ideal.',
      '',
      summaryTable(summary),
    ]),
    ...section('Consistency per W', consistencyLines(consistency, config)),
    ...section(
      'How to read this',
      [...GLOSSARY, ...extraGlossary(config)].map(([term, meaning]) => `- **${term}**: ${meaning}`),
    ),
    ...section('How to reproduce', [
      'From the repository root (the same seed gives the same keys and injected delays; latencies depend on the machine):',
      '',
      '```sh',
      reproduceCommand(config),
      '```',
      ...(config.runtime === 'external'
        ? [
            '',
            'Add `--follower-urls` and `--cluster-token` as in the original run if it used them (they are not recorded in `config.json`).',
          ]
        : []),
    ]),
    ...section('Environment', environmentLines(environment)),
  ];
  return sections.join('\n');
}
