import { buildCompareMarkdown, reproduceCompareCommand, sharedSettings, type CompareMarkdownInput } from './compare-md';
import { compareSummaries } from './compare-table';
import { config, row } from './testing';

function input(overrides: Partial<CompareMarkdownInput> = {}): CompareMarkdownInput {
  return {
    labelA: 'received',
    labelB: 'applied',
    dirA: 'tmp/cmp-a',
    dirB: 'tmp/cmp-b',
    ackModeA: 'received',
    ackModeB: 'applied',
    configA: config(),
    configB: config({ ackMode: 'applied' }),
    differences: [{ field: 'ackMode', a: 'received', b: 'applied' }],
    table: compareSummaries([row(1)], [row(1, { mean: 150 })]),
    findings: ['B is slower.', 'Nothing failed.'],
    charts: ['compare_latency.svg', 'compare_latency.png'],
    ...overrides,
  };
}

describe('buildCompareMarkdown', () => {
  const md = buildCompareMarkdown(input());

  it('names both runs, their folders and ack modes', () => {
    expect(md.split('\n')[0]).toBe('# Comparison: A (received) vs B (applied)');
    expect(md).toContain(
      '- A (received): `tmp/cmp-a`, ack mode received\n- B (applied): `tmp/cmp-b`, ack mode applied',
    );
  });

  it('tables the settings that differ and lists those both share', () => {
    expect(md).toContain(
      '| setting | A: received | B: applied |\n| --- | --- | --- |\n| ackMode | `received` | `applied` |',
    );
    expect(md).toContain('Shared by both: runtime=process, followers=5, quorums=1,2,3,');
    expect(md).not.toMatch(/Shared by both:.*ackMode=/);
  });

  it('says so when no setting differs', () => {
    expect(buildCompareMarkdown(input({ differences: [] }))).toContain('None: both runs used the same settings');
  });

  it('shows the chart with a link to its SVG, or says it was not rendered', () => {
    expect(md).toContain('](compare_latency.png)');
    expect(md).toContain('([SVG](compare_latency.svg))');
    expect(buildCompareMarkdown(input({ charts: [] }))).toContain('The chart was not rendered');
  });

  it('lists the findings and the full table, one line per W and metric', () => {
    expect(md).toContain('## Findings\n\n- B is slower.\n- Nothing failed.\n');
    expect(md).toContain('| W | metric | A: received | B: applied | B − A | B / A |');
    expect(md).toContain('| 1 | mean (ms) | 100.0 | 150.0 | +50.0 | ×1.50 |');
    expect(md.match(/^\| 1 \|/gm)).toHaveLength(7);
  });

  it('ends with the command that repeats the comparison', () => {
    expect(md).toContain(
      '```sh\nnpx nx run bench:compare -- --a tmp/cmp-a --b tmp/cmp-b --ack-mode-a received --ack-mode-b applied --label-a received --label-b applied\n```',
    );
  });
});

describe('reproduceCompareCommand', () => {
  it('quotes what the shell would split', () => {
    const command = reproduceCompareCommand({
      dirA: 'results/my run',
      dirB: 'b',
      ackModeA: 'received',
      ackModeB: 'received',
      labelA: "before Bob's fix",
      labelB: 'after',
    });
    expect(command).toContain("--a 'results/my run'");
    expect(command).toContain("--label-a 'before Bob'\\''s fix'");
  });
});

describe('sharedSettings', () => {
  it('lists the settings that do not differ, without the output folder', () => {
    expect(sharedSettings(config({ quorums: [1, 2], out: 'x' }), [{ field: 'seed', a: 1, b: 2 }])).not.toMatch(
      /seed=|out=/,
    );
  });
});
