/**
 * `durability_heatmap`: acknowledged writes lost, per write quorum W (rows) and recovery quorum R
 * (columns). Each cell shows "lost / acknowledged" and the model's verdict; its colour is the
 * share lost (white is none, grey is no acknowledged write). Cells where W + R > N, which the quorum intersection promises to
 * lose nothing, have a thick green border, or a red one if they lost anything anyway. Pure:
 * builds the spec only.
 */
import type { TopLevelSpec } from 'vega-lite';
import { chartBase, finiteOrNull } from '../common/chart-theme';
import type { DurabilityCell } from './durability-records';
import { sweepVerdict } from './durability-summary';

export const DURABILITY_HEATMAP_CHART = 'durability_heatmap';

export const PROMISE_COLOUR = '#2b8a3e';
export const VIOLATION_COLOUR = '#c92a2a';
const PLAIN_BORDER = '#bbbbbb';
const NO_DATA_COLOUR = '#eeeeee';

export interface HeatMapPoint {
  w: number;
  r: number;
  lost: number;
  acknowledged: number;
  /** lost / acknowledged; null without acknowledged writes (drawn grey). */
  lostFraction: number | null;
  label: string;
  verdictLabel: string;
  border: string;
  borderWidth: number;
}

export function heatMapPoints(cells: readonly DurabilityCell[]): HeatMapPoint[] {
  return cells.map((c) => {
    const promised = c.modelVerdict === 'no loss';
    return {
      w: c.w,
      r: c.r,
      lost: c.lost,
      acknowledged: c.acknowledged,
      lostFraction: finiteOrNull(c.lostFraction),
      label: `${c.lost} / ${c.acknowledged}`,
      verdictLabel: c.status === 'violated' ? 'VIOLATED' : c.status === 'unchecked' ? 'unchecked' : c.modelVerdict,
      border: c.status === 'violated' ? VIOLATION_COLOUR : promised ? PROMISE_COLOUR : PLAIN_BORDER,
      borderWidth: promised || c.status === 'violated' ? 3 : 1,
    };
  });
}

/** The subtitle's last line: did the model hold? */
export function heatMapVerdict(cells: readonly DurabilityCell[]): string {
  const verdict = sweepVerdict(cells);
  const at = (list: readonly DurabilityCell[]) => list.map((c) => `W=${c.w} R=${c.r}`).join(', ');
  if (verdict.violated.length > 0)
    return `MODEL VIOLATED: acknowledged writes lost where W + R > N, at ${at(verdict.violated)}.`;
  if (verdict.unchecked.length > 0)
    return `Unchecked: a read failed, or no write was acknowledged (${at(verdict.unchecked)}).`;
  return 'The model held: no acknowledged write was lost in any cell with W + R > N.';
}

export function durabilityHeatMapSpec(cells: readonly DurabilityCell[], crashesPerCell: number): TopLevelSpec {
  const followers = cells[0]?.followers ?? 0;
  const ws = [...new Set(cells.map((c) => c.w))].sort((a, b) => b - a);
  const rs = [...new Set(cells.map((c) => c.r))].sort((a, b) => a - b);
  const x = {
    field: 'r',
    type: 'ordinal',
    title: 'Recovery quorum R',
    scale: { domain: rs },
    axis: { labelAngle: 0 },
  } as const;
  const y = { field: 'w', type: 'ordinal', title: 'Write quorum W', scale: { domain: ws } } as const;
  const dark = { test: 'datum.lostFraction > 0.5', value: 'white' } as const;
  const tooltip = [
    { field: 'w', title: 'W' },
    { field: 'r', title: 'R' },
    { field: 'lost', title: 'lost' },
    { field: 'acknowledged', title: 'acknowledged' },
    { field: 'verdictLabel', title: 'verdict' },
  ];
  return {
    ...chartBase(),
    title: {
      text: 'Acknowledged writes lost after leader crashes, per W and R',
      subtitle: [
        `N = ${followers} followers, ${crashesPerCell} crash${crashesPerCell === 1 ? '' : 'es'} per cell; ` +
          `each cell: lost / acknowledged, and the model's verdict.`,
        'Green border: W + R > N, where the quorum intersection promises no loss. Colour: share lost.',
        heatMapVerdict(cells),
      ],
    },
    data: { values: heatMapPoints(cells) },
    width: Math.max(300, 100 * rs.length),
    height: Math.max(200, 72 * ws.length),
    encoding: { x, y },
    layer: [
      // Grey under every cell: a cell without acknowledged writes has no share and stays grey.
      { mark: { type: 'rect', color: NO_DATA_COLOUR }, encoding: { tooltip } },
      {
        mark: { type: 'rect' },
        encoding: {
          color: {
            field: 'lostFraction',
            type: 'quantitative',
            title: 'share lost',
            scale: { domain: [0, 1], range: ['#ffffff', '#b2182b'], interpolate: 'rgb' },
            legend: { format: '.0%' },
          },
          tooltip,
        },
      },
      {
        mark: { type: 'rect', filled: false },
        encoding: {
          stroke: { field: 'border', type: 'nominal', scale: null },
          strokeWidth: { field: 'borderWidth', type: 'quantitative', scale: null },
        },
      },
      {
        mark: { type: 'text', fontSize: 13, fontWeight: 'bold', dy: -8 },
        encoding: { text: { field: 'label' }, color: { condition: dark, value: 'black' } },
      },
      {
        mark: { type: 'text', fontSize: 11, dy: 10 },
        encoding: { text: { field: 'verdictLabel' }, color: { condition: dark, value: '#333' } },
      },
    ],
  } as TopLevelSpec;
}
