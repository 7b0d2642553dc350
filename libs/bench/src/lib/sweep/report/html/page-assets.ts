/**
 * The fixed parts of `report.html`: its style sheet, its Content-Security-Policy and the small
 * script that draws the embedded chart specs with vega-embed. Kept apart from the page builder
 * so that one reads as the page's outline.
 */

/**
 * Nothing may leave the page: no fetch, no image, font or style from anywhere. Vega compiles
 * its expressions with `new Function` ('unsafe-eval'); vega-embed adds its own style element;
 * the export menu makes PNGs and SVGs as data: and blob: URLs. It holds no double quote or
 * ampersand, so it sits in the meta element's attribute unescaped.
 */
export const REPORT_CSP =
  "default-src 'none'; script-src 'unsafe-inline' 'unsafe-eval'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:";

export const REPORT_CSS = `
:root { color-scheme: light; }
body { font-family: 'DejaVu Sans', system-ui, sans-serif; color: #222; background: #fff; margin: 0; line-height: 1.5; }
main { max-width: 1120px; margin: 0 auto; padding: 24px 32px 64px; }
h1 { font-size: 1.6rem; margin: 0.5rem 0 1rem; }
h2 { font-size: 1.25rem; margin-top: 2.5rem; border-bottom: 1px solid #ddd; padding-bottom: 0.25rem; }
nav ul { display: flex; flex-wrap: wrap; gap: 0.25rem 1.25rem; padding: 0; list-style: none; font-size: 0.95rem; }
a { color: #1f5fa8; }
code { font-family: 'DejaVu Sans Mono', monospace; font-size: 0.9em; background: #f3f3f3; padding: 0 0.2em; border-radius: 3px; }
pre { background: #f6f6f6; padding: 12px; overflow-x: auto; border-radius: 4px; }
pre code { background: none; padding: 0; }
table { border-collapse: collapse; margin: 0.75rem 0; font-size: 0.92rem; }
th, td { border: 1px solid #d8d8d8; padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: #f3f5f8; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:nth-child(even) { background: #fafafa; }
figure { margin: 1.5rem 0 2rem; }
figcaption { color: #444; max-width: 800px; margin-top: 0.5rem; font-size: 0.95rem; }
.chart { min-height: 120px; overflow-x: auto; }
.chart-error { color: #b00020; font-weight: bold; }
.vega-bindings { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; margin: 0.25rem 0 0 12px; font-size: 0.95rem; }
.vega-bind label { cursor: pointer; }
.hint { color: #555; font-size: 0.95rem; }
footer { color: #666; font-size: 0.85rem; margin-top: 3rem; border-top: 1px solid #eee; padding-top: 0.75rem; }
`;

/**
 * Draws every chart of the embedded data into its container. Each container ends with
 * data-rendered="true" or "failed" (and says why), and the <html> element with
 * data-charts="done" once all have settled, which is what the browser test waits for.
 */
export const REPORT_BOOTSTRAP = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var options = {
    mode: 'vega-lite',
    renderer: 'svg',
    actions: { export: true, source: false, compiled: false, editor: false }
  };
  var embed = typeof vegaEmbed === 'function' ? vegaEmbed : function () {
    return Promise.reject(new Error('vega-embed did not load'));
  };
  var pending = data.charts.map(function (chart) {
    var container = document.getElementById(chart.containerId);
    var opts = Object.assign({}, options, { downloadFileName: chart.baseName });
    return Promise.resolve().then(function () {
      return embed(container, chart.spec, opts);
    }).then(function () {
      container.setAttribute('data-rendered', 'true');
    }).catch(function (error) {
      container.setAttribute('data-rendered', 'failed');
      var message = document.createElement('p');
      message.className = 'chart-error';
      message.textContent = 'This chart could not be drawn: ' + (error && error.message ? error.message : String(error));
      container.appendChild(message);
      console.error('report.html: chart ' + chart.baseName + ' failed:', error);
    });
  });
  Promise.all(pending).then(function () {
    document.documentElement.setAttribute('data-charts', 'done');
  });
})();
`;

/** The opening of every report page, down to its `<h1>`: one CSP and one stylesheet for all of them. */
export function reportPageHead(title: string, escape: (text: string) => string): string[] {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${REPORT_CSP}">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escape(title)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<h1>${escape(title)}</h1>`,
  ];
}
