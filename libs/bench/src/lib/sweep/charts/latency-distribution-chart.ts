/**
 * Distribution charts, one curve per W: `latency_distribution` (the ECDF of each successful
 * write's latency, with the ECDF of its ideal latency dashed beside it) and
 * `overhead_distribution` (the ECDF of latency minus ideal, on a symlog axis so the
 * millisecond body and a long tail both stay readable, with the fidelity targets marked).
 * Repeats are pooled. With two ack modes, the latency chart gets one panel per mode and the
 * overhead chart draws "applied" dashed over "received", so both can be read against the same
 * targets. Pure: builds the specs only.
 */
import type { AckMode } from '@quorum-kv/replication-protocol';
import type { TopLevelSpec } from 'vega-lite';
import type { FloorComparison } from '../../floor/floor-comparison';
import type { Field } from 'vega-lite/types_unstable/channeldef.js';
import type { LayerSpec } from 'vega-lite/types_unstable/spec/layer.js';
import type { WriteRecord } from '../records';
import { copySpec, layersOf, objectAt, type JsonObject, type SweepChart } from './sweep-chart';
import { ackModesIn, chartBase } from '../../common/chart-theme';
import { ecdfPoints, DEFAULT_ECDF_POINTS } from '../../common/ecdf';

export const LATENCY_DISTRIBUTION_CHART = 'latency_distribution';
export const OVERHEAD_DISTRIBUTION_CHART = 'overhead_distribution';

/** Fidelity targets of DESIGN.md section 6 (overhead per write, ms). */
export const OVERHEAD_TARGET_P50_MS = 2;
export const OVERHEAD_TARGET_P99_MS = 5;

export interface DistributionPoint {
  w: string;
  ackMode: AckMode;
  series: string;
  valueMs: number;
  fraction: number;
}

const MEASURED = 'measured latency';
const IDEAL = 'ideal (W-th smallest delay)';

/** Writes grouped by ack mode (in ACK_MODES order), then W (ascending). */
function groups(writes: readonly WriteRecord[]): Array<{ ackMode: AckMode; w: number; writes: WriteRecord[] }> {
  return ackModesIn(writes).flatMap((ackMode) => {
    const ofMode = writes.filter((r) => r.ackMode === ackMode);
    return [...new Set(ofMode.map((r) => r.w))]
      .sort((a, b) => a - b)
      .map((w) => ({ ackMode, w, writes: ofMode.filter((r) => r.w === w) }));
  });
}

function wLabel(w: number): string {
  return `W=${w}`;
}

function curves(
  writes: readonly WriteRecord[],
  series: string,
  value: (r: WriteRecord) => number | null,
  maxPoints: number,
): DistributionPoint[] {
  const points: DistributionPoint[] = [];
  for (const group of groups(writes)) {
    const values = group.writes
      .filter((r) => r.outcome === 'ok')
      .flatMap((r) => {
        const v = value(r);
        return v === null ? [] : [v];
      });
    for (const p of ecdfPoints(values, maxPoints))
      points.push({ w: wLabel(group.w), ackMode: group.ackMode, series, valueMs: p.x, fraction: p.fraction });
  }
  return points;
}

/** Successful writes' latency, and their ideal latency where the leader reported the delays. */
export function latencyDistributionPoints(
  writes: readonly WriteRecord[],
  maxPoints = DEFAULT_ECDF_POINTS,
): DistributionPoint[] {
  return [
    ...curves(writes, MEASURED, (r) => r.latencyMs, maxPoints),
    ...curves(writes, IDEAL, (r) => r.idealMs, maxPoints),
  ];
}

export function overheadDistributionPoints(
  writes: readonly WriteRecord[],
  maxPoints = DEFAULT_ECDF_POINTS,
): DistributionPoint[] {
  return curves(writes, 'overhead', (r) => r.overheadMs, maxPoints);
}

function wDomain(writes: readonly WriteRecord[]): string[] {
  return [...new Set(writes.map((r) => r.w))].sort((a, b) => a - b).map(wLabel);
}

/** Which writes the curves leave out, and over how many runs they pool. */
function excludedNote(writes: readonly WriteRecord[]): string {
  const failed = writes.filter((r) => r.outcome !== 'ok').length;
  const runs = new Set(writes.map((r) => r.run)).size;
  // A W where every write failed keeps its colour in the legend but has no curve: say why.
  const empty = groups(writes).filter((g) => g.writes.every((r) => r.outcome !== 'ok'));
  const emptyWs = [...new Set(empty.map((g) => wLabel(g.w)))];
  const none = emptyWs.length > 0 ? ` No curve at ${emptyWs.join(', ')}: every write there failed.` : '';
  const pooled = runs > 1 ? ` Pooled over ${runs} runs.` : '';
  return (failed === 0 ? 'Every write succeeded.' : `${failed} failed or timed-out write(s) left out.`) + none + pooled;
}

const fractionAxis = {
  field: 'fraction',
  type: 'quantitative' as const,
  title: 'Fraction of writes ≤ x',
  scale: { domain: [0, 1] },
  axis: { format: '%' },
};

/** A facet column per ack mode (a unit spec's encoding channel, so the spec stays one unit). */
function ackModeColumn(modes: AckMode[]) {
  return {
    field: 'ackMode',
    type: 'nominal',
    title: null,
    sort: modes,
    header: { labelExpr: `'ack mode "' + (datum.label) + '"'`, labelFontWeight: 'bold' },
  } as const;
}

export function latencyDistributionSpec(writes: readonly WriteRecord[]): TopLevelSpec {
  const modes = ackModesIn(writes);
  const faceted = modes.length > 1;
  return {
    ...chartBase(),
    title: {
      text: 'Write latency distribution per W (ECDF)',
      subtitle: [
        'Solid: measured latency of each successful write.',
        'Dashed: its ideal latency, the W-th smallest injected delay it drew.',
        `Where the two coincide, the implementation adds nothing visible. ${excludedNote(writes)}`,
        ...(faceted ? ['One panel per ack mode, on the same scale.'] : []),
      ],
    },
    width: faceted ? 440 : 620,
    height: 380,
    data: { values: latencyDistributionPoints(writes) },
    mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 },
    encoding: {
      x: { field: 'valueMs', type: 'quantitative', title: 'Write latency (ms)' },
      y: fractionAxis,
      color: { field: 'w', type: 'nominal', title: 'Quorum', scale: { domain: wDomain(writes), scheme: 'tableau10' } },
      strokeDash: {
        field: 'series',
        type: 'nominal',
        title: 'Curve',
        scale: {
          domain: [MEASURED, IDEAL],
          range: [
            [1, 0],
            [5, 4],
          ],
        },
      },
      detail: { field: 'series', type: 'nominal' },
      ...(faceted && { column: ackModeColumn(modes) }),
    },
  };
}

const SYMLOG_TICKS_MS = [
  -1000, -500, -200, -100, -50, -20, -10, -5, -2, -1, 0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000,
  20000, 50000,
];

/**
 * Domain and tick values for the symlog overhead axis: round numbers from the smallest value
 * (or 0) to the largest (at least the p99 target, so both target rules are always in view).
 */
export function symlogAxis(valuesMs: readonly number[]): { domain: [number, number]; ticks: number[] } {
  const finite = valuesMs.filter((v) => Number.isFinite(v));
  const minMs = Math.min(0, ...finite);
  const maxMs = Math.max(OVERHEAD_TARGET_P99_MS, ...finite);
  const lo = [...SYMLOG_TICKS_MS].reverse().find((t) => t <= minMs) ?? minMs;
  const hi = SYMLOG_TICKS_MS.find((t) => t >= maxMs) ?? maxMs;
  return { domain: [lo, hi], ticks: SYMLOG_TICKS_MS.filter((t) => t >= lo && t <= hi) };
}

/** The floor's p50 and p99 per W, as points at y = 0.5 and 0.99 on the overhead chart. Pure. */
export function floorMarks(
  floor: FloorComparison | undefined,
): Array<{ w: string; fraction: number; valueMs: number; label: string }> {
  if (floor === undefined) return [];
  return floor.rows.flatMap((r) =>
    [
      { fraction: 0.5, valueMs: r.floor.overheadMsP50, label: 'floor p50' },
      { fraction: 0.99, valueMs: r.floor.overheadMsP99, label: 'floor p99' },
    ]
      .filter((m) => Number.isFinite(m.valueMs))
      .map((m) => ({ w: wLabel(r.w as number), ...m })),
  );
}

export function overheadDistributionSpec(writes: readonly WriteRecord[], floor?: FloorComparison): TopLevelSpec {
  const points = overheadDistributionPoints(writes);
  const modes = ackModesIn(writes);
  const twoModes = modes.length > 1;
  const marks = floorMarks(floor);
  const { domain, ticks } = symlogAxis([...points.map((p) => p.valueMs), ...marks.map((m) => m.valueMs)]);
  const x = { field: 'valueMs', type: 'quantitative' as const };
  return {
    ...chartBase(),
    title: {
      text: 'Overhead per write: measured latency minus its ideal (ECDF per W)',
      subtitle: [
        'The time the implementation adds to the W-th fastest injected delay.',
        `Target: every curve passes above both diamonds (50% of writes within ${OVERHEAD_TARGET_P50_MS} ms,`,
        `99% within ${OVERHEAD_TARGET_P99_MS} ms). ${excludedNote(writes)}`,
        ...(twoModes ? [`Solid: ack mode "${modes[0]}"; dashed: "${modes[1]}" (the colour is still W).`] : []),
        ...(marks.length > 0
          ? ['Crosses: the bare relay floor (same topology, workload and delays, this run) at its p50 and p99 per W.']
          : []),
      ],
    },
    width: 620,
    height: 380,
    layer: [
      {
        data: { values: points },
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 },
        encoding: {
          x: {
            ...x,
            title: 'Overhead (ms, symlog scale)',
            scale: { type: 'symlog', domain, nice: false },
            axis: { values: ticks, grid: true },
          },
          y: fractionAxis,
          color: {
            field: 'w',
            type: 'nominal',
            title: 'Quorum',
            scale: { domain: wDomain(writes), scheme: 'tableau10' },
          },
          ...(twoModes && {
            strokeDash: {
              field: 'ackMode',
              type: 'nominal',
              title: 'Ack mode',
              scale: {
                domain: modes,
                range: [
                  [1, 0],
                  [6, 3],
                ],
              },
              legend: { symbolStrokeWidth: 2, symbolSize: 300 },
            },
          }),
        },
      },
      ...(marks.length === 0
        ? []
        : [
            {
              data: { values: marks },
              mark: { type: 'point' as const, shape: 'cross' as const, filled: true, size: 90, opacity: 0.9 },
              encoding: {
                x,
                y: { field: 'fraction', type: 'quantitative' as const },
                color: {
                  field: 'w',
                  type: 'nominal' as const,
                  scale: { domain: wDomain(writes), scheme: 'tableau10' as const },
                },
              },
            },
          ]),
      overheadTargetsLayer(),
    ],
  };
}

/** The two targets, each a rule with a diamond at its fraction and a label near the rule's foot. */
function overheadTargetsLayer(): LayerSpec<Field> {
  const x = { field: 'valueMs', type: 'quantitative' as const };
  const targets = [
    // labelFraction staggers the two labels, which sit close together on the symlog axis.
    {
      valueMs: OVERHEAD_TARGET_P50_MS,
      fraction: 0.5,
      labelFraction: 0.01,
      label: `p50 target ${OVERHEAD_TARGET_P50_MS} ms`,
    },
    {
      valueMs: OVERHEAD_TARGET_P99_MS,
      fraction: 0.99,
      labelFraction: 0.07,
      label: `p99 target ${OVERHEAD_TARGET_P99_MS} ms`,
    },
  ];
  return {
    data: { values: targets },
    layer: [
      { mark: { type: 'rule', strokeDash: [3, 3], color: '#333' }, encoding: { x } },
      {
        mark: { type: 'point', shape: 'diamond', filled: true, size: 110, color: 'black' },
        encoding: { x, y: { field: 'fraction', type: 'quantitative' } },
      },
      // Labels sit near the foot of each rule, where the curves (which rise early) leave room.
      {
        mark: { type: 'text', align: 'left', baseline: 'bottom', dx: 5, dy: -2, fontSize: 11, color: '#333' },
        encoding: { x, y: { field: 'labelFraction', type: 'quantitative' }, text: { field: 'label' } },
      },
    ],
  };
}

/** Name of the legend-bound selection that picks out one W in the distribution charts. */
export const PICK_W_PARAM = 'pick_w';

const distributionTooltip = [
  { field: 'w', type: 'nominal', title: 'Quorum' },
  { field: 'series', type: 'nominal', title: 'Curve' },
  { field: 'valueMs', type: 'quantitative', title: 'ms', format: '.2f' },
  { field: 'fraction', type: 'quantitative', title: 'Fraction of writes ≤ ms', format: '.1%' },
];

/**
 * Adds small points with tooltips to an ECDF line layer, and a legend click that highlights
 * one W (shift-click for more, double-click the chart to show all again).
 */
function decorateEcdfUnit(unit: JsonObject, hasSeries: boolean): void {
  const mark = objectAt(unit, 'mark');
  unit['mark'] = { ...mark, point: { filled: true, size: 14 } };
  const encoding = objectAt(unit, 'encoding');
  encoding['tooltip'] = hasSeries ? distributionTooltip : distributionTooltip.filter((t) => t.field !== 'series');
  encoding['opacity'] = { condition: { param: PICK_W_PARAM, value: 1 }, value: 0.15 };
  // With points on the line the legend would draw the curve kinds as circles: keep them strokes.
  const strokeDash = encoding['strokeDash'];
  if (typeof strokeDash === 'object' && strokeDash !== null) {
    const legend = (strokeDash as JsonObject)['legend'];
    (strokeDash as JsonObject)['legend'] = {
      ...(typeof legend === 'object' && legend !== null ? legend : {}),
      symbolType: 'stroke',
      symbolStrokeWidth: 2,
    };
  }
  unit['params'] = [
    ...((unit['params'] as unknown[] | undefined) ?? []),
    { name: PICK_W_PARAM, select: { type: 'point', fields: ['w'] }, bind: 'legend' },
  ];
}

export function interactiveLatencyDistributionSpec(spec: TopLevelSpec): TopLevelSpec {
  const out = copySpec(spec);
  decorateEcdfUnit(out, true);
  return out as unknown as TopLevelSpec;
}

export function interactiveOverheadDistributionSpec(spec: TopLevelSpec): TopLevelSpec {
  const out = copySpec(spec);
  const [curves] = layersOf(out);
  decorateEcdfUnit(curves as JsonObject, false);
  return out as unknown as TopLevelSpec;
}

const PICK_W_HINT =
  'Hover a point for its value; click a W in the legend to pick it out (shift-click for more, double-click the chart for all).';

export const latencyDistributionChart: SweepChart = {
  baseName: LATENCY_DISTRIBUTION_CHART,
  spec: ({ writes }) => (writes.some((r) => r.outcome === 'ok') ? latencyDistributionSpec(writes) : null),
  alt: 'Latency distribution per W (ECDF)',
  caption:
    'For each W, the share of writes (y) that finished within a given latency (x). ' +
    'Dashed: the ideal latency of the same writes. With two ack modes, one panel each.',
  hint: PICK_W_HINT,
  interactive: interactiveLatencyDistributionSpec,
};

export const overheadDistributionChart: SweepChart = {
  baseName: OVERHEAD_DISTRIBUTION_CHART,
  spec: ({ writes, floor }) =>
    writes.some((r) => r.outcome === 'ok' && r.overheadMs !== null) ? overheadDistributionSpec(writes, floor) : null,
  alt: 'Overhead per write (latency minus ideal), ECDF per W',
  caption:
    'How much each write took beyond its ideal. The target is met when every curve passes above both diamonds. ' +
    'With two ack modes, "applied" is dashed. Crosses, when present: the bare relay floor\'s p50 and p99 per W.',
  hint: PICK_W_HINT,
  interactive: interactiveOverheadDistributionSpec,
};
