import {
  durabilityHeatMapSpec,
  heatMapPoints,
  heatMapVerdict,
  PROMISE_COLOUR,
  VIOLATION_COLOUR,
} from './heat-map-chart';
import { fakeCell } from './testing';

describe('heatMapPoints', () => {
  it.each([
    {
      cell: fakeCell(3, 3),
      label: '0 / 20',
      verdict: 'no loss',
      border: PROMISE_COLOUR,
      reason: 'a promised cell that kept it',
    },
    {
      cell: fakeCell(1, 2, { lost: 5, lostFraction: 0.25 }),
      label: '5 / 20',
      verdict: 'may lose',
      border: '#bbbbbb',
      reason: 'losses the model allows',
    },
    {
      cell: fakeCell(4, 4, { lost: 1, lostFraction: 0.05, status: 'violated' }),
      label: '1 / 20',
      verdict: 'VIOLATED',
      border: VIOLATION_COLOUR,
      reason: 'a forbidden loss stands out',
    },
    {
      cell: fakeCell(2, 2, { unreadable: 2, status: 'unchecked' }),
      label: '0 / 20',
      verdict: 'unchecked',
      border: '#bbbbbb',
      reason: 'reads failed',
    },
  ])('$reason', ({ cell, label, verdict, border }) => {
    expect(heatMapPoints([cell])[0]).toMatchObject({ label, verdictLabel: verdict, border });
  });

  it('gives a cell without acknowledged writes no share (null, which Vega skips)', () => {
    expect(heatMapPoints([fakeCell(1, 1, { acknowledged: 0, lostFraction: NaN })])[0]?.lostFraction).toBeNull();
  });
});

describe('heatMapVerdict', () => {
  it.each([
    { cells: [fakeCell(3, 3), fakeCell(1, 1, { lost: 2 })], text: /model held/, reason: 'losses only where allowed' },
    {
      cells: [fakeCell(3, 4, { lost: 1, status: 'violated' })],
      text: /MODEL VIOLATED.*W=3 R=4/,
      reason: 'names the cell',
    },
    {
      cells: [fakeCell(1, 1, { unreadable: 1, status: 'unchecked' })],
      text: /Unchecked: .*\(W=1 R=1\)/,
      reason: 'unread writes',
    },
  ])('$reason', ({ cells, text }) => {
    expect(heatMapVerdict(cells)).toMatch(text);
  });
});

describe('durabilityHeatMapSpec', () => {
  const cells = [1, 2, 3].flatMap((w) => [1, 2].map((r) => fakeCell(w, r, { followers: 3 })));
  const spec = durabilityHeatMapSpec(cells, 2) as unknown as {
    data: { values: unknown[] };
    encoding: { x: { scale: { domain: number[] } }; y: { scale: { domain: number[] } } };
    title: { subtitle: string[] };
  };

  it('has one data point per cell, R across and W up (largest W on top)', () => {
    expect(spec.data.values).toHaveLength(6);
    expect(spec.encoding.x.scale.domain).toEqual([1, 2]);
    expect(spec.encoding.y.scale.domain).toEqual([3, 2, 1]);
  });

  it('names N, the crashes per cell and the verdict in its subtitle', () => {
    expect(spec.title.subtitle[0]).toMatch(/N = 3 followers, 2 crashes per cell/);
    expect(spec.title.subtitle[2]).toMatch(/model held/);
  });
});
