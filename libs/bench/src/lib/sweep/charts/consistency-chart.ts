/**
 * `consistency`: how far each follower was from the leader, per W, right after the last
 * write of that W was acknowledged and again after draining. Grouped bars (one per follower
 * within each W), one row per measure, one column per moment (and ack mode, when there are
 * two). A repeated sweep shows the largest value over its runs. A coloured tick marks every
 * value, so a zero (the expected result after draining) is still visible on the baseline; a
 * follower stopped on purpose is labelled "down" instead of a bar. Pure: builds the spec only.
 */
import type { AckMode } from '@quorum-kv/replication-protocol';
import type { TopLevelSpec } from 'vega-lite';
import type { Field } from 'vega-lite/types_unstable/channeldef.js';
import type { UnitSpec } from 'vega-lite/types_unstable/spec/unit.js';
import type { ConsistencyRow } from '../records';
import { copySpec, layersOf, objectAt, type JsonObject, type SweepChart, type WPoint } from './sweep-chart';
import { ackModesIn, byAckMode, chartBase, wBandAxis } from '../../common/chart-theme';

export const CONSISTENCY_CHART = 'consistency';

/** The moments (the panels, left to right) and the measures (the rows, top to bottom). */
export const MOMENTS = ['right after the last ack', 'after drain'] as const;
export const [AT_LAST_ACK, AFTER_DRAIN] = MOMENTS;
export const MEASURES = ['entries behind (LSN)', 'keys differing'] as const;
export const [ENTRIES_BEHIND, KEYS_DIFFERING] = MEASURES;
export const DOWN_LABEL = 'down';

export interface ConsistencyPoint extends WPoint {
  follower: string;
  moment: (typeof MOMENTS)[number];
  measure: (typeof MEASURES)[number];
  /** The facet column: the moment, with the ack mode when the sweep measured two. */
  panel: string;
  /** The largest value over the runs; null when no check produced a number (Vega skips it) or the follower was down. */
  value: number | null;
  /** The follower was stopped on purpose: drawn as a "down" label, not a bar. */
  down: boolean;
}

/** The largest finite value, or null when there is none. */
function largest(values: readonly number[]): number | null {
  const finite = values.filter((v) => Number.isFinite(v));
  return finite.length === 0 ? null : Math.max(...finite);
}

/** Rows grouped per ack mode, W and follower (in that order), over every run. */
function groupRows(rows: readonly ConsistencyRow[]): ConsistencyRow[][] {
  const groups = new Map<string, ConsistencyRow[]>();
  const sorted = [...rows].sort((a, b) => byAckMode(a, b) || a.w - b.w || a.follower - b.follower);
  for (const row of sorted) {
    const key = `${row.ackMode}|${row.w}|${row.follower}`;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  return [...groups.values()];
}

export function panelLabel(moment: string, ackMode: AckMode, ackModeCount: number): string {
  return ackModeCount > 1 ? `${moment} (${ackMode})` : moment;
}

/** Four points per ack mode, W and follower: entries and keys, at the last ack and after drain, each the largest over the runs. */
export function consistencyPoints(rows: readonly ConsistencyRow[]): ConsistencyPoint[] {
  const modeCount = ackModesIn(rows).length;
  return groupRows(rows).flatMap((group) => {
    const first = group[0] as ConsistencyRow;
    const down = group.some((r) => r.down === true);
    const follower = `follower ${first.follower}`;
    const point = (
      moment: ConsistencyPoint['moment'],
      measure: ConsistencyPoint['measure'],
      field: keyof ConsistencyRow,
    ): ConsistencyPoint => ({
      w: first.w,
      ackMode: first.ackMode,
      follower,
      moment,
      measure,
      panel: panelLabel(moment, first.ackMode, modeCount),
      value: down ? null : largest(group.map((r) => r[field] as number)),
      down,
    });
    return [
      point(AT_LAST_ACK, ENTRIES_BEHIND, 'lsnBehindAtLastAck'),
      point(AT_LAST_ACK, KEYS_DIFFERING, 'differingKeysAtLastAck'),
      point(AFTER_DRAIN, ENTRIES_BEHIND, 'lsnBehindAfterDrain'),
      point(AFTER_DRAIN, KEYS_DIFFERING, 'differingKeysAfterDrain'),
    ];
  });
}

/** Rows of followers that were compared (not stopped on purpose). */
export function liveRows(rows: readonly ConsistencyRow[]): ConsistencyRow[] {
  return rows.filter((r) => r.down !== true);
}

/** Live followers that were not equal to the leader after draining (or could not be checked). */
export function unconvergedRows(rows: readonly ConsistencyRow[]): ConsistencyRow[] {
  return liveRows(rows).filter((r) => !(r.lsnBehindAfterDrain === 0 && r.differingKeysAfterDrain === 0));
}

/** The followers (1-based, ascending) stopped on purpose. */
export function downFollowers(rows: readonly ConsistencyRow[]): number[] {
  return [...new Set(rows.filter((r) => r.down === true).map((r) => r.follower))].sort((a, b) => a - b);
}

/** Subtitle lines saying whether draining made every live follower equal to the leader. */
export function drainVerdict(rows: readonly ConsistencyRow[]): string[] {
  if (rows.length === 0) return ['No consistency checks recorded.'];
  const bad = unconvergedRows(rows);
  const stopped = downFollowers(rows);
  const down =
    stopped.length === 0
      ? []
      : [`Follower ${stopped.join(', ')} was stopped on purpose: marked "${DOWN_LABEL}", not compared.`];
  if (bad.length === 0)
    return ['After draining, every live follower equals the leader at every W (all zero, as it must be).', ...down];
  const ws = [...new Set(bad.map((r) => r.w))].sort((a, b) => a - b);
  const followers = new Set(bad.map((r) => r.follower)).size;
  const differ = followers === 1 ? '1 follower still differs' : `${followers} followers still differ`;
  return [
    `NOT CONVERGED at W=${ws.join(', ')}: after draining, ${differ} from the leader.`,
    'This is a bug: draining must make every follower equal to the leader.',
    ...down,
  ];
}

export function consistencySpec(rows: readonly ConsistencyRow[]): TopLevelSpec {
  const followers = [...new Set(rows.map((r) => r.follower))].sort((a, b) => a - b).map((f) => `follower ${f}`);
  const ws = [...new Set(rows.map((r) => r.w))].sort((a, b) => a - b);
  const modes = ackModesIn(rows);
  const runs = new Set(rows.map((r) => r.run)).size;
  const panels = MOMENTS.flatMap((moment) => modes.map((mode) => panelLabel(moment, mode, modes.length)));
  const x = wBandAxis(ws, 0.25);
  const xOffset = { field: 'follower', type: 'nominal', scale: { domain: followers } } as const;
  // unionWith keeps 0 at the bottom (and an axis to read) when every value of a panel is 0.
  const y = { field: 'value', type: 'quantitative' as const, title: null, axis: { tickMinStep: 1, format: 'd' } };
  // Set on one layer only (Vega-Lite warns when layers state the domain twice).
  const yScale = { scale: { domain: { unionWith: [0, 1] } } };
  const color = {
    field: 'follower',
    type: 'nominal',
    title: 'Follower',
    scale: { domain: followers, scheme: 'tableau10' },
  } as const;
  // A follower stopped on purpose has no bar: a "down" label stands in its slot.
  const downLabels: UnitSpec<Field>[] = rows.some((r) => r.down === true)
    ? [
        {
          transform: [{ filter: 'datum.down' }],
          mark: {
            type: 'text',
            text: DOWN_LABEL,
            angle: 270,
            align: 'left',
            baseline: 'middle',
            dx: 4,
            fontSize: 11,
            color: '#666',
          },
          encoding: { x, xOffset, y: { datum: 0 } },
        },
      ]
    : [];
  return {
    ...chartBase(),
    title: {
      text: 'Follower lag behind the leader, per W',
      subtitle: [
        'Per follower: log entries not yet applied, and keys whose value differs from the leader.',
        ...(runs > 1 ? [`Each bar is the largest value over the ${runs} runs.`] : []),
        ...drainVerdict(rows),
      ],
    },
    data: { values: consistencyPoints(rows) },
    facet: {
      row: {
        field: 'measure',
        type: 'nominal',
        title: null,
        sort: [...MEASURES],
        header: { labelFontWeight: 'bold', labelAngle: -90 },
      },
      column: { field: 'panel', type: 'nominal', title: null, sort: panels, header: { labelFontWeight: 'bold' } },
    },
    spec: {
      width: modes.length > 1 ? 240 : 300,
      height: 180,
      layer: [
        { mark: { type: 'bar' }, encoding: { x, xOffset, y: { ...y, ...yScale }, color } },
        { mark: { type: 'tick', thickness: 2 }, encoding: { x, xOffset, y, color } },
        ...downLabels,
      ],
    },
    // One ack mode: each panel its own scale, so small lags stay readable. Two: one scale, so the modes compare by bar height.
    resolve: { scale: { y: modes.length > 1 ? 'shared' : 'independent' } },
  };
}

/** Consistency bars: a tooltip naming W, follower, measure, moment and value. */
export function interactiveConsistencySpec(spec: TopLevelSpec): TopLevelSpec {
  const out = copySpec(spec);
  const [bars] = layersOf(objectAt(out, 'spec'));
  objectAt(bars as JsonObject, 'encoding')['tooltip'] = [
    { field: 'w', type: 'ordinal', title: 'W' },
    { field: 'follower', type: 'nominal', title: 'Follower' },
    { field: 'measure', type: 'nominal', title: 'Measure' },
    { field: 'moment', type: 'nominal', title: 'When' },
    { field: 'value', type: 'quantitative', title: 'Value' },
  ];
  return out as unknown as TopLevelSpec;
}

export const consistencyChart: SweepChart = {
  baseName: CONSISTENCY_CHART,
  spec: ({ consistency }) => (consistency.length > 0 ? consistencySpec(consistency) : null),
  alt: 'Follower lag behind the leader per W, right after the last ack and after draining',
  caption:
    'Left: how far each follower was behind the moment the last write of a W was acknowledged. Right: after draining, where everything must be zero. ' +
    'With repeats, the largest value over the runs; a follower stopped on purpose is marked "down".',
  hint: 'Hover a bar for its follower and value.',
  interactive: interactiveConsistencySpec,
};
