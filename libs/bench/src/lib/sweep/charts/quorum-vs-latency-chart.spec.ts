import {
  clipIntervalsToAxis,
  gapNotes,
  MEASURED_SOURCE,
  MODEL_SOURCE,
  quorumLatencyPoints,
  quorumVsLatencySpec,
} from './quorum-vs-latency-chart';
import { asJson, type SpecLayer, fakeIntervals, fakeSummaryRow } from './testing';

describe('quorumLatencyPoints', () => {
  it('gives each statistic of each W twice: measured and model', () => {
    const points = quorumLatencyPoints([
      fakeSummaryRow(1, {
        mean: 170,
        modelMean: 166.7,
        median: 130,
        modelP50: 129.4,
        p95: 460,
        modelP95: 451,
        p99: 610,
        modelP99: 601.9,
      }),
    ]);
    const r = { w: 1, ackMode: 'received' };
    expect(points).toEqual([
      { ...r, statistic: 'mean', source: MEASURED_SOURCE, latencyMs: 170 },
      { ...r, statistic: 'mean', source: MODEL_SOURCE, latencyMs: 166.7 },
      { ...r, statistic: 'median (p50)', source: MEASURED_SOURCE, latencyMs: 130 },
      { ...r, statistic: 'median (p50)', source: MODEL_SOURCE, latencyMs: 129.4 },
      { ...r, statistic: 'p95', source: MEASURED_SOURCE, latencyMs: 460 },
      { ...r, statistic: 'p95', source: MODEL_SOURCE, latencyMs: 451 },
      { ...r, statistic: 'p99', source: MEASURED_SOURCE, latencyMs: 610 },
      { ...r, statistic: 'p99', source: MODEL_SOURCE, latencyMs: 601.9 },
    ]);
  });

  it('leaves out statistics that are not numbers (a W where every write failed, a missing model)', () => {
    const points = quorumLatencyPoints([
      fakeSummaryRow(2, { mean: NaN, median: NaN, p95: NaN, p99: NaN, modelP99: NaN }),
    ]);
    expect(points.every((p) => p.source === MODEL_SOURCE)).toBe(true);
    expect(points.map((p) => p.statistic)).toEqual(['mean', 'median (p50)', 'p95']);
  });

  it('with intervals over several runs, puts each measured point on the mean over runs and carries its 95% interval', () => {
    const row = fakeSummaryRow(2, { mean: 340, p99: 800 });
    const intervals = fakeIntervals({ ...row, mean: 335, p99: 760 }, 3, 20);
    const measured = quorumLatencyPoints([row], intervals).filter((p) => p.source === MEASURED_SOURCE);
    expect(measured.find((p) => p.statistic === 'mean')).toMatchObject({ latencyMs: 335, ciLowMs: 315, ciHighMs: 355 });
    expect(measured.find((p) => p.statistic === 'p99')).toMatchObject({ latencyMs: 760, ciLowMs: 740, ciHighMs: 780 });
    // The model has no interval.
    expect(
      quorumLatencyPoints([row], intervals)
        .filter((p) => p.source === MODEL_SOURCE)
        .every((p) => p.ciLowMs === undefined),
    ).toBe(true);
  });

  it('ignores intervals of a single run, and those of another ack mode', () => {
    const row = fakeSummaryRow(2);
    expect(quorumLatencyPoints([row], fakeIntervals(row, 1, 20)).some((p) => p.ciLowMs !== undefined)).toBe(false);
    expect(quorumLatencyPoints([row], fakeIntervals(row, 3, 20, 'applied')).some((p) => p.ciLowMs !== undefined)).toBe(
      false,
    );
  });

  it('skips a W with no model (more acks than live followers) but keeps its neighbours', () => {
    const points = quorumLatencyPoints([
      fakeSummaryRow(4),
      fakeSummaryRow(5, {
        errors: 100,
        mean: NaN,
        median: NaN,
        p95: NaN,
        p99: NaN,
        modelMean: NaN,
        modelP50: NaN,
        modelP95: NaN,
        modelP99: NaN,
      }),
    ]);
    expect(points.filter((p) => p.w === 5)).toEqual([]);
    expect(points.filter((p) => p.w === 4)).toHaveLength(8);
  });
});

describe('quorumVsLatencySpec', () => {
  const summary = [1, 2, 3, 4, 5].map((w) => fakeSummaryRow(w));
  const spec = asJson(quorumVsLatencySpec(summary));

  it('holds every point as inline data', () => {
    expect(spec.data.values).toHaveLength(5 * 4 * 2);
    expect(spec.data.values).toContainEqual({
      w: 3,
      ackMode: 'received',
      statistic: 'mean',
      source: MODEL_SOURCE,
      latencyMs: 500,
    });
    expect(spec.data.values).toContainEqual({
      w: 3,
      ackMode: 'received',
      statistic: 'mean',
      source: MEASURED_SOURCE,
      latencyMs: 501,
    });
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
    expect(
      points.map((l: { transform: Array<{ filter: { equal: string } }> }) => l.transform[0]?.filter.equal),
    ).toEqual([MEASURED_SOURCE, MODEL_SOURCE]);
    expect(points.map((l: { mark: { filled: boolean } }) => l.mark.filled)).toEqual([true, false]);
  });

  it('is titled after the study', () => {
    expect(spec.title.text).toBe('Write latency vs write quorum W');
    expect(spec.title.subtitle.join(' ')).toContain('100 writes per W');
  });

  it('with one ack mode and one run: a single panel, no error bars, no dodge', () => {
    expect(spec.facet).toBeUndefined();
    expect(spec.transform).toBeUndefined();
    expect(spec.layer.map((l: SpecLayer) => l.mark.type)).not.toContain('errorbar');
  });
});

describe('quorumVsLatencySpec with repeats', () => {
  const summary = [1, 2, 3].map((w) => fakeSummaryRow(w, { runs: 3, count: 300 }));
  const intervals = summary.flatMap((row) => fakeIntervals(row, 3, 15));
  const spec = asJson(quorumVsLatencySpec(summary, intervals));

  it('draws the 95% interval as error bars on the measured points', () => {
    const bars = spec.layer.find((l: SpecLayer) => l.mark.type === 'errorbar');
    expect(bars.encoding.y.field).toBe('ciLowMs');
    expect(bars.encoding.y2.field).toBe('ciHighMs');
    expect(spec.data.values.filter((p: { ciLowMs?: number }) => p.ciLowMs !== undefined)).toHaveLength(3 * 4);
  });

  it('moves each statistic a little aside so the bars do not hide each other, keeping the ticks on W', () => {
    expect(spec.encoding.x.field).toBe('wPlot');
    expect(spec.encoding.x.axis.values).toEqual([1, 2, 3]);
    expect(spec.transform[0].as).toBe('wPlot');
  });

  it('says what the points and bars are, and per run how many writes', () => {
    const subtitle = spec.title.subtitle.join(' ');
    expect(subtitle).toContain('averaged over 3 runs (100 writes per W per run)');
    expect(subtitle).toContain('95% interval');
  });
});

describe('quorumVsLatencySpec with two ack modes', () => {
  const summary = (['received', 'applied'] as const).flatMap((ackMode) =>
    [1, 2].map((w) => fakeSummaryRow(w, { ackMode, mean: ackMode === 'applied' ? 400 : 200 })),
  );
  const spec = asJson(quorumVsLatencySpec(summary));

  it('draws one panel per ack mode, "received" first, on a shared scale', () => {
    expect(spec.facet.column).toMatchObject({ field: 'ackMode', sort: ['received', 'applied'] });
    expect(spec.resolve).toBeUndefined();
    expect(spec.spec.layer.filter((l: SpecLayer) => l.mark.type === 'point')).toHaveLength(2);
    expect(spec.spec.encoding.y.field).toBe('latencyMs');
    expect(spec.title.subtitle.join(' ')).toContain('One panel per ack mode');
  });

  it('puts the model in both panels', () => {
    const model = spec.data.values.filter(
      (p: { source: string; statistic: string; w: number }) =>
        p.source === MODEL_SOURCE && p.statistic === 'mean' && p.w === 1,
    );
    expect(model.map((p: { ackMode: string }) => p.ackMode)).toEqual(['received', 'applied']);
  });
});

describe('gapNotes', () => {
  // Each case: the summary rows at the gap -> what the subtitle says.
  const failed = { errors: 100, mean: NaN, median: NaN, p95: NaN, p99: NaN };
  const noModel = { modelMean: NaN, modelP50: NaN, modelP95: NaN, modelP99: NaN };
  it.each([
    [{}, []], // no gap
    [{ ...failed, ...noModel }, ['Nothing at W=5: every write there failed, and the model has no prediction']], // follower-down
    [failed, ['No measured point at W=5: every write there failed']],
    [noModel, ['No model at W=5']],
  ])('%p', (overrides, expected) => {
    const notes = gapNotes([fakeSummaryRow(4), fakeSummaryRow(5, overrides)]);
    expect(notes).toHaveLength(expected.length);
    expected.forEach((text, i) => expect(notes[i]).toContain(text));
  });
});

describe('clipIntervalsToAxis', () => {
  const point = (latencyMs: number, ci?: [number, number], group = 'a') => ({
    latencyMs,
    group,
    ...(ci && { ciLowMs: ci[0], ciHighMs: ci[1] }),
  });
  it.each([
    {
      why: 'a whisker below 0 ms stops at 0',
      points: [point(100, [-6000, 150]), point(300)],
      want: [0, 150],
    },
    {
      why: 'a whisker above every point (measured or model) stops at the largest point',
      points: [point(100, [50, 9000]), point(400)],
      want: [50, 400],
    },
    {
      why: 'an interval inside the axis is kept as it is',
      points: [point(100, [90, 110]), point(300)],
      want: [90, 110],
    },
    {
      why: 'the axis of another group (its own panel) does not count',
      points: [point(100, [50, 900]), point(5000, undefined, 'b')],
      want: [50, 100],
    },
  ])('$why', ({ points, want }) => {
    const clipped = clipIntervalsToAxis(points, (p) => p.group);
    expect([clipped[0]?.ciLowMs, clipped[0]?.ciHighMs]).toEqual(want);
    // Points without an interval pass through unchanged.
    expect(clipped.slice(1)).toEqual(points.slice(1));
  });
});

describe('quorumVsLatencySpec with two repeats (wide intervals)', () => {
  const summary = [1, 2].map((w) => fakeSummaryRow(w, { runs: 2, count: 200 }));
  const intervals = summary.flatMap((row) => fakeIntervals(row, 2, 6000));
  const spec = asJson(quorumVsLatencySpec(summary, intervals));
  const values: Array<{ latencyMs: number; ciLowMs?: number; ciHighMs?: number }> = spec.data.values;

  it('keeps every whisker inside [0, the largest point], so the data sets the axis', () => {
    const top = Math.max(...values.map((p) => p.latencyMs));
    const withBars = values.filter((p) => p.ciLowMs !== undefined);
    expect(withBars.length).toBeGreaterThan(0);
    for (const p of withBars) {
      expect(p.ciLowMs).toBeGreaterThanOrEqual(0);
      expect(p.ciHighMs).toBeLessThanOrEqual(top);
    }
  });
});
