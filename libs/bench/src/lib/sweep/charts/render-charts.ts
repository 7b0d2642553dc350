/**
 * Renders every chart of a sweep into its folder. A chart that cannot be drawn (say, no write
 * reported its delays, so there is no overhead) is skipped, and one that fails is reported and
 * skipped: the data files and the report matter more than any single picture.
 */
import { renderChart, type RenderOptions } from '../../common/render-chart';
import type { ChartData } from './sweep-chart';
import { planCharts } from './sweep-charts';

/** Renders each planned chart as SVG and PNG; returns the file names written (relative to outDir). */
export async function renderAllCharts(data: ChartData, outDir: string, options: RenderOptions = {}): Promise<string[]> {
  const onWarning = options.onWarning ?? ((message: string) => console.warn(`[charts] ${message}`));
  const written: string[] = [];
  for (const { baseName, spec } of planCharts(data)) {
    try {
      written.push(...(await renderChart(spec, outDir, baseName, { ...options, onWarning })));
    } catch (error) {
      onWarning(`${baseName}: not rendered: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  return written;
}
