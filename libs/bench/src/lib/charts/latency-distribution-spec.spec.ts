import {
  latencyDistributionPoints,
  latencyDistributionSpec,
  overheadDistributionPoints,
  overheadDistributionSpec,
  OVERHEAD_TARGET_P50_MS,
  OVERHEAD_TARGET_P99_MS,
  symlogAxis,
} from './latency-distribution-spec';
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
    expect(measuredW1.map((p) => [p.valueMs, p.fraction])).toEqual([[101, 0], [101, 0.5], [202, 1]]);
    const idealW1 = points.filter((p) => p.w === 'W=1' && p.series !== 'measured latency');
    expect(idealW1.map((p) => [p.valueMs, p.fraction])).toEqual([[100, 0], [100, 0.5], [200, 1]]);
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
