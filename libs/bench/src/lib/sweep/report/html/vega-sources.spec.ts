import path from 'node:path';
import { loadVegaSources, packageDir } from './vega-sources';

describe('loadVegaSources', () => {
  it('reads the UMD builds of the installed packages, with their versions', async () => {
    const sources = await loadVegaSources();
    // A UMD build assigns its global when there is no module system, as in the page.
    expect(sources.vega).toContain('.vega={}');
    expect(sources.vegaLite).toContain('.vegaLite={}');
    expect(sources.vegaEmbed).toContain('.vegaEmbed=');
    expect(sources.versions?.vega).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('packageDir', () => {
  it('walks up from the entry point to the package.json that names the package', () => {
    expect(path.basename(packageDir('vega-lite'))).toBe('vega-lite');
  });

  it('says which package it could not find', () => {
    expect(() => packageDir('no-such-package-here')).toThrow('cannot find the installed package no-such-package-here');
  });
});
