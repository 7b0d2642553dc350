/**
 * `report.html`: report.md as one self-contained page with interactive charts. It opens from
 * the file system and loads nothing: Vega, Vega-Lite and vega-embed are inlined from the
 * installed packages, the data is embedded as JSON, and a Content-Security-Policy forbids any
 * request. The text, findings and tables are report.md's own (`buildReportMarkdown`, rendered
 * by markdown-it with raw HTML off), so the two reports never disagree; the charts are the specs
 * the PNGs come from, decorated with tooltips and toggles, under the captions their definitions hold.
 * The findings come first, then report.md's other sections in its order. Pure: builds a string; the caller writes it.
 */
import { chartNamed } from '../../charts/sweep-charts';
import type { SweepConfig, WriteRecord } from '../../records';
import { buildReportMarkdown, type ReportInput } from '../report-md';
import { interactiveCharts, type InteractiveChart } from './interactive-charts';
import { escapeHtml, markdown, markdownSections } from '../../../common/markdown-html';
import { REPORT_BOOTSTRAP, reportPageHead } from './page-assets';
import { scriptSafeJson, scriptSafeSource } from './script-safe';

/** The browser builds of the chart libraries, as JavaScript source (UMD: they set globals). */
export interface VegaSources {
  vega: string;
  vegaLite: string;
  vegaEmbed: string;
  /** Package versions, named in the page's footer. */
  versions?: { vega: string; vegaLite: string; vegaEmbed: string };
}

/**
 * What report.md is built from (its input passes through untouched, so fields it gains later
 * reach it here too), with every write instead of the chart file names, and the libraries.
 */
export type ReportHtmlInput = Omit<ReportInput, 'charts'> & {
  /** Every write; only the distribution charts use them, thinned to their ECDF points. */
  writes: readonly WriteRecord[];
  vegaSources: VegaSources;
  /** Chart files beside the page (what `renderAllCharts` returned), linked under each chart. */
  charts?: readonly string[];
};

/** The report.md section the interactive charts replace, and the one the configuration follows (else it goes last). */
const CHARTS_SECTION = 'Charts';
/** The section the page opens with: what the run found, before how it was measured. */
export const FIRST_SECTION = 'Findings';
const CONFIGURATION_AFTER = 'Consistency per W';

export const REPORT_HTML_FILE = 'report.html';

export function chartContainerId(baseName: string): string {
  return `chart-${baseName}`;
}

function sectionId(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function chartFigure(chart: InteractiveChart, files: readonly string[]): string {
  const definition = chartNamed(chart.baseName);
  const links = ['png', 'svg']
    .map((ext) => `${chart.baseName}.${ext}`)
    .filter((file) => files.includes(file))
    .map((file) => `<a href="${escapeHtml(file)}">${escapeHtml(file)}</a>`);
  const parts = [
    definition === undefined ? '' : markdown.renderInline(definition.caption),
    definition?.hint === undefined ? '' : `<span class="hint">${escapeHtml(definition.hint)}</span>`,
    links.length > 0 ? `Static: ${links.join(', ')}.` : '',
  ].filter((p) => p !== '');
  return [
    `<figure id="figure-${escapeHtml(chart.baseName)}">`,
    `<div class="chart" id="${escapeHtml(chartContainerId(chart.baseName))}" data-chart="${escapeHtml(chart.baseName)}"></div>`,
    `<figcaption>${parts.join(' ')}</figcaption>`,
    '</figure>',
  ].join('\n');
}

function chartsHtml(charts: readonly InteractiveChart[], files: readonly string[]): string {
  if (charts.length === 0) return '<p>This run has no data to chart; the numbers below are complete.</p>';
  return [
    '<noscript><p>The charts need JavaScript (inlined in this page; nothing is downloaded). ' +
      'The PNG files beside this page show the same charts.</p></noscript>',
    ...charts.map((chart) => chartFigure(chart, files)),
  ].join('\n');
}

function configValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (Array.isArray(value)) return value.length === 0 ? '—' : value.map(String).join(', ');
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

/** The run's settings as in `config.json`, one row each. */
export function configurationTableHtml(config: SweepConfig): string {
  const rows = Object.entries(config).map(
    ([key, value]) =>
      `<tr><th scope="row"><code>${escapeHtml(key)}</code></th><td>${escapeHtml(configValue(value))}</td></tr>`,
  );
  return `<table class="configuration">\n<tbody>\n${rows.join('\n')}\n</tbody>\n</table>`;
}

function section(heading: string, body: string): string {
  return `<section id="${sectionId(heading)}">\n<h2>${escapeHtml(heading)}</h2>\n${body}\n</section>`;
}

function footer(sources: VegaSources): string {
  const v = sources.versions;
  const versions = v
    ? ` (Vega ${escapeHtml(v.vega)}, Vega-Lite ${escapeHtml(v.vegaLite)}, vega-embed ${escapeHtml(v.vegaEmbed)})`
    : '';
  return (
    `<footer>Self-contained: the chart libraries${versions} and the data are inside this file, ` +
    `and the page makes no network request. The same report as Markdown: ` +
    `<a href="report.md">report.md</a>.</footer>`
  );
}

export function buildReportHtml(input: ReportHtmlInput): string {
  const { writes, vegaSources, charts: chartFiles = [], ...reportInput } = input;
  const { config } = reportInput;
  const summary = [...reportInput.summary];
  const consistency = [...reportInput.consistency];
  const charts = interactiveCharts({ ...reportInput, summary, writes: [...writes], consistency });
  const report = buildReportMarkdown({ ...reportInput, writes, charts: charts.map((c) => `${c.baseName}.png`) });
  const { title, intro, sections } = markdownSections(report);

  const configuration = {
    heading: 'Configuration',
    html: `<p>As written to <code>config.json</code>.</p>\n${configurationTableHtml(config)}`,
  };
  const parts: Array<{ heading: string; html: string }> = [];
  for (const s of sections) {
    parts.push({
      heading: s.heading,
      html: s.heading === CHARTS_SECTION ? chartsHtml(charts, chartFiles) : markdown.render(s.lines.join('\n')),
    });
    if (s.heading === CONFIGURATION_AFTER) parts.push(configuration);
  }
  if (!parts.includes(configuration)) parts.push(configuration);
  const first = parts.findIndex((p) => p.heading === FIRST_SECTION);
  if (first > 0) parts.unshift(...parts.splice(first, 1));
  const nav = `<nav><ul>${parts.map((p) => `<li><a href="#${sectionId(p.heading)}">${escapeHtml(p.heading)}</a></li>`).join('')}</ul></nav>`;
  const data = {
    ...reportInput,
    charts: charts.map((c) => ({ baseName: c.baseName, containerId: chartContainerId(c.baseName), spec: c.spec })),
  };

  return [
    ...reportPageHead(title, escapeHtml),
    markdown.render(intro.join('\n')),
    nav,
    ...parts.map((p) => section(p.heading, p.html)),
    footer(vegaSources),
    '</main>',
    `<script type="application/json" id="report-data">${scriptSafeJson(data)}</script>`,
    `<script id="vega-source">${scriptSafeSource(vegaSources.vega)}</script>`,
    `<script id="vega-lite-source">${scriptSafeSource(vegaSources.vegaLite)}</script>`,
    `<script id="vega-embed-source">${scriptSafeSource(vegaSources.vegaEmbed)}</script>`,
    `<script id="report-bootstrap">${REPORT_BOOTSTRAP}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
