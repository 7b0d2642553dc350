import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Progress } from '../common/progress';
import type { DurabilityCell } from './durability-records';
import { runDurabilitySweep } from './durability-sweep';
import { fakeClock, FakeDurabilityCluster, fakeDurabilityConfig } from './testing';

const silent: Progress = { log: () => undefined, start: () => undefined, tick: () => undefined, done: () => undefined };

describe('runDurabilitySweep', () => {
  let out: string;
  beforeEach(async () => {
    out = await mkdtemp(path.join(os.tmpdir(), 'durability-'));
  });
  afterEach(async () => {
    await rm(out, { recursive: true, force: true });
  });

  const config = () =>
    fakeDurabilityConfig({
      followers: 3,
      quorums: [1, 2],
      recoveryQuorums: [1, 2],
      writes: 5,
      crashes: 1,
      concurrency: 2,
      delay: 'uniform:0:10',
      replicationTimeoutMs: 1000,
      recoveryTimeoutMs: 500,
      seed: 3,
      out,
    });

  it('leaves a self-describing folder: config, records, summary, the heat map and both reports', async () => {
    const rendered: string[] = [];
    const result = await runDurabilitySweep(config(), new FakeDurabilityCluster({ followers: 3 }), silent, {
      clock: fakeClock(),
      render: async (_spec, dir, baseName) => {
        rendered.push(baseName);
        await writeFile(path.join(dir, `${baseName}.svg`), '<svg id="heat"></svg>');
        return [`${baseName}.svg`];
      },
    });
    expect(rendered).toEqual(['durability_heatmap']);
    expect((await readdir(out)).sort()).toEqual([...result.files].sort());
    const cells = JSON.parse(await readFile(path.join(out, 'durability-summary.json'), 'utf8')) as DurabilityCell[];
    expect(cells.map((c) => [c.w, c.r, c.modelVerdict])).toEqual([
      [1, 1, 'may lose'],
      [1, 2, 'may lose'],
      [2, 1, 'may lose'],
      [2, 2, 'no loss'],
    ]);
    expect(result.verdict.ok).toBe(true);
    expect(await readFile(path.join(out, 'report.html'), 'utf8')).toContain('<svg id="heat"></svg>');
    expect(await readFile(path.join(out, 'durability-summary.csv'), 'utf8')).toMatch(/^w,r,followers/);
  });

  it('still writes the reports when the heat map fails to render, and says so', async () => {
    const lines: string[] = [];
    const result = await runDurabilitySweep(
      config(),
      new FakeDurabilityCluster({ followers: 3 }),
      { ...silent, log: (l) => lines.push(l) },
      {
        clock: fakeClock(),
        render: async () => {
          throw new Error('no vega here');
        },
      },
    );
    expect(result.files).toContain('report.md');
    expect(lines.some((l) => l.includes('durability_heatmap: not rendered: no vega here'))).toBe(true);
    expect(await readFile(path.join(out, 'report.md'), 'utf8')).not.toContain('![');
  });
});
