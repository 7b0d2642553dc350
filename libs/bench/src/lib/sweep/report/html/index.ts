// report.html: the pure page builder and its pieces, the loader of the chart libraries, the writer.
export * from './report-html';
export * from './interactive-charts';
export * from './markdown-html';
export * from './script-safe';
export * from './vega-sources';
export * from './write-report-html';
