/** Writes `report.html` into a run's folder, with the chart libraries read from node_modules. */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { buildReportHtml, REPORT_HTML_FILE, type ReportHtmlInput } from './report-html';
import { loadVegaSources } from './vega-sources';

export type WriteReportHtmlInput = Omit<ReportHtmlInput, 'vegaSources'> & Partial<Pick<ReportHtmlInput, 'vegaSources'>>;

/** Builds the page and writes it as `<outDir>/report.html`; returns the file's path. */
export async function writeReportHtml(outDir: string, input: WriteReportHtmlInput): Promise<string> {
  const vegaSources = input.vegaSources ?? (await loadVegaSources());
  const file = path.join(outDir, REPORT_HTML_FILE);
  await writeFile(file, buildReportHtml({ ...input, vegaSources }));
  return file;
}
