import {
  COMPARED_METRICS,
  compareSummaries,
  configDifferences,
  configDifferencesText,
  configValueText,
  defaultLabels,
} from './compare-table';
import { config, row } from './testing';

describe('compareSummaries', () => {
  it('gives, per W and metric in table order, A, B, B − A and B / A', () => {
    const table = compareSummaries([row(1, { mean: 100 })], [row(1, { mean: 125 })]);
    expect(table.map((r) => r.metric)).toEqual(COMPARED_METRICS.map((m) => m.key));
    expect(table.map((r) => r.metric)).toEqual([
      'mean',
      'median',
      'p95',
      'p99',
      'overheadP50',
      'overheadP99',
      'errors',
    ]);
    expect(table[0]).toEqual({ w: 1, metric: 'mean', a: 100, b: 125, diff: 25, ratio: 1.25 });
  });

  it('covers every W of either run, ascending, with null where a run lacks it', () => {
    const table = compareSummaries([row(2), row(1)], [row(3), row(2)]);
    expect([...new Set(table.map((r) => r.w))]).toEqual([1, 2, 3]);
    expect(table.find((r) => r.w === 1 && r.metric === 'mean')).toEqual({
      w: 1,
      metric: 'mean',
      a: 100,
      b: null,
      diff: null,
      ratio: null,
    });
    expect(table.find((r) => r.w === 3 && r.metric === 'mean')).toMatchObject({ a: null, b: 300, diff: null });
  });

  // Each case: A and B of one metric, and the difference and ratio it gives.
  it.each([
    [NaN, 5, null, null], // no successful write in A: nothing to compare
    [0, 3, 3, null], // errors 0 -> 3: a difference, but no ratio to 0
    [0, 0, 0, null],
    [4, 2, -2, 0.5],
  ])('A=%p, B=%p -> diff %p, ratio %p', (a, b, diff, ratio) => {
    const [first] = compareSummaries([row(1, { mean: a })], [row(1, { mean: b })]);
    expect(first).toMatchObject({ a: Number.isNaN(a) ? null : a, diff, ratio });
  });
});

describe('configDifferences', () => {
  it('lists the settings that differ, in the config order, ignoring the output folder', () => {
    const differences = configDifferences(
      config({ seed: 1, ackMode: 'received', out: 'a' }),
      config({ seed: 2, ackMode: 'applied', out: 'b' }),
    );
    expect(differences).toEqual([
      { field: 'ackMode', a: 'received', b: 'applied' },
      { field: 'seed', a: 1, b: 2 },
    ]);
  });

  it('compares lists by value and notices a setting only one run has', () => {
    expect(configDifferences(config({ quorums: [1, 2] }), config({ quorums: [1, 2] }))).toEqual([]);
    const differences = configDifferences(config(), { ...config(), keys: undefined, future: 'x' } as never);
    expect(differences).toEqual([
      { field: 'keys', a: 10, b: undefined },
      { field: 'future', a: undefined, b: 'x' },
    ]);
  });
});

describe('configValueText and configDifferencesText', () => {
  it('writes values as people read them', () => {
    expect([
      configValueText([1, 2, 3]),
      configValueText(undefined),
      configValueText(null),
      configValueText([]),
      configValueText('uniform:0:20'),
    ]).toEqual(['1,2,3', '(not set)', '(none)', '(none)', 'uniform:0:20']);
  });

  it('joins the differences, or says there are none', () => {
    expect(
      configDifferencesText([
        { field: 'ackMode', a: 'received', b: 'applied' },
        { field: 'writes', a: 20, b: 100 },
      ]),
    ).toBe('ackMode: received → applied; writes: 20 → 100');
    expect(configDifferencesText([])).toMatch(/^none/);
  });
});

describe('defaultLabels', () => {
  it('names the runs after the settings that differ', () => {
    expect(defaultLabels('tmp/a', 'tmp/b', [{ field: 'ackMode', a: 'received', b: 'applied' }])).toEqual([
      'ackMode=received',
      'ackMode=applied',
    ]);
  });

  it('falls back to the folder names when nothing differs or the description is too long', () => {
    expect(defaultLabels('results/before/', 'results/after', [])).toEqual(['before', 'after']);
    expect(
      defaultLabels('x/before', 'x/after', [
        { field: 'delay', a: 'uniform:0:50;4=uniform:800:1000;5=uniform:800:1000', b: 'uniform:0:1000' },
      ]),
    ).toEqual(['before', 'after']);
  });

  it('does not name a run after a setting only the other run has', () => {
    expect(defaultLabels('tmp/old', 'tmp/new', [{ field: 'scenario', a: undefined, b: 'seed' }])).toEqual([
      'old',
      'new',
    ]);
  });

  it('uses plain A and B when the folders have the same name', () => {
    expect(defaultLabels('one/run', 'two/run', [])).toEqual(['A', 'B']);
  });
});
