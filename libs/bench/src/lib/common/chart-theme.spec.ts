import { ackModesSpec } from '../sweep/charts/ack-modes-chart';
import { ACK_MODE_STYLES, ackModesIn, byAckMode, CHART_FONT } from './chart-theme';
import { consistencySpec } from '../sweep/charts/consistency-chart';
import { latencyDistributionSpec, overheadDistributionSpec } from '../sweep/charts/latency-distribution-chart';
import { quorumVsLatencySpec } from '../sweep/charts/quorum-vs-latency-chart';
import { planCharts } from '../sweep/charts/sweep-charts';
import { asJson, fakeConsistencyRow, fakeIntervals, fakeSummaryRow, fakeWrite } from '../sweep/charts/testing';

const summary = [fakeSummaryRow(1), fakeSummaryRow(2)];
const writes = [fakeWrite(1, 0, 150), fakeWrite(2, 0, 300)];
const consistency = [fakeConsistencyRow(1, 1), fakeConsistencyRow(2, 1)];

describe('every chart', () => {
  // Each case: one spec builder. resvg drops text in a font it cannot find, and DejaVu Sans is the one installed.
  it.each([
    ['quorumVsLatencySpec', () => quorumVsLatencySpec(summary)],
    ['ackModesSpec', () => ackModesSpec([...summary, ...summary.map((r) => ({ ...r, ackMode: 'applied' as const }))])],
    ['latencyDistributionSpec', () => latencyDistributionSpec(writes)],
    ['overheadDistributionSpec', () => overheadDistributionSpec(writes)],
    ['consistencySpec', () => consistencySpec(consistency)],
  ])('%s sets the DejaVu Sans font, a white background and a title', (_name, build) => {
    const spec = asJson(build());
    expect(CHART_FONT).toBe('DejaVu Sans');
    expect(spec.config.font).toBe('DejaVu Sans');
    expect(spec.background).toBe('white');
    expect(spec.title.text).toEqual(expect.any(String));
  });
});

describe('planCharts', () => {
  it('plans the four charts, the main one first, under their fixed file names', () => {
    expect(planCharts({ summary, writes, consistency }).map((c) => c.baseName)).toEqual([
      'quorum_vs_latency_full',
      'latency_distribution',
      'overhead_distribution',
      'consistency',
    ]);
  });

  it('adds the ack-mode comparison second when both ack modes were measured', () => {
    const both = [...summary, ...summary.map((r) => ({ ...r, ackMode: 'applied' as const }))];
    expect(planCharts({ summary: both, writes, consistency }).map((c) => c.baseName)).toEqual([
      'quorum_vs_latency_full',
      'ack_modes',
      'latency_distribution',
      'overhead_distribution',
      'consistency',
    ]);
  });

  it('passes the intervals to the main chart', () => {
    const intervals = summary.flatMap((r) => fakeIntervals(r, 3));
    const [main] = planCharts({ summary, writes, consistency, intervals });
    expect(asJson(main?.spec).layer.map((l: { mark: { type: string } }) => l.mark.type)).toContain('errorbar');
  });

  it('skips the charts the data cannot support', () => {
    const noDelays = writes.map((w) => ({ ...w, delaysMs: [], idealMs: null, overheadMs: null }));
    expect(planCharts({ summary, writes: noDelays, consistency: [] }).map((c) => c.baseName)).toEqual([
      'quorum_vs_latency_full',
      'latency_distribution',
    ]);
    expect(planCharts({ summary: [], writes: [], consistency: [] })).toEqual([]);
  });
});

describe('ack modes', () => {
  it('lists the modes present in the core ACK_MODES order, each with its own colour', () => {
    expect(ackModesIn([{ ackMode: 'applied' }, { ackMode: 'received' }, { ackMode: 'applied' }])).toEqual([
      'received',
      'applied',
    ]);
    expect(ackModesIn([])).toEqual([]);
    const styles = Object.values(ACK_MODE_STYLES);
    expect(new Set(styles.map((m) => m.colour)).size).toBe(styles.length);
    expect(
      [{ ackMode: 'applied' as const }, { ackMode: 'received' as const }].sort(byAckMode).map((r) => r.ackMode),
    ).toEqual(['received', 'applied']);
  });
});
