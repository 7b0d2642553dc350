/**
 * `compare.md`, the page a person reads first in a comparison's folder: which two runs, what
 * differs between them, the chart, the findings, the full table and how to repeat it. Pure:
 * it builds a string; the caller writes it.
 */
import type { AckMode } from '@quorum-kv/replication-protocol';
import { benchCommandLine, markdownTable, type CommandFlags } from '../common/format';
import { configValueText, runNames, type ConfigDifference, type MetricComparison } from './compare-table';
import { comparisonCells, comparisonHeader } from './compare-format';
import { COMPARE_LATENCY_CHART } from './compare-chart';
import type { RunConfig } from './run-input';

export interface CompareMarkdownInput {
  labelA: string;
  labelB: string;
  dirA: string;
  dirB: string;
  ackModeA: AckMode;
  ackModeB: AckMode;
  configA: RunConfig;
  configB: RunConfig;
  differences: readonly ConfigDifference[];
  table: readonly MetricComparison[];
  findings: readonly string[];
  /** File names of the rendered charts (SVG and PNG) in the comparison's folder. */
  charts: readonly string[];
}

/** The command line that repeats the comparison (the same folders, ack modes and labels; a new output folder). */
export function reproduceCompareCommand(
  input: Pick<CompareMarkdownInput, 'dirA' | 'dirB' | 'ackModeA' | 'ackModeB' | 'labelA' | 'labelB'>,
): string {
  const flags: CommandFlags = [
    ['--a', input.dirA],
    ['--b', input.dirB],
    ['--ack-mode-a', input.ackModeA],
    ['--ack-mode-b', input.ackModeB],
    ['--label-a', input.labelA],
    ['--label-b', input.labelB],
  ];
  return benchCommandLine('compare', flags, true);
}

/** The settings both runs share, e.g. "followers=5, quorums=1,2,3,4,5, ...". */
export function sharedSettings(configA: RunConfig, differences: readonly ConfigDifference[]): string {
  const differing = new Set(differences.map((d) => d.field));
  return Object.entries(configA)
    .filter(([field]) => field !== 'out' && !differing.has(field))
    .map(([field, value]) => `${field}=${configValueText(value)}`)
    .join(', ');
}

function differencesSection({ differences, labelA, labelB, configA }: CompareMarkdownInput): string[] {
  const shared = sharedSettings(configA, differences);
  const sharedLine = shared === '' ? [] : ['', `Shared by both: ${shared}.`];
  if (differences.length === 0)
    return [
      'None: both runs used the same settings (apart from the output folder), so a difference comes from the code, the machine or chance.',
      ...sharedLine,
    ];
  const rows = differences.map((d) => [d.field, `\`${configValueText(d.a)}\``, `\`${configValueText(d.b)}\``]);
  return [markdownTable(['setting', `A: ${labelA}`, `B: ${labelB}`], rows, false), ...sharedLine];
}

function chartSection({ charts, labelA, labelB }: CompareMarkdownInput): string[] {
  const png = `${COMPARE_LATENCY_CHART}.png`;
  if (!charts.includes(png))
    return ['The chart was not rendered (see the console output for why); the table below is complete.'];
  const svg = charts.includes(`${COMPARE_LATENCY_CHART}.svg`) ? ` ([SVG](${COMPARE_LATENCY_CHART}.svg))` : '';
  return [
    `![Write latency vs W, ${runNames(labelA, labelB).a} vs ${runNames(labelA, labelB).b}: mean, median, p95, p99](${png})`,
    '',
    `One panel per statistic, each with its own scale. Solid lines and filled points: A; dashed lines and hollow points: B.${svg}`,
  ];
}

export function buildCompareMarkdown(input: CompareMarkdownInput): string {
  const { labelA, labelB, dirA, dirB, table, findings } = input;
  const names = runNames(labelA, labelB);
  return [
    `# Comparison: ${names.a} vs ${names.b}`,
    '',
    `- ${names.a}: \`${dirA}\`, ack mode ${input.ackModeA}`,
    `- ${names.b}: \`${dirB}\`, ack mode ${input.ackModeB}`,
    '',
    'Read this first. Beside it: `compare.json` (everything below, as data), ' +
      '`compare.csv` (one line per W and metric) and the chart as SVG and PNG. ' +
      "Each run's own folder has its report and every write.",
    '',
    '## Settings that differ',
    '',
    ...differencesSection(input),
    '',
    '## Chart',
    '',
    ...chartSection(input),
    '',
    '## Findings',
    '',
    ...findings.map((f) => `- ${f}`),
    '',
    '## Per W and metric',
    '',
    "Latencies (ms) are over successful writes; overhead is each write's latency minus " +
      'its ideal (the W-th smallest injected delay); errors are failed or timed-out writes. ' +
      'B − A above zero means B is higher (slower); B / A is the ratio; — means a run has no value there.',
    '',
    markdownTable(comparisonHeader(labelA, labelB), table.map(comparisonCells)),
    '',
    '## How to reproduce',
    '',
    '```sh',
    reproduceCompareCommand(input),
    '```',
    '',
  ].join('\n');
}
