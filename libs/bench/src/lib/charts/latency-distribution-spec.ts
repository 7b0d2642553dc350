/**
 * Distribution charts, one curve per W: `latency_distribution` (the ECDF of each successful
 * write's latency, with the ECDF of its ideal latency dashed beside it) and
 * `overhead_distribution` (the ECDF of latency minus ideal, on a symlog axis so the
 * millisecond body and a long tail both stay readable, with the fidelity targets marked).
 * Pure: builds the specs only.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { WriteRecord } from '../records';
import { chartBase } from './chart-theme';
import { ecdfPoints, DEFAULT_ECDF_POINTS } from './ecdf';

export const LATENCY_DISTRIBUTION_CHART = 'latency_distribution';
export const OVERHEAD_DISTRIBUTION_CHART = 'overhead_distribution';

/** Fidelity targets of DESIGN.md section 6 (overhead per write, ms). */
export const OVERHEAD_TARGET_P50_MS = 2;
export const OVERHEAD_TARGET_P99_MS = 5;

export interface DistributionPoint {
  w: string;
  series: string;
  valueMs: number;
  fraction: number;
}

const MEASURED = 'measured latency';
const IDEAL = 'ideal (W-th smallest delay)';

function byW(writes: WriteRecord[]): Map<number, WriteRecord[]> {
  const groups = new Map<number, WriteRecord[]>();
  for (const record of [...writes].sort((a, b) => a.w - b.w)) {
    const group = groups.get(record.w) ?? [];
    group.push(record);
    groups.set(record.w, group);
  }
  return groups;
}

function wLabel(w: number): string {
  return `W=${w}`;
}

function curves(writes: WriteRecord[], series: string, value: (r: WriteRecord) => number | null, maxPoints: number): DistributionPoint[] {
  const points: DistributionPoint[] = [];
  for (const [w, group] of byW(writes)) {
    const values = group.filter((r) => r.outcome === 'ok').flatMap((r) => {
      const v = value(r);
      return v === null ? [] : [v];
    });
    for (const p of ecdfPoints(values, maxPoints)) points.push({ w: wLabel(w), series, valueMs: p.x, fraction: p.fraction });
  }
  return points;
}

/** Successful writes' latency, and their ideal latency where the leader reported the delays. */
export function latencyDistributionPoints(writes: WriteRecord[], maxPoints = DEFAULT_ECDF_POINTS): DistributionPoint[] {
  return [...curves(writes, MEASURED, (r) => r.latencyMs, maxPoints), ...curves(writes, IDEAL, (r) => r.idealMs, maxPoints)];
}

export function overheadDistributionPoints(writes: WriteRecord[], maxPoints = DEFAULT_ECDF_POINTS): DistributionPoint[] {
  return curves(writes, 'overhead', (r) => r.overheadMs, maxPoints);
}

function wDomain(writes: WriteRecord[]): string[] {
  return [...byW(writes).keys()].map(wLabel);
}

function excludedNote(writes: WriteRecord[]): string {
  const failed = writes.filter((r) => r.outcome !== 'ok').length;
  return failed === 0 ? 'Every write succeeded.' : `${failed} failed or timed-out write(s) left out.`;
}

const fractionAxis = { field: 'fraction', type: 'quantitative' as const, title: 'Fraction of writes ≤ x', scale: { domain: [0, 1] }, axis: { format: '%' } };

export function latencyDistributionSpec(writes: WriteRecord[]): TopLevelSpec {
  return {
    ...chartBase(),
    title: {
      text: 'Write latency distribution per W (ECDF)',
      subtitle: [
        'Solid: measured latency of each successful write.',
        'Dashed: its ideal latency, the W-th smallest injected delay it drew.',
        `Where the two coincide, the implementation adds nothing visible. ${excludedNote(writes)}`,
      ],
    },
    width: 620,
    height: 380,
    data: { values: latencyDistributionPoints(writes) },
    mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 },
    encoding: {
      x: { field: 'valueMs', type: 'quantitative', title: 'Write latency (ms)' },
      y: fractionAxis,
      color: { field: 'w', type: 'nominal', title: 'Quorum', scale: { domain: wDomain(writes), scheme: 'tableau10' } },
      strokeDash: { field: 'series', type: 'nominal', title: 'Curve', scale: { domain: [MEASURED, IDEAL], range: [[1, 0], [5, 4]] } },
      detail: { field: 'series', type: 'nominal' },
    },
  };
}

const SYMLOG_TICKS_MS = [-1000, -500, -200, -100, -50, -20, -10, -5, -2, -1, 0, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000];

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

export function overheadDistributionSpec(writes: WriteRecord[]): TopLevelSpec {
  const points = overheadDistributionPoints(writes);
  const { domain, ticks } = symlogAxis(points.map((p) => p.valueMs));
  const targets = [
    { valueMs: OVERHEAD_TARGET_P50_MS, fraction: 0.5, label: `p50 target ${OVERHEAD_TARGET_P50_MS} ms` },
    { valueMs: OVERHEAD_TARGET_P99_MS, fraction: 0.99, label: `p99 target ${OVERHEAD_TARGET_P99_MS} ms` },
  ];
  const x = { field: 'valueMs', type: 'quantitative' as const };
  return {
    ...chartBase(),
    title: {
      text: 'Overhead per write: measured latency minus its ideal (ECDF per W)',
      subtitle: [
        'The time the implementation adds to the W-th fastest injected delay.',
        `Target: every curve passes above both diamonds (50% of writes within ${OVERHEAD_TARGET_P50_MS} ms,`,
        `99% within ${OVERHEAD_TARGET_P99_MS} ms). ${excludedNote(writes)}`,
      ],
    },
    width: 620,
    height: 380,
    layer: [
      {
        data: { values: points },
        mark: { type: 'line', interpolate: 'step-after', strokeWidth: 2 },
        encoding: {
          x: { ...x, title: 'Overhead (ms, symlog scale)', scale: { type: 'symlog', domain, nice: false }, axis: { values: ticks, grid: true } },
          y: fractionAxis,
          color: { field: 'w', type: 'nominal', title: 'Quorum', scale: { domain: wDomain(writes), scheme: 'tableau10' } },
        },
      },
      {
        data: { values: targets },
        layer: [
          { mark: { type: 'rule', strokeDash: [3, 3], color: '#333' }, encoding: { x } },
          { mark: { type: 'point', shape: 'diamond', filled: true, size: 110, color: 'black' }, encoding: { x, y: { field: 'fraction', type: 'quantitative' } } },
          // Labels sit at the foot of each rule, where the curves (which rise early) leave room.
          { mark: { type: 'text', align: 'left', baseline: 'bottom', dx: 5, dy: -6, fontSize: 11, color: '#333' }, encoding: { x, y: { datum: 0 }, text: { field: 'label' } } },
        ],
      },
    ],
  };
}
