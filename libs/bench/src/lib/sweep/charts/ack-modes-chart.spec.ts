import { ackModePoints, ackModesSpec, canCompareAckModes } from './ack-modes-chart';
import { asJson, type SpecLayer, fakeIntervals, fakeSummaryRow } from './testing';

const received = [1, 2].map((w) => fakeSummaryRow(w, { ackMode: 'received', mean: 100 * w, p99: 300 * w }));
const applied = [1, 2].map((w) => fakeSummaryRow(w, { ackMode: 'applied', mean: 150 * w, p99: 500 * w }));

describe('ackModePoints', () => {
  it('gives the measured mean and p99 per ack mode and W, nothing of the model', () => {
    expect(ackModePoints([...received, ...applied])).toEqual([
      { w: 1, ackMode: 'received', statistic: 'mean', latencyMs: 100 },
      { w: 1, ackMode: 'received', statistic: 'p99', latencyMs: 300 },
      { w: 2, ackMode: 'received', statistic: 'mean', latencyMs: 200 },
      { w: 2, ackMode: 'received', statistic: 'p99', latencyMs: 600 },
      { w: 1, ackMode: 'applied', statistic: 'mean', latencyMs: 150 },
      { w: 1, ackMode: 'applied', statistic: 'p99', latencyMs: 500 },
      { w: 2, ackMode: 'applied', statistic: 'mean', latencyMs: 300 },
      { w: 2, ackMode: 'applied', statistic: 'p99', latencyMs: 1000 },
    ]);
  });

  it('carries the 95% interval over runs when there is one', () => {
    const intervals = [...received, ...applied].flatMap((row) => fakeIntervals(row, 4, 10));
    expect(ackModePoints([...received, ...applied], intervals)[0]).toEqual({
      w: 1,
      ackMode: 'received',
      statistic: 'mean',
      latencyMs: 100,
      ciLowMs: 90,
      ciHighMs: 110,
    });
  });

  it("cuts whiskers at 0 and at the tallest bar of their own panel (the mean's axis is not p99's)", () => {
    const intervals = [...received, ...applied].flatMap((row) => fakeIntervals(row, 2, 5000));
    const points = ackModePoints([...received, ...applied], intervals);
    // The tallest mean is 300 (applied, W=2), the tallest p99 1000.
    expect(points.find((p) => p.statistic === 'mean')).toMatchObject({ ciLowMs: 0, ciHighMs: 300 });
    expect(points.find((p) => p.statistic === 'p99')).toMatchObject({ ciLowMs: 0, ciHighMs: 1000 });
  });
});

describe('canCompareAckModes', () => {
  // Each case: the summary -> whether the chart is drawn.
  it.each([
    ['one ack mode', received, false],
    ['both', [...received, ...applied], true],
    ['both, but every "applied" write failed', [...received, ...applied.map((r) => ({ ...r, mean: NaN }))], false],
  ])('%s -> %p', (_name, summary, expected) => {
    expect(canCompareAckModes(summary)).toBe(expected);
  });
});

describe('ackModesSpec', () => {
  const spec = asJson(ackModesSpec([...applied, ...received]));

  it('puts the two ack modes side by side per W, one panel for the mean and one for p99', () => {
    expect(spec.facet.column).toMatchObject({ field: 'statistic', sort: ['mean', 'p99'] });
    const [bars] = spec.spec.layer as SpecLayer[];
    expect(bars?.mark.type).toBe('bar');
    expect(bars?.encoding?.['x']?.field).toBe('w');
    expect(bars?.encoding?.['xOffset']).toMatchObject({ field: 'ackMode', scale: { domain: ['received', 'applied'] } });
    expect(bars?.encoding?.['color']).toMatchObject({ field: 'ackMode', scale: { domain: ['received', 'applied'] } });
    expect(spec.resolve.scale.y).toBe('independent');
  });

  it('explains head-of-line blocking in its subtitle', () => {
    expect(spec.title.subtitle.join(' ')).toContain('head-of-line blocking');
  });

  it('adds whiskers only when the sweep was repeated', () => {
    expect(spec.spec.layer.map((l: SpecLayer) => l.mark.type)).toEqual(['bar']);
    const intervals = [...received, ...applied].flatMap((row) => fakeIntervals(row, 3, 10));
    const repeated = asJson(
      ackModesSpec(
        [...received, ...applied].map((r) => ({ ...r, runs: 3 })),
        intervals,
      ),
    );
    expect(repeated.spec.layer.map((l: SpecLayer) => l.mark.type)).toEqual(['bar', 'errorbar']);
    expect(repeated.title.subtitle.join(' ')).toContain('averaged over 3 runs');
  });
});
