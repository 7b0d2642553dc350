import { planCharts } from '../../charts/sweep-charts';
import { asJson, fakeConsistencyRow, fakeSummaryRow, fakeWrite } from '../../charts/testing';
import { interactiveConsistencySpec } from '../../charts/consistency-chart';
import { interactiveOverheadDistributionSpec, PICK_W_PARAM } from '../../charts/latency-distribution-chart';
import { interactiveQuorumVsLatencySpec } from '../../charts/quorum-vs-latency-chart';
import { interactiveCharts } from './interactive-charts';

const summary = [1, 2].map((w) => fakeSummaryRow(w));
const writes = [fakeWrite(1, 0, 150), fakeWrite(2, 0, 300)];
const consistency = [fakeConsistencyRow(1, 1), fakeConsistencyRow(2, 1)];
const data = { summary, writes, consistency };

/** The fields a mark's tooltip shows, in order. */
const tooltipFields = (mark: { encoding: { tooltip: { field: string }[] } }) =>
  mark.encoding.tooltip.map((t) => t.field);

describe('interactiveCharts', () => {
  it('decorates every planned chart, in the same order', () => {
    const charts = interactiveCharts(data);
    expect(charts.map((c) => c.baseName)).toEqual(planCharts(data).map((c) => c.baseName));
    expect(charts.every((c) => c.interactive)).toBe(true);
  });

  it('leaves the specs the PNGs are rendered from exactly as they were', () => {
    const before = asJson(planCharts(data));
    interactiveCharts(data);
    expect(asJson(planCharts(data))).toEqual(before);
    const [main] = planCharts(data);
    const original = asJson(main?.spec);
    interactiveQuorumVsLatencySpec(main?.spec as never);
    expect(asJson(main?.spec)).toEqual(original);
  });

  it('shows a chart whose spec lost the expected shape as it is, not at all', () => {
    expect(() => interactiveOverheadDistributionSpec({ mark: 'line' } as never)).toThrow('no layers');
  });
});

describe('interactiveQuorumVsLatencySpec', () => {
  const spec = asJson(interactiveQuorumVsLatencySpec(planCharts(data)[0]?.spec as never));

  it('adds one checkbox per statistic, all ticked', () => {
    expect(spec.params).toEqual([
      { name: 'show_mean', value: true, bind: { input: 'checkbox', name: 'mean ' } },
      { name: 'show_median', value: true, bind: { input: 'checkbox', name: 'median (p50) ' } },
      { name: 'show_p95', value: true, bind: { input: 'checkbox', name: 'p95 ' } },
      { name: 'show_p99', value: true, bind: { input: 'checkbox', name: 'p99 ' } },
    ]);
  });

  it('filters out each unticked statistic, measured and model alike', () => {
    const filter: string = spec.transform.at(-1).filter;
    const shown = (statistic: string, ticked: Record<string, boolean>) =>
      new Function('datum', ...Object.keys(ticked), `return ${filter};`)(
        { statistic },
        ...Object.values(ticked),
      ) as boolean;
    const allButP99 = { show_mean: true, show_median: true, show_p95: true, show_p99: false };
    expect(shown('median (p50)', allButP99)).toBe(true);
    expect(shown('p99', allButP99)).toBe(false);
  });

  it('keeps the tooltip on every point', () => {
    expect(tooltipFields(spec)).toEqual(['w', 'statistic', 'source', 'latencyMs']);
  });
});

describe('distribution and consistency charts', () => {
  it('get points with tooltips and a legend click that picks a W', () => {
    const [, latency, overhead] = interactiveCharts(data).map((c) => asJson(c.spec));
    expect(latency.mark.point).toEqual({ filled: true, size: 14 });
    expect(tooltipFields(latency)).toEqual(['w', 'series', 'valueMs', 'fraction']);
    expect(latency.params).toEqual([{ name: PICK_W_PARAM, select: { type: 'point', fields: ['w'] }, bind: 'legend' }]);
    expect(tooltipFields(overhead.layer[0])).toEqual(['w', 'valueMs', 'fraction']);
    expect(overhead.layer[0].encoding.opacity.condition.param).toBe(PICK_W_PARAM);
  });

  it('consistency bars name their follower and value on hover', () => {
    const spec = asJson(interactiveConsistencySpec(planCharts(data)[3]?.spec as never));
    expect(tooltipFields(spec.spec.layer[0])).toEqual(['w', 'follower', 'measure', 'moment', 'value']);
  });
});
