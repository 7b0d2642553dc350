import { MEASURED_SOURCE, MODEL_SOURCE, quorumLatencyPoints, quorumVsLatencySpec } from './quorum-vs-latency-spec';
import { asJson, fakeSummaryRow } from './testing';

describe('quorumLatencyPoints', () => {
  it('gives each statistic of each W twice: measured and model', () => {
    const points = quorumLatencyPoints([fakeSummaryRow(1, { mean: 170, modelMean: 166.7, median: 130, modelP50: 129.4, p95: 460, modelP95: 451, p99: 610, modelP99: 601.9 })]);
    expect(points).toEqual([
      { w: 1, statistic: 'mean', source: MEASURED_SOURCE, latencyMs: 170 },
      { w: 1, statistic: 'mean', source: MODEL_SOURCE, latencyMs: 166.7 },
      { w: 1, statistic: 'median (p50)', source: MEASURED_SOURCE, latencyMs: 130 },
      { w: 1, statistic: 'median (p50)', source: MODEL_SOURCE, latencyMs: 129.4 },
      { w: 1, statistic: 'p95', source: MEASURED_SOURCE, latencyMs: 460 },
      { w: 1, statistic: 'p95', source: MODEL_SOURCE, latencyMs: 451 },
      { w: 1, statistic: 'p99', source: MEASURED_SOURCE, latencyMs: 610 },
      { w: 1, statistic: 'p99', source: MODEL_SOURCE, latencyMs: 601.9 },
    ]);
  });

  it('leaves out statistics that are not numbers (a W where every write failed, a missing model)', () => {
    const points = quorumLatencyPoints([fakeSummaryRow(2, { mean: NaN, median: NaN, p95: NaN, p99: NaN, modelP99: NaN })]);
    expect(points.every((p) => p.source === MODEL_SOURCE)).toBe(true);
    expect(points.map((p) => p.statistic)).toEqual(['mean', 'median (p50)', 'p95']);
  });
});

describe('quorumVsLatencySpec', () => {
  const summary = [1, 2, 3, 4, 5].map((w) => fakeSummaryRow(w));
  const spec = asJson(quorumVsLatencySpec(summary));

  it('holds every point as inline data', () => {
    expect(spec.data.values).toHaveLength(5 * 4 * 2);
    expect(spec.data.values).toContainEqual({ w: 3, statistic: 'mean', source: MODEL_SOURCE, latencyMs: 500 });
    expect(spec.data.values).toContainEqual({ w: 3, statistic: 'mean', source: MEASURED_SOURCE, latencyMs: 501 });
  });

  it('plots latency in ms against W, with a tick at every measured W', () => {
    expect(spec.encoding.x).toMatchObject({ field: 'w', type: 'quantitative', axis: { values: [1, 2, 3, 4, 5] } });
    expect(spec.encoding.x.title).toMatch(/W/);
    expect(spec.encoding.y).toMatchObject({ field: 'latencyMs', type: 'quantitative', title: 'Write latency (ms)' });
  });

  it('colours by statistic, the same colour for measured and model', () => {
    expect(spec.encoding.color.field).toBe('statistic');
    expect(spec.encoding.color.scale.domain).toEqual(['mean', 'median (p50)', 'p95', 'p99']);
    expect(spec.encoding.color.scale.range).toHaveLength(4);
  });

  it('draws the model as dashed lines, with a legend telling measured from model', () => {
    const line = spec.layer.find((l: { mark: { type: string } }) => l.mark.type === 'line');
    expect(line.encoding.strokeDash.field).toBe('source');
    expect(line.encoding.strokeDash.scale.domain).toEqual([MEASURED_SOURCE, MODEL_SOURCE]);
    const [solid, dashed] = line.encoding.strokeDash.scale.range;
    expect(solid).toEqual([1, 0]);
    expect(dashed.length).toBe(2);
    expect(line.encoding.strokeDash.legend).not.toBeNull();
    expect(line.encoding.strokeDash.title).toBe('Source');
  });

  it('marks measured points filled and model points hollow', () => {
    const points = spec.layer.filter((l: { mark: { type: string } }) => l.mark.type === 'point');
    expect(points.map((l: { transform: Array<{ filter: { equal: string } }> }) => l.transform[0]?.filter.equal)).toEqual([MEASURED_SOURCE, MODEL_SOURCE]);
    expect(points.map((l: { mark: { filled: boolean } }) => l.mark.filled)).toEqual([true, false]);
  });

  it('is titled after the study', () => {
    expect(spec.title.text).toBe('Write latency vs write quorum W');
    expect(spec.title.subtitle.join(' ')).toContain('100 writes per W');
  });
});
