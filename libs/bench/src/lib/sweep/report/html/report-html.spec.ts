import { asJson, fakeConfig, fakeConsistencyRow, fakeSummaryRow, fakeWrite } from '../../charts/testing';
import { latencyTrendFinding } from '../findings';
import { buildReportHtml, chartContainerId, configurationTableHtml, type ReportHtmlInput } from './report-html';

const summary = [1, 2, 3].map((w) => fakeSummaryRow(w));
const consistency = [1, 2, 3].flatMap((w) =>
  [1, 2].map((f) => fakeConsistencyRow(w, f, { lsnBehindAtLastAck: 3 - w })),
);
const writes = [1, 2, 3].flatMap((w) => [0, 1, 2].map((seq) => fakeWrite(w, seq, 100 * w + seq)));
const vegaSources = {
  vega: 'window.vega = {};',
  vegaLite: 'window.vegaLite = {};',
  vegaEmbed: 'window.vegaEmbed = function () {};',
  versions: { vega: '6.4.0', vegaLite: '6.5.0', vegaEmbed: '7.3.0' },
};

function input(overrides: Partial<ReportHtmlInput> = {}): ReportHtmlInput {
  return {
    config: fakeConfig({ quorums: [1, 2, 3] }),
    summary,
    consistency,
    writes,
    environment: { node: 'v20.20.2', cpus: 2 },
    vegaSources,
    ...overrides,
  };
}

/** The page's embedded JSON, parsed back as the browser will. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function embeddedData(html: string): any {
  const match = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  if (!match) throw new Error('no report-data script');
  return JSON.parse(match[1] as string);
}

function scriptBodies(html: string): string[] {
  return [...html.matchAll(/<script[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1] as string);
}

describe('buildReportHtml', () => {
  const html = buildReportHtml(input());

  it('is one HTML document titled like report.md', () => {
    expect(html.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(html).toContain('<title>Write latency vs write quorum: W = 1, 2, 3 with 5 followers</title>');
    expect(html).toContain('<h1>Write latency vs write quorum: W = 1, 2, 3 with 5 followers</h1>');
    expect(html.trimEnd().endsWith('</html>')).toBe(true);
  });

  it("shows report.md's findings, in its words", () => {
    expect(html).toContain('<h2>Findings</h2>');
    expect(html).toContain(`<li>${latencyTrendFinding(summary)}</li>`);
  });

  it.each([
    { why: 'a run once', repeat: 1 },
    { why: 'a repeated run (its cautions open the findings)', repeat: 2 },
  ])('opens with the findings, first in the page and first in its navigation: $why', ({ repeat }) => {
    const page = buildReportHtml(input({ config: fakeConfig({ quorums: [1, 2, 3], repeat }) }));
    const sections = [...page.matchAll(/<section id="([^"]+)">/g)].map((m) => m[1]);
    const links = [...page.matchAll(/<li><a href="#([^"]+)">/g)].map((m) => m[1]);
    expect(sections[0]).toBe('findings');
    expect(links[0]).toBe('findings');
    // The others keep report.md's order, and none is lost.
    expect(sections.slice(1, 3)).toEqual(['what-was-measured', 'charts']);
    expect(new Set(sections).size).toBe(sections.length);
    expect(sections).toContain('configuration');
  });

  it('holds the summary table, one row per W, numbers right-aligned', () => {
    const table = /<section id="latency-per-w-ms">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
    expect(table).toContain('<th class="num">p99</th>');
    expect(table.match(/<tbody>([\s\S]*?)<\/tbody>/)?.[1]?.match(/<tr>/g)).toHaveLength(3);
    expect(table).toContain(`<td class="num">${(1000 / 6 + 400).toFixed(1)}</td>`);
  });

  it('holds the consistency table, one row per W', () => {
    const table = /<section id="consistency-per-w">([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
    expect(table).toContain('most entries behind');
    expect(table.match(/<tbody>([\s\S]*?)<\/tbody>/)?.[1]?.match(/<tr>/g)).toHaveLength(3);
    expect(table).toContain('all equal');
  });

  it("lists the run's configuration after the tables", () => {
    expect(html).toContain('<section id="configuration">');
    expect(html.indexOf('id="consistency-per-w"')).toBeLessThan(html.indexOf('id="configuration"'));
    expect(html).toContain('<li><a href="#configuration">Configuration</a></li>');
    expect(html).toContain('<th scope="row"><code>delay</code></th><td>uniform:0:1000</td>');
    expect(html).toContain('<th scope="row"><code>quorums</code></th><td>1, 2, 3</td>');
  });

  it('embeds every planned chart as a decorated Vega-Lite spec with its container', () => {
    const data = embeddedData(html);
    expect(data.charts.map((c: { baseName: string }) => c.baseName)).toEqual([
      'quorum_vs_latency_full',
      'latency_distribution',
      'overhead_distribution',
      'consistency',
    ]);
    for (const chart of data.charts)
      expect(html).toContain(
        `<div class="chart" id="${chartContainerId(chart.baseName)}" data-chart="${chart.baseName}"></div>`,
      );
    const main = data.charts[0].spec;
    expect(main.params.map((p: { bind: { input: string } }) => p.bind.input)).toEqual([
      'checkbox',
      'checkbox',
      'checkbox',
      'checkbox',
    ]);
    expect(main.encoding.tooltip.length).toBeGreaterThan(0);
    expect(data.summary).toEqual(asJson(summary));
  });

  it("puts report.md's caption under each chart, and links the static files that exist", () => {
    const withFiles = buildReportHtml(input({ charts: ['quorum_vs_latency_full.svg', 'quorum_vs_latency_full.png'] }));
    expect(withFiles).toContain('Solid lines are measured, dashed lines are the model');
    expect(withFiles).toContain('<a href="quorum_vs_latency_full.png">quorum_vs_latency_full.png</a>');
    expect(withFiles).not.toContain('href="consistency.png"');
    expect(html).not.toContain('<a href="quorum_vs_latency_full.png">');
  });

  it('inlines the three libraries, then the script that draws the charts', () => {
    const bodies = scriptBodies(html);
    expect(bodies.slice(1, 4)).toEqual([vegaSources.vega, vegaSources.vegaLite, vegaSources.vegaEmbed]);
    expect(bodies[4]).toContain('embed(container, chart.spec, opts)');
    expect(html).toContain('Vega 6.4.0, Vega-Lite 6.5.0, vega-embed 7.3.0');
  });

  it('loads nothing from anywhere: no src or href to a URL, and a CSP that forbids requests', () => {
    expect(html).not.toMatch(/<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=/i);
    expect(html).not.toMatch(/\b(src|href)\s*=\s*["']?(https?:)?\/\//i);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none';`);
  });

  it('keeps a </script> in the data or the libraries from ending its script element', () => {
    const hostile = '</script><script>alert(1)</script><!--';
    const page = buildReportHtml(
      input({
        environment: { note: hostile },
        vegaSources: { ...vegaSources, vega: `var s = "${hostile}"; var r = /<\\/script>/; var t = "</SCRIPT>";` },
      }),
    );
    // Five script elements, so exactly five closing tags; with no `<!--` an opening tag inside one is inert text.
    expect(page.match(/<\/script/gi)).toHaveLength(5);
    expect(page).not.toContain('<!--');
    expect(embeddedData(page).environment.note).toBe(hostile);
    // The escaped library source still means the same string to JavaScript.
    const vega = scriptBodies(page)[1] as string;
    expect(new Function(`${vega}; return s;`)()).toBe(hostile);
    expect(new Function(`${vega}; return t;`)()).toBe('</SCRIPT>');
    // And the text of the page escapes it as well.
    expect(page).toContain('note: &lt;/script&gt;');
  });

  it('says so when there is nothing to chart', () => {
    const empty = buildReportHtml(input({ summary: [], consistency: [], writes: [] }));
    expect(embeddedData(empty).charts).toEqual([]);
    expect(empty).toContain('This run has no data to chart');
  });
});

describe('configurationTableHtml', () => {
  it('shows null and empty lists as a dash and escapes every value', () => {
    const table = configurationTableHtml({ ...fakeConfig(), delay: 'a<b', leaderUrl: undefined } as never);
    expect(table).toContain('<td>a&lt;b</td>');
    expect(table).toContain('<th scope="row"><code>leaderUrl</code></th><td>—</td>');
  });
});
