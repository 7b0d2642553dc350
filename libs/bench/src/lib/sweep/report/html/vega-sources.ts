/**
 * Reads the browser (UMD) builds of Vega, Vega-Lite and vega-embed from the installed packages,
 * for `report.html` to inline. Their `exports` hide `package.json`, so each package's folder is
 * found from its resolved entry point, walking up to the package.json that names it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { VegaSources } from './report-html';

/** Each package's browser build, as its package.json's `unpkg` field names it (checked at load). */
export const VEGA_BROWSER_BUILDS = {
  vega: { packageName: 'vega', file: 'build/vega.min.js', global: 'vega' },
  vegaLite: { packageName: 'vega-lite', file: 'build/vega-lite.min.js', global: 'vegaLite' },
  vegaEmbed: { packageName: 'vega-embed', file: 'build/vega-embed.min.js', global: 'vegaEmbed' },
} as const;

/** The folder of an installed package (the one holding its package.json). */
export function packageDir(packageName: string, resolve: (id: string) => string = require.resolve): string {
  let entry: string;
  try {
    entry = resolve(packageName);
  } catch (error) {
    throw new Error(
      `report.html: cannot find the installed package ${packageName} (${error instanceof Error ? error.message : String(error)})`,
      { cause: error },
    );
  }
  for (let dir = path.dirname(entry); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === packageName)
      return dir;
  }
  throw new Error(`report.html: found ${entry} for ${packageName} but no package.json naming it above it`);
}

async function readBuild(key: keyof typeof VEGA_BROWSER_BUILDS): Promise<{ source: string; version: string }> {
  const { packageName, file } = VEGA_BROWSER_BUILDS[key];
  const dir = packageDir(packageName);
  const manifest = JSON.parse(await readFile(path.join(dir, 'package.json'), 'utf8')) as { version: string };
  const full = path.join(dir, file);
  if (!existsSync(full))
    throw new Error(`report.html: ${packageName} ${manifest.version} has no browser build at ${file}`);
  return { source: await readFile(full, 'utf8'), version: manifest.version };
}

let loading: Promise<VegaSources> | undefined;

/** The three browser builds, read once per process. */
export function loadVegaSources(): Promise<VegaSources> {
  loading ??= Promise.all([readBuild('vega'), readBuild('vegaLite'), readBuild('vegaEmbed')]).then(
    ([vega, vegaLite, vegaEmbed]) => ({
      vega: vega.source,
      vegaLite: vegaLite.source,
      vegaEmbed: vegaEmbed.source,
      versions: { vega: vega.version, vegaLite: vegaLite.version, vegaEmbed: vegaEmbed.version },
    }),
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}
