/**
 * The durability sweep from end to end: every cell run against the target, then the run's
 * folder: config, every write, crash and read, the summary per (W, R), the heat map, and the
 * reports. The run has failed when the model was violated or a cell could not be checked.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import path from 'node:path';
import type { TopLevelSpec } from 'vega-lite';
import type { Progress } from '../common/progress';
import type { DurabilityCell, DurabilityConfig } from './durability-records';
import { buildDurabilityHtml, buildDurabilityMarkdown } from './durability-report';
import {
  durabilityCsv,
  summarizeCell,
  summarizeDurability,
  sweepVerdict,
  type SweepVerdict,
} from './durability-summary';
import type { Clock, DurabilityTarget } from './durability-target';
import { DURABILITY_HEATMAP_CHART, durabilityHeatMapSpec } from './heat-map-chart';
import { runDurabilityCells } from './run-durability';

export const wallClock: Clock = {
  nowMs: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** Renders a spec to `<baseName>.svg` and `.png` in a folder and returns the file names (the charts' renderChart). */
export type RenderChart = (spec: TopLevelSpec, outDir: string, baseName: string) => Promise<string[]>;

export interface DurabilitySweepResult {
  outDir: string;
  cells: DurabilityCell[];
  verdict: SweepVerdict;
  files: string[];
}

async function defaultRender(spec: TopLevelSpec, outDir: string, baseName: string): Promise<string[]> {
  const { renderChart } = await import('../common/render-chart');
  return renderChart(spec, outDir, baseName);
}

export async function runDurabilitySweep(
  config: DurabilityConfig,
  target: DurabilityTarget,
  progress: Progress,
  options: { clock?: Clock; render?: RenderChart } = {},
): Promise<DurabilitySweepResult> {
  const clock = options.clock ?? wallClock;
  const render = options.render ?? defaultRender;
  const out = config.out;
  await mkdir(out, { recursive: true });
  await writeJson(out, 'config.json', config);
  const run = await runDurabilityCells(target, config, clock, {
    log: progress.log,
    onCellStart: (w, r) => progress.start(`W=${w} R=${r}`, config.writes),
    onWrite: () => progress.tick(),
    onCell: (w, r, result) => {
      const cell = summarizeCell({ followers: config.followers, quorums: [w], recoveryQuorums: [r], ...result }, w, r);
      const recovered = result.crashes.filter((c) => c.recovered).length;
      progress.done(
        `${cell.acknowledged} of ${cell.writes} writes acknowledged, ${cell.lost} lost (model: ${cell.modelVerdict}); ` +
          `${recovered} of ${result.crashes.length} crashes recovered${cell.status === 'held' ? '' : `; ${cell.status.toUpperCase()}`}`,
      );
    },
  });
  const cells = summarizeDurability({
    followers: config.followers,
    quorums: config.quorums,
    recoveryQuorums: config.recoveryQuorums,
    ...run,
  });
  await writeJson(out, 'writes.json', run.writes);
  await writeJson(out, 'crashes.json', run.crashes);
  await writeJson(out, 'checks.json', run.checks);
  await writeJson(out, 'durability-summary.json', cells);
  await writeFile(path.join(out, 'durability-summary.csv'), durabilityCsv(cells));
  progress.log('rendering the heat map');
  let charts: string[] = [];
  try {
    charts = await render(durabilityHeatMapSpec(cells, config.crashes), out, DURABILITY_HEATMAP_CHART);
  } catch (error) {
    progress.log(
      `[charts] ${DURABILITY_HEATMAP_CHART}: not rendered: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const svgFile = charts.find((f) => f.endsWith('.svg'));
  const svg = svgFile ? await readFile(path.join(out, svgFile), 'utf8') : null;
  const input = { config, cells, crashes: run.crashes, charts };
  await writeFile(path.join(out, 'report.md'), buildDurabilityMarkdown(input));
  await writeFile(path.join(out, 'report.html'), buildDurabilityHtml(input, svg));
  const files = [
    'report.md',
    'report.html',
    'durability-summary.csv',
    'durability-summary.json',
    'writes.json',
    'crashes.json',
    'checks.json',
    'config.json',
    ...charts,
  ];
  return { outDir: out, cells, verdict: sweepVerdict(cells), files };
}

async function writeJson(dir: string, name: string, value: unknown): Promise<void> {
  await writeFile(path.join(dir, name), JSON.stringify(value, null, 2) + '\n');
}
