import { asJson, row } from './testing';
import { CHART_FONT, LATENCY_STATISTICS } from '../common/chart-theme';
import { compareLatencyPoints, compareLatencySpec, runLegendNames } from './compare-chart';

const input = {
  summaryA: [row(1), row(2)],
  summaryB: [row(2, { mean: 250 }), row(3)],
  labelA: 'received',
  labelB: 'applied',
};

describe('compareLatencyPoints', () => {
  it('gives the four statistics of each run at each of its W', () => {
    const points = compareLatencyPoints(input);
    expect(points).toHaveLength(4 * 4);
    expect(points).toContainEqual({ w: 2, statistic: 'mean', run: 'B: applied', latencyMs: 250 });
    expect(points).toContainEqual({ w: 1, statistic: 'p99', run: 'A: received', latencyMs: 180 });
  });

  it('leaves out a statistic that is not a number', () => {
    const points = compareLatencyPoints({ ...input, summaryA: [row(1, { mean: NaN })], summaryB: [] });
    expect(points.map((p) => p.statistic)).toEqual(['median (p50)', 'p95', 'p99']);
  });
});

describe('compareLatencySpec', () => {
  const spec = asJson(compareLatencySpec({ ...input, notes: ['Settings that differ: ackMode: received → applied.'] }));

  it('uses the bench theme: DejaVu Sans, a white background, a title naming both runs', () => {
    expect(spec.config.font).toBe(CHART_FONT);
    expect(spec.background).toBe('white');
    expect(spec.title.text).toBe('Write latency vs W: A (received) vs B (applied)');
    expect(spec.title.subtitle).toEqual([
      'Solid line, filled points: A: received.   Dashed line, hollow points: B: applied.',
      'Settings that differ: ackMode: received → applied.',
    ]);
  });

  it('draws one panel per statistic, two to a row, each with its own y scale from zero', () => {
    expect(spec.facet).toMatchObject({ field: 'statistic', sort: LATENCY_STATISTICS.map((s) => s.label) });
    expect(spec.columns).toBe(2);
    expect(spec.resolve.scale.y).toBe('independent');
    expect(spec.spec.encoding.y.scale.zero).toBe(true);
  });

  it('puts every W of either run on the x axis', () => {
    expect(spec.spec.encoding.x.axis.values).toEqual([1, 2, 3]);
    expect(spec.spec.encoding.x.scale.domain).toEqual([0.8, 3.2]);
  });

  it('draws A solid with filled points and B dashed with hollow points, in the statistic colours', () => {
    const [line, pointsA, pointsB] = spec.spec.layer;
    expect(line.encoding.strokeDash.scale).toEqual({
      domain: runLegendNames('received', 'applied'),
      range: [
        [1, 0],
        [7, 4],
      ],
    });
    expect(pointsA).toMatchObject({
      transform: [{ filter: { field: 'run', equal: 'A: received' } }],
      mark: { filled: true },
    });
    expect(pointsB).toMatchObject({
      transform: [{ filter: { field: 'run', equal: 'B: applied' } }],
      mark: { filled: false },
    });
    expect(spec.spec.encoding.color.scale.range).toEqual(LATENCY_STATISTICS.map((s) => s.colour));
  });
});
