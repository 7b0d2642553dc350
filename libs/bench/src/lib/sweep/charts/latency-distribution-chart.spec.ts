import { compareWithFloor } from '../../floor/floor-comparison';
import {
  floorMarks,
  latencyDistributionPoints,
  latencyDistributionSpec,
  overheadDistributionPoints,
  overheadDistributionSpec,
  OVERHEAD_TARGET_P50_MS,
  OVERHEAD_TARGET_P99_MS,
  symlogAxis,
} from './latency-distribution-chart';
import { asJson, fakeWrite } from './testing';

const writes = [
  fakeWrite(1, 0, 101, { idealMs: 100, overheadMs: 1 }),
  fakeWrite(1, 1, 202, { idealMs: 200, overheadMs: 2 }),
  fakeWrite(2, 0, 503, { idealMs: 500, overheadMs: 3 }),
  fakeWrite(2, 1, 2000, { outcome: 'info', httpStatus: 504, error: 'quorum_timeout', idealMs: 700, overheadMs: null }),
];

describe('latencyDistributionPoints', () => {
  it('gives an ECDF of measured and of ideal latency per W, over successful writes only', () => {
    const points = latencyDistributionPoints(writes);
    const measuredW1 = points.filter((p) => p.w === 'W=1' && p.series === 'measured latency');
    expect(measuredW1.map((p) => [p.valueMs, p.fraction])).toEqual([
      [101, 0],
      [101, 0.5],
      [202, 1],
    ]);
    const idealW1 = points.filter((p) => p.w === 'W=1' && p.series !== 'measured latency');
    expect(idealW1.map((p) => [p.valueMs, p.fraction])).toEqual([
      [100, 0],
      [100, 0.5],
      [200, 1],
    ]);
    // The timed-out write at W=2 (2000 ms) is not in the distribution.
    expect(points.filter((p) => p.w === 'W=2').map((p) => p.valueMs)).not.toContain(2000);
  });
});

describe('latencyDistributionSpec', () => {
  const spec = asJson(latencyDistributionSpec(writes));

  it('draws one step line per W and series: latency (ms) against the fraction of writes', () => {
    expect(spec.mark).toMatchObject({ type: 'line', interpolate: 'step-after' });
    expect(spec.encoding.x).toMatchObject({ field: 'valueMs', title: 'Write latency (ms)' });
    expect(spec.encoding.y).toMatchObject({ field: 'fraction', scale: { domain: [0, 1] } });
    expect(spec.encoding.color).toMatchObject({ field: 'w', scale: { domain: ['W=1', 'W=2'] } });
    expect(spec.encoding.strokeDash.field).toBe('series');
    expect(spec.data.values.length).toBe(latencyDistributionPoints(writes).length);
  });

  it('says how many writes were left out', () => {
    expect(spec.title.subtitle.join(' ')).toContain('1 failed or timed-out write(s) left out');
  });
});

describe('with two ack modes', () => {
  const both = [
    ...writes,
    ...writes.map((w) => ({
      ...w,
      ackMode: 'applied' as const,
      latencyMs: w.latencyMs + 50,
      overheadMs: w.overheadMs === null ? null : w.overheadMs + 50,
    })),
  ];

  it('gives each ack mode its own curves', () => {
    const points = latencyDistributionPoints(both);
    expect(
      points
        .filter((p) => p.ackMode === 'applied' && p.w === 'W=1' && p.series === 'measured latency')
        .map((p) => p.valueMs),
    ).toEqual([151, 151, 252]);
    expect(
      points
        .filter((p) => p.ackMode === 'received' && p.w === 'W=1' && p.series === 'measured latency')
        .map((p) => p.valueMs),
    ).toEqual([101, 101, 202]);
  });

  it('draws the latency ECDF in one panel per ack mode (a facet channel, so the spec stays one unit)', () => {
    const spec = asJson(latencyDistributionSpec(both));
    expect(spec.mark.type).toBe('line');
    expect(spec.encoding.column).toMatchObject({ field: 'ackMode', sort: ['received', 'applied'] });
    expect(spec.title.subtitle.join(' ')).toContain('One panel per ack mode');
  });

  it('draws "applied" overhead dashed over "received", against the same targets', () => {
    const spec = asJson(overheadDistributionSpec(both));
    const [curves, targets] = spec.layer;
    expect(curves.encoding.strokeDash).toMatchObject({ field: 'ackMode', scale: { domain: ['received', 'applied'] } });
    expect(curves.encoding.color.field).toBe('w');
    expect(targets.data.values).toHaveLength(2);
    expect(spec.title.subtitle.join(' ')).toContain('dashed: "applied"');
  });

  it('adds no panel and no dash with one ack mode', () => {
    expect(asJson(latencyDistributionSpec(writes)).encoding.column).toBeUndefined();
    expect(asJson(overheadDistributionSpec(writes)).layer[0].encoding.strokeDash).toBeUndefined();
  });
});

describe('a W where every write failed (follower-down)', () => {
  it('keeps its colour in the legend and says why it has no curve', () => {
    const failed = [0, 1].map((seq) =>
      fakeWrite(5, seq, 40, { outcome: 'info', httpStatus: 503, error: 'quorum_unreachable', overheadMs: null }),
    );
    const spec = asJson(latencyDistributionSpec([fakeWrite(4, 0, 30), ...failed]));
    expect(spec.encoding.color.scale.domain).toEqual(['W=4', 'W=5']);
    expect(spec.data.values.some((p: { w: string }) => p.w === 'W=5')).toBe(false);
    expect(spec.title.subtitle.join(' ')).toContain(
      '2 failed or timed-out write(s) left out. No curve at W=5: every write there failed.',
    );
  });
});

describe('repeats', () => {
  it('pools the runs into one curve per W and says so', () => {
    const runs = [0, 1, 2].map((run) => fakeWrite(1, run, 100 + run, { run }));
    const spec = asJson(latencyDistributionSpec(runs));
    expect(spec.data.values.filter((p: { series: string }) => p.series === 'measured latency')).toHaveLength(4);
    expect(spec.title.subtitle.join(' ')).toContain('Pooled over 3 runs');
  });
});

describe('overheadDistributionSpec', () => {
  const spec = asJson(overheadDistributionSpec(writes));

  it('plots the overhead ECDF on a symlog axis', () => {
    const [curves] = spec.layer;
    expect(curves.data.values).toEqual(asJson(overheadDistributionPoints(writes)));
    expect(curves.encoding.x.scale.type).toBe('symlog');
    expect(curves.encoding.x.title).toMatch(/ms/);
  });

  it('marks both fidelity targets', () => {
    const targets = spec.layer[1].data.values;
    expect(targets.map((t: { valueMs: number; fraction: number }) => [t.valueMs, t.fraction])).toEqual([
      [OVERHEAD_TARGET_P50_MS, 0.5],
      [OVERHEAD_TARGET_P99_MS, 0.99],
    ]);
  });
});

describe('overheadDistributionSpec with the floor', () => {
  const floorWrite = (w: number, overheadMs: number) => ({ w, delaysMs: [0, 0], latencyMs: overheadMs });
  const floor = compareWithFloor(
    writes.map((r) => ({ w: r.w, overheadMs: r.overheadMs })),
    [floorWrite(1, 0.5), floorWrite(1, 40), floorWrite(2, 0.7)],
  );
  const spec = asJson(overheadDistributionSpec(writes, floor));

  it("marks the floor's p50 and p99 per W in that W's colour, and stretches the axis to them", () => {
    const marks = spec.layer[1];
    expect(marks.mark.shape).toBe('cross');
    expect(marks.encoding.color.field).toBe('w');
    expect(marks.data.values.map((m: { w: string; fraction: number }) => `${m.w}@${m.fraction}`)).toEqual([
      'W=1@0.5',
      'W=1@0.99',
      'W=2@0.5',
      'W=2@0.99',
    ]);
    expect(spec.layer[0].encoding.x.scale.domain[1]).toBe(50);
    expect(spec.title.subtitle.join(' ')).toMatch(/Crosses: the bare relay floor/);
  });

  it('has no floor layer without a floor', () => {
    expect(floorMarks(undefined)).toEqual([]);
    expect(asJson(overheadDistributionSpec(writes)).layer).toHaveLength(2);
  });
});

describe('symlogAxis', () => {
  // Each case: overhead values -> the axis domain and its round tick values.
  it.each([
    { values: [0.5, 1.2, 3], domain: [0, 5], ticks: [0, 1, 2, 5] }, // the p99 target is always in view
    { values: [0.5, 37], domain: [0, 50], ticks: [0, 1, 2, 5, 10, 20, 50] },
    { values: [-0.3, 2], domain: [-1, 5], ticks: [-1, 0, 1, 2, 5] }, // a write measured slightly under its ideal
    { values: [], domain: [0, 5], ticks: [0, 1, 2, 5] },
  ])('$values -> $domain', ({ values, domain, ticks }) => {
    expect(symlogAxis(values)).toEqual({ domain, ticks });
  });
});
