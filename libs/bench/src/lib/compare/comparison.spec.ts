import { buildComparison, comparisonJson } from './comparison';
import { config, row, run } from './testing';

const runA = run('A', { summary: [row(1), row(2, { mean: NaN })] });
const runB = run('B', {
  ackMode: 'applied',
  config: config({ ackMode: 'applied' }),
  summary: [row(1, { mean: 130 }), row(2)],
});

describe('buildComparison', () => {
  it('names the runs after what differs unless labels are given', () => {
    expect(buildComparison(runA, runB)).toMatchObject({ labelA: 'ackMode=received', labelB: 'ackMode=applied' });
    expect(buildComparison(runA, runB, { labelA: 'before', labelB: 'after' })).toMatchObject({
      labelA: 'before',
      labelB: 'after',
    });
  });

  it('puts together the differences, the table, the findings and the chart', () => {
    const comparison = buildComparison(runA, runB);
    expect(comparison.differences).toEqual([{ field: 'ackMode', a: 'received', b: 'applied' }]);
    expect(comparison.table).toHaveLength(2 * 7);
    expect(comparison.findings[0]).toContain('ackMode (received in A, applied in B)');
    expect(JSON.stringify(comparison.chartSpec)).toContain('Settings that differ: ackMode: received → applied.');
  });
});

describe('comparisonJson', () => {
  it('carries both runs, the differences and the rows, with null for what is missing', () => {
    const json = JSON.parse(
      JSON.stringify(comparisonJson(buildComparison(runA, { ...runB, config: { ...runB.config, keys: undefined } }))),
    );
    expect(json.a).toMatchObject({
      label: expect.any(String),
      dir: 'tmp/run-a',
      ackMode: 'received',
      config: { followers: 5 },
    });
    expect(json.configDifferences).toContainEqual({ field: 'keys', a: 10, b: null });
    expect(json.rows).toContainEqual({ w: 2, metric: 'mean', a: null, b: 200, diff: null, ratio: null });
    expect(json.metrics.map((m: { key: string }) => m.key)).toContain('overheadP99');
    expect(json.findings.length).toBeGreaterThan(3);
  });
});
