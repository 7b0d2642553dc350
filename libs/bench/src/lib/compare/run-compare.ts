/**
 * `bench compare`: reads two result folders, prints the comparison and writes it into its own
 * folder (compare.json, compare.csv, compare_latency.svg/.png, compare.md). Everything it
 * shows is computed by the pure modules beside it; this file only reads, prints and writes.
 * A chart that fails to render is reported and skipped: the numbers matter more.
 */
import type { AckMode } from '@quorum-kv/replication-protocol';
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { renderChart } from '../common/render-chart';
import { CompareError } from './compare-error';
import type { CompareCli } from './compare-cli';
import { comparisonCsv, comparisonText } from './compare-format';
import { buildCompareMarkdown } from './compare-md';
import { COMPARE_LATENCY_CHART } from './compare-chart';
import { configDifferencesText } from './compare-table';
import { buildComparison, comparisonJson, type Comparison } from './comparison';
import {
  CONFIG_FILE,
  CONSISTENCY_FILE,
  parseJsonText,
  parseRun,
  runName,
  SUMMARY_FILE,
  type RunData,
  type RunRole,
} from './run-input';

export interface CompareOutput {
  /** Receives every line of the console output (default: stdout). */
  print?: (line: string) => void;
  /** Receives chart warnings (default: stderr). */
  warn?: (line: string) => void;
}

export interface CompareResult {
  outDir: string;
  comparison: Comparison;
  files: string[];
}

const isMissing = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
const reason = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function readJson(role: RunRole, dir: string, file: string, required: boolean): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path.join(dir, file), 'utf8');
  } catch (error) {
    if (isMissing(error) && !required) return undefined;
    if (isMissing(error))
      throw new CompareError(`${runName(role, dir)}: no ${file} there; is it a quorum-sweep result folder?`);
    throw new CompareError(`${runName(role, dir)}: cannot read ${file}: ${reason(error)}`);
  }
  return parseJsonText(text, role, dir, file);
}

/** Reads and validates one side: `wanted` picks the ack mode of a folder that measured several. */
export async function readRun(role: RunRole, dir: string, wanted?: AckMode): Promise<RunData> {
  const folder = await stat(dir).catch(() => undefined);
  if (folder === undefined) throw new CompareError(`${runName(role, dir)}: the folder does not exist`, 2);
  if (!folder.isDirectory()) throw new CompareError(`${runName(role, dir)}: not a folder`, 2);
  const config = await readJson(role, dir, CONFIG_FILE, true);
  const summary = await readJson(role, dir, SUMMARY_FILE, true);
  const consistency = await readJson(role, dir, CONSISTENCY_FILE, false);
  return parseRun(role, dir, { config, summary, ...(consistency !== undefined && { consistency }) }, wanted);
}

async function writeOut(outDir: string, file: string, content: string): Promise<string> {
  try {
    await writeFile(path.join(outDir, file), content);
  } catch (error) {
    throw new CompareError(`could not write ${path.join(outDir, file)}: ${reason(error)}`);
  }
  return file;
}

function consoleReport(comparison: Comparison): string[] {
  const { labelA, labelB, runA, runB } = comparison;
  return [
    `A: ${labelA} (${runA.dir}, ack mode ${runA.ackMode})`,
    `B: ${labelB} (${runB.dir}, ack mode ${runB.ackMode})`,
    `settings that differ: ${configDifferencesText(comparison.differences)}`,
    '',
    comparisonText(comparison.table, labelA, labelB),
    '',
    'findings:',
    ...comparison.findings.map((f) => `- ${f}`),
    '',
  ];
}

export async function runCompare(cli: CompareCli, output: CompareOutput = {}): Promise<CompareResult> {
  const print = output.print ?? ((line: string) => process.stdout.write(`${line}\n`));
  const warn = output.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
  const runA = await readRun('A', cli.dirA, cli.ackModeA);
  const runB = await readRun('B', cli.dirB, cli.ackModeB);
  const comparison = buildComparison(runA, runB, {
    ...(cli.labelA !== undefined && { labelA: cli.labelA }),
    ...(cli.labelB !== undefined && { labelB: cli.labelB }),
  });
  consoleReport(comparison).forEach((line) => print(line));

  try {
    await mkdir(cli.outDir, { recursive: true });
  } catch (error) {
    throw new CompareError(`could not create ${cli.outDir}: ${reason(error)}`);
  }
  const files = [
    await writeOut(cli.outDir, 'compare.json', JSON.stringify(comparisonJson(comparison), null, 2) + '\n'),
    await writeOut(cli.outDir, 'compare.csv', comparisonCsv(comparison.table)),
  ];
  let charts: string[] = [];
  try {
    charts = await renderChart(comparison.chartSpec, cli.outDir, COMPARE_LATENCY_CHART, {
      onWarning: (message) => warn(`[charts] ${message}`),
    });
  } catch (error) {
    warn(`[charts] ${COMPARE_LATENCY_CHART}: not rendered: ${reason(error)}`);
  }
  files.push(...charts);
  const markdown = buildCompareMarkdown({
    labelA: comparison.labelA,
    labelB: comparison.labelB,
    dirA: runA.dir,
    dirB: runB.dir,
    ackModeA: runA.ackMode,
    ackModeB: runB.ackMode,
    configA: runA.config,
    configB: runB.config,
    differences: comparison.differences,
    table: comparison.table,
    findings: comparison.findings,
    charts,
  });
  files.unshift(await writeOut(cli.outDir, 'compare.md', markdown));
  print(`compare results in ${cli.outDir}: ${files.join(', ')}`);
  return { outDir: cli.outDir, comparison, files };
}
