import { buildDurabilityHtml, buildDurabilityMarkdown, durabilityFindings } from './durability-report';
import { fakeCell, fakeCrash, fakeDurabilityConfig } from './testing';

const config = fakeDurabilityConfig({ quorums: [1, 3], recoveryQuorums: [1, 3], out: 'out' });

describe('durabilityFindings', () => {
  it.each([
    {
      cells: [fakeCell(3, 3), fakeCell(1, 1, { lost: 4, lostFraction: 0.2 })],
      first:
        /^\*\*The model held\*\*: no acknowledged write was lost in the one cell with W \+ R > N \(20 acknowledged writes/,
      reason: 'the model held, losses where allowed',
    },
    {
      cells: [fakeCell(3, 3, { lost: 2, status: 'violated' })],
      first: /^\*\*The model was violated\*\*: 2 acknowledged writes lost .* at W=3 R=3/,
      reason: 'a violation comes first and names the cell',
    },
  ])('$reason', ({ cells, first }) => {
    expect(durabilityFindings(cells, [])[0]).toMatch(first);
  });

  it('counts the losses where the model allows them, and names unsafe cells that lost nothing', () => {
    const findings = durabilityFindings([fakeCell(1, 1, { lost: 5 }), fakeCell(1, 3, { lost: 0 }), fakeCell(3, 3)], []);
    expect(findings[1]).toMatch(/5 acknowledged writes of 40 \(12\.5%\) lost, in 1 of 2 cells/);
    expect(findings[2]).toMatch(/^W=1 R=3 lost nothing/);
  });

  it.each([
    {
      cell: fakeCell(3, 3, { unreadable: 2, status: 'unchecked' }),
      text: /^\*\*Not every acknowledged write could be read back\*\* at W=3 R=3/,
      reason: 'failed reads',
    },
    {
      cell: fakeCell(3, 3, { acknowledged: 0, status: 'unchecked' }),
      text: /^\*\*No write was acknowledged\*\* at W=3 R=3/,
      reason: 'refused writes',
    },
  ])('says why a cell is unchecked: $reason', ({ cell, text }) => {
    expect(durabilityFindings([cell], []).some((f) => text.test(f))).toBe(true);
  });

  it('reports how many crashes recovered, and how long it took', () => {
    const crashes = [
      fakeCrash({ recoveryMs: 100 }),
      fakeCrash({ recoveryMs: 300 }),
      fakeCrash({ recovered: false, recoveryMs: null }),
    ];
    const last = durabilityFindings([fakeCell(3, 3)], crashes).at(-1);
    expect(last).toMatch(
      /^2 of 3 crashes ended with the leader serving again; .* 200\.0 ms at the median, 300\.0 ms at most/,
    );
  });
});

describe('buildDurabilityMarkdown', () => {
  const cells = [fakeCell(1, 1, { lost: 3, lostFraction: 0.15 }), fakeCell(1, 3), fakeCell(3, 1), fakeCell(3, 3)];
  const md = buildDurabilityMarkdown({
    config,
    cells,
    crashes: [fakeCrash()],
    charts: ['durability_heatmap.svg', 'durability_heatmap.png'],
  });

  it('says what was run, then the findings, the heat map, the cells and the crashes', () => {
    expect(md).toMatch(/^# Durability sweep/);
    expect(md).toContain('20 writes to keys of their own and 2 leader crashes on 5 followers');
    const order = ['## Findings', '## Heat map', '## Losses per (W, R)', '## Crashes', '## Files'].map((h) =>
      md.indexOf(h),
    );
    expect(order.every((at, i) => at > 0 && (i === 0 || at > (order[i - 1] as number)))).toBe(true);
    expect(md).toContain('![Acknowledged writes lost per W and R](durability_heatmap.png)');
  });

  it('has one table row per cell and per crash', () => {
    expect(md).toContain('| 1 | 1 | 2 | may lose | 20 | 3 | 15.0% | 2 | 2 | held |');
    expect(md).toContain('| 2 | 2 | 1 | 3, 4, 5 | 1, 2 | 1, 2 | 5 | yes | 50.0 | 2 |');
  });

  it('leaves the image out when the chart was not rendered', () => {
    expect(buildDurabilityMarkdown({ config, cells, crashes: [], charts: [] })).not.toContain('![');
  });
});

describe('buildDurabilityHtml', () => {
  it('is report.md as a page with the SVG inline, no image link, and a policy that forbids any request', () => {
    const html = buildDurabilityHtml(
      { config, cells: [fakeCell(3, 3)], crashes: [], charts: ['durability_heatmap.png'] },
      '<svg id="heat"></svg>',
    );
    expect(html).toContain('<figure><svg id="heat"></svg></figure>');
    expect(html).not.toContain('![');
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('<h2>Findings</h2>');
    expect(html).not.toMatch(/<script/);
  });
});
