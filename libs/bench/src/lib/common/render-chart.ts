/**
 * Renders one Vega-Lite spec to `<baseName>.svg` and `<baseName>.png` in a folder. The SVG
 * comes from Vega's headless view; resvg rasterises it with the system's fonts (without them
 * it silently drops every text), scaled up for crisp PNGs.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import type { TopLevelSpec } from 'vega-lite';
import { CHART_BACKGROUND, CHART_FONT } from './chart-theme';
import { loadVega } from './load-vega';

export const DEFAULT_PNG_SCALE = 2;

export interface RenderOptions {
  /** PNG pixels per SVG pixel (default 2). */
  pngScale?: number;
  /** Receives Vega-Lite's compile warnings and Vega's runtime warnings (default: console.warn). */
  onWarning?: (message: string) => void;
}

const defaultWarning = (message: string) => console.warn(`[charts] ${message}`);

/** Compiles and renders the spec to an SVG string (no files written). */
export async function chartToSvg(
  spec: TopLevelSpec,
  onWarning: (message: string) => void = defaultWarning,
): Promise<string> {
  const { vega, vegaLite } = await loadVega();
  const forward = (...args: readonly unknown[]) => onWarning(args.map(String).join(' '));
  let level = vega.Warn;
  const logger = {
    level(value?: number) {
      if (value === undefined) return level;
      level = value;
      return logger;
    },
    error: (...args: readonly unknown[]) => (forward(...args), logger),
    warn: (...args: readonly unknown[]) => (forward(...args), logger),
    info: () => logger,
    debug: () => logger,
  };
  const compiled = vegaLite.compile(spec, { logger });
  const view = new vega.View(vega.parse(compiled.spec), { renderer: 'none', logger, logLevel: vega.Warn });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export function svgToPng(svg: string, pngScale = DEFAULT_PNG_SCALE): Buffer {
  const resvg = new Resvg(svg, {
    background: CHART_BACKGROUND,
    fitTo: { mode: 'zoom', value: pngScale },
    font: { loadSystemFonts: true, defaultFontFamily: CHART_FONT },
  });
  return resvg.render().asPng();
}

/** Writes `<baseName>.svg` and `<baseName>.png` into outDir (created if missing); returns the two file names. */
export async function renderChart(
  spec: TopLevelSpec,
  outDir: string,
  baseName: string,
  options: RenderOptions = {},
): Promise<string[]> {
  const svg = await chartToSvg(spec, options.onWarning);
  const png = svgToPng(svg, options.pngScale);
  await mkdir(outDir, { recursive: true });
  const files = [`${baseName}.svg`, `${baseName}.png`];
  await writeFile(path.join(outDir, files[0] as string), svg);
  await writeFile(path.join(outDir, files[1] as string), png);
  return files;
}
