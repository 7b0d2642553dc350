/**
 * Browser test of `report.html` (run with tsx by `nx run bench:browser-test`; vega is ESM-only,
 * so this is a plain script, not jest). It runs a small real sweep through the bench's own CLI
 * (a leader and five followers as processes), opens the report.html it wrote from the file
 * system in Debian's Chromium, and checks that every chart drew its marks, the toggles and
 * tooltips work, the tables are there, nothing was logged as an error and no request left the
 * page. It saves a screenshot as report.png beside the report, prints one line per check and
 * `N passed, N failed`, and exits non-zero on any failure.
 *
 * Flags: --report-dir <dir> checks the report.html of an existing sweep folder instead of
 * running a sweep (for debugging the page). Env: BROWSER_TEST_OUT (default tmp/browser-test).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Page } from 'playwright-core';
import { launchChromium, type LaunchedChromium } from './launch-chromium';

const WORKSPACE_ROOT = path.resolve(__dirname, '../../../..');
/** A sweep small enough for a test (about ten seconds), still with every chart. */
const SWEEP_ARGS = ['--writes', '10', '--delay', 'uniform:0:10', '--warmup-writes', '10', '--quorums', '1,2,3'];
const SWEEP_TIMEOUT_MS = 180_000;
const RENDER_TIMEOUT_MS = 30_000;
const CHARTS = ['quorum_vs_latency_full', 'latency_distribution', 'overhead_distribution', 'consistency'];

interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
}

const results: CheckResult[] = [];

function check(name: string, ok: boolean, detail = ''): void {
  results.push({ name, ok, detail });
  console.log(`${ok ? 'PASS' : 'FAIL'} ${name}${detail ? `: ${detail}` : ''}`);
}

/** Runs the bench's quorum-sweep CLI as a child, as `nx run bench:quorum-sweep` would. */
function runSweep(outDir: string): Promise<void> {
  const tsx = path.join(WORKSPACE_ROOT, 'node_modules', '.bin', 'tsx');
  const args = [
    '--tsconfig',
    'libs/bench/tsconfig.json',
    'libs/bench/src/main.ts',
    'quorum-sweep',
    ...SWEEP_ARGS,
    '--out',
    outDir,
  ];
  console.log(`running: tsx ${args.join(' ')}`);
  return new Promise((resolve, reject) => {
    const child = spawn(tsx, args, {
      cwd: WORKSPACE_ROOT,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, CI: 'true' },
    });
    const timer = setTimeout(() => {
      child.kill('SIGTERM');
      reject(new Error(`the sweep did not finish within ${SWEEP_TIMEOUT_MS / 1000} s`));
    }, SWEEP_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`the sweep exited with ${signal ?? `code ${code}`}`));
    });
  });
}

/** Data marks (not legend or axis symbols) of one Vega mark type in a chart, e.g. `symbol`. */
function marksOf(chart: string, mark: string): string {
  return `#chart-${chart} svg .mark-${mark}.role-mark path`;
}

function countMarks(page: Page, chart: string, mark: string): Promise<number> {
  return page.locator(marksOf(chart, mark)).count();
}

async function checkCharts(page: Page, expectedCharts: readonly string[]): Promise<void> {
  const containers = await page
    .locator('.chart')
    .evaluateAll((els) => els.map((el) => ({ id: el.id, rendered: el.getAttribute('data-rendered') })));
  check(
    'every planned chart has a container',
    containers.map((c) => c.id).join(',') === expectedCharts.map((c) => `chart-${c}`).join(','),
    containers.map((c) => c.id).join(', '),
  );
  for (const c of containers) check(`${c.id} rendered`, c.rendered === 'true', `data-rendered=${c.rendered}`);
  const marks: Record<string, string[]> = {
    quorum_vs_latency_full: ['line', 'symbol'],
    latency_distribution: ['line', 'symbol'],
    overhead_distribution: ['line', 'symbol'],
    consistency: ['rect'],
  };
  for (const chart of expectedCharts) {
    for (const mark of marks[chart] ?? ['line']) {
      const count = await countMarks(page, chart, mark);
      check(`${chart} drew ${mark} marks`, count > 0, `${count}`);
    }
  }
}

/** Polls a condition (Vega redraws asynchronously) until it holds or the time is up. */
async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5_000): Promise<boolean> {
  const deadlineMs = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadlineMs) return false;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return true;
}

/** Unticking p99 hides its measured and model points; ticking it again brings them back. */
async function checkMetricToggle(page: Page, wCount: number): Promise<void> {
  const chart = 'quorum_vs_latency_full';
  const boxes = page.locator(`#chart-${chart} .vega-bindings input[type="checkbox"]`);
  check('main chart has a checkbox per statistic', (await boxes.count()) === 4, `${await boxes.count()}`);
  const p99 = page
    .locator(`#chart-${chart} .vega-bindings label`, { hasText: 'p99' })
    .locator('input[type="checkbox"]');
  const before = await countMarks(page, chart, 'symbol');
  await p99.uncheck();
  await waitFor(async () => (await countMarks(page, chart, 'symbol')) !== before);
  const hidden = await countMarks(page, chart, 'symbol');
  // Each W has a measured and a model point per statistic.
  check('unticking p99 hides its points', hidden === before - 2 * wCount, `${before} -> ${hidden} points`);
  await p99.check();
  await waitFor(async () => (await countMarks(page, chart, 'symbol')) === before);
  check('ticking p99 again shows them', (await countMarks(page, chart, 'symbol')) === before);
}

async function checkTooltip(page: Page): Promise<void> {
  // Points of different layers overlap, so move the mouse to one rather than hover an element.
  const point = page.locator(marksOf('quorum_vs_latency_full', 'symbol')).last();
  await point.scrollIntoViewIfNeeded();
  const box = await point.boundingBox();
  if (box === null) return check('hovering a point shows its tooltip', false, 'no point on screen');
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  const tooltip = page.locator('#vg-tooltip-element.visible');
  const shown = await tooltip.waitFor({ state: 'visible', timeout: 5_000 }).then(
    () => true,
    () => false,
  );
  const text = shown ? await tooltip.innerText() : '';
  check(
    'hovering a point shows its tooltip',
    shown && text.includes('Latency (ms)'),
    text.replace(/\s+/g, ' ').slice(0, 120),
  );
  await page.mouse.move(0, 0);
}

/** A click on a W in the legend fades the other W's curves. */
async function checkLegendPick(page: Page): Promise<void> {
  const chart = 'latency_distribution';
  await page.locator(`#chart-${chart} svg .role-legend-symbol path`).first().click();
  const faded = await waitFor(
    async () => (await page.locator(`${marksOf(chart, 'line')}[opacity="0.15"]`).count()) > 0,
  );
  check('clicking a W in the legend picks it out', faded);
}

async function checkTables(page: Page, summaryRows: number, wCount: number): Promise<void> {
  const rows = (section: string) => page.locator(`section#${section} table tbody tr`).count();
  check(
    'summary table has a row per summary.json row',
    (await rows('latency-per-w-ms')) === summaryRows,
    `${await rows('latency-per-w-ms')} rows`,
  );
  check(
    'consistency table has a row per W',
    (await rows('consistency-per-w')) >= wCount,
    `${await rows('consistency-per-w')} rows`,
  );
  check('configuration table is there', (await rows('configuration')) > 5, `${await rows('configuration')} rows`);
  const findings = await page.locator('section#findings li').count();
  check('findings are listed', findings > 3, `${findings}`);
}

async function checkReport(reportDir: string, chromium: LaunchedChromium): Promise<void> {
  const reportFile = path.join(reportDir, 'report.html');
  check(
    'report.html is beside report.md',
    existsSync(reportFile) && existsSync(path.join(reportDir, 'report.md')),
    reportFile,
  );
  if (!existsSync(reportFile)) return;
  const summary = JSON.parse(readFileSync(path.join(reportDir, 'summary.json'), 'utf8')) as Array<{ w: number }>;
  const wCount = new Set(summary.map((r) => r.w)).size;

  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  const offPage: string[] = [];
  const { context } = chromium;
  context.on('request', (request) => {
    if (!/^(file|data):/.test(request.url())) offPage.push(request.url());
  });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));

  const startedMs = Date.now();
  await page.goto(pathToFileURL(reportFile).href);
  const settled = await page
    .waitForSelector('html[data-charts="done"]', { state: 'attached', timeout: RENDER_TIMEOUT_MS })
    .then(
      () => true,
      () => false,
    );
  check('charts settled', settled, `${Date.now() - startedMs} ms after opening`);
  check('page title', (await page.title()).startsWith('Write latency vs write quorum'), await page.title());

  await checkCharts(page, CHARTS);
  await checkTables(page, summary.length, wCount);
  const screenshot = path.join(reportDir, 'report.png');
  await page.screenshot({ path: screenshot, fullPage: true });
  console.log(`screenshot: ${path.relative(WORKSPACE_ROOT, screenshot)}`);
  // Each interaction is its own check: one that throws does not hide the others.
  for (const [name, run] of [
    ['tooltip', () => checkTooltip(page)],
    ['metric toggle', () => checkMetricToggle(page, wCount)],
    ['legend pick', () => checkLegendPick(page)],
  ] as const) {
    await run().catch((error: unknown) =>
      check(name, false, error instanceof Error ? error.message.split('\n')[0] : String(error)),
    );
  }

  check('no console errors', consoleErrors.length === 0, consoleErrors.join(' | ').slice(0, 500));
  check('no page errors', pageErrors.length === 0, pageErrors.join(' | ').slice(0, 500));
  check('no request left the page (file: and data: only)', offPage.length === 0, offPage.join(', ').slice(0, 500));
  await page.close();
}

function reportDirFlag(): string | undefined {
  const i = process.argv.indexOf('--report-dir');
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const startedMs = Date.now();
  let reportDir = reportDirFlag();
  if (reportDir === undefined) {
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    reportDir = path.resolve(
      WORKSPACE_ROOT,
      process.env['BROWSER_TEST_OUT'] ?? 'tmp/browser-test',
      `report-html-${stamp}`,
    );
    await runSweep(reportDir);
  }
  const chromium = await launchChromium();
  try {
    await checkReport(path.resolve(reportDir), chromium);
  } finally {
    await chromium.close();
  }
  console.log(
    `report folder: ${path.relative(WORKSPACE_ROOT, path.resolve(reportDir))} (${((Date.now() - startedMs) / 1000).toFixed(1)} s)`,
  );
}

main()
  .catch((error: unknown) => check('browser test ran', false, error instanceof Error ? error.message : String(error)))
  .finally(() => {
    const failed = results.filter((r) => !r.ok).length;
    console.log(`report-html browser test: ${results.length - failed} passed, ${failed} failed`);
    process.exitCode = failed > 0 ? 1 : 0;
  });
