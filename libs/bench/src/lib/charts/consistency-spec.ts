/**
 * `consistency`: how far each follower was from the leader, per W, right after the last
 * write of that W was acknowledged and again after draining. Grouped bars (one per follower
 * within each W), one row per measure, one column per moment. A coloured tick marks every
 * value, so a zero (the expected result after draining) is still visible on the baseline.
 * Pure: builds the spec only.
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ConsistencyRow } from '../records';
import { chartBase } from './chart-theme';

export const CONSISTENCY_CHART = 'consistency';

export const AT_LAST_ACK = 'right after the last ack';
export const AFTER_DRAIN = 'after drain';
export const ENTRIES_BEHIND = 'entries behind (LSN)';
export const KEYS_DIFFERING = 'keys differing';

export interface ConsistencyPoint {
  w: number;
  follower: string;
  moment: typeof AT_LAST_ACK | typeof AFTER_DRAIN;
  measure: typeof ENTRIES_BEHIND | typeof KEYS_DIFFERING;
  /** null when the check did not produce a number (Vega skips it). */
  value: number | null;
}

function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null;
}

export function consistencyPoints(rows: ConsistencyRow[]): ConsistencyPoint[] {
  return rows.flatMap((r) => {
    const follower = `follower ${r.follower}`;
    return [
      { w: r.w, follower, moment: AT_LAST_ACK, measure: ENTRIES_BEHIND, value: finite(r.lsnBehindAtLastAck) },
      { w: r.w, follower, moment: AT_LAST_ACK, measure: KEYS_DIFFERING, value: finite(r.differingKeysAtLastAck) },
      { w: r.w, follower, moment: AFTER_DRAIN, measure: ENTRIES_BEHIND, value: finite(r.lsnBehindAfterDrain) },
      { w: r.w, follower, moment: AFTER_DRAIN, measure: KEYS_DIFFERING, value: finite(r.differingKeysAfterDrain) },
    ];
  });
}

/** Rows whose follower was not equal to the leader after draining (or could not be checked). */
export function unconvergedRows(rows: ConsistencyRow[]): ConsistencyRow[] {
  return rows.filter((r) => !(r.lsnBehindAfterDrain === 0 && r.differingKeysAfterDrain === 0));
}

/** Subtitle lines saying whether draining made every follower equal to the leader. */
export function drainVerdict(rows: ConsistencyRow[]): string[] {
  if (rows.length === 0) return ['No consistency checks recorded.'];
  const bad = unconvergedRows(rows);
  if (bad.length === 0) return ['After draining, every follower equals the leader at every W (all zero, as it must be).'];
  const ws = [...new Set(bad.map((r) => r.w))].sort((a, b) => a - b);
  const followers = bad.length === 1 ? '1 follower still differs' : `${bad.length} followers still differ`;
  return [`NOT CONVERGED at W=${ws.join(', ')}: after draining, ${followers} from the leader.`, 'This is a bug: draining must make every follower equal to the leader.'];
}

export function consistencySpec(rows: ConsistencyRow[]): TopLevelSpec {
  const followers = [...new Set(rows.map((r) => r.follower))].sort((a, b) => a - b).map((f) => `follower ${f}`);
  const ws = [...new Set(rows.map((r) => r.w))].sort((a, b) => a - b);
  const x = { field: 'w', type: 'ordinal', title: 'Write quorum W', scale: { domain: ws, paddingInner: 0.25 }, axis: { labelAngle: 0 } } as const;
  const xOffset = { field: 'follower', type: 'nominal', scale: { domain: followers } } as const;
  // unionWith keeps 0 at the bottom (and an axis to read) when every value of a panel is 0.
  const y = { field: 'value', type: 'quantitative' as const, title: null, axis: { tickMinStep: 1, format: 'd' } };
  // Set on one layer only (Vega-Lite warns when layers state the domain twice).
  const yScale = { scale: { domain: { unionWith: [0, 1] } } };
  const color = { field: 'follower', type: 'nominal', title: 'Follower', scale: { domain: followers, scheme: 'tableau10' } } as const;
  return {
    ...chartBase(),
    title: {
      text: 'Follower lag behind the leader, per W',
      subtitle: ['Per follower: log entries not yet applied, and keys whose value differs from the leader.', ...drainVerdict(rows)],
    },
    data: { values: consistencyPoints(rows) },
    facet: {
      row: { field: 'measure', type: 'nominal', title: null, sort: [ENTRIES_BEHIND, KEYS_DIFFERING], header: { labelFontWeight: 'bold', labelAngle: -90 } },
      column: { field: 'moment', type: 'nominal', title: null, sort: [AT_LAST_ACK, AFTER_DRAIN], header: { labelFontWeight: 'bold' } },
    },
    spec: {
      width: 300,
      height: 180,
      layer: [
        { mark: { type: 'bar' }, encoding: { x, xOffset, y: { ...y, ...yScale }, color } },
        { mark: { type: 'tick', thickness: 2 }, encoding: { x, xOffset, y, color } },
      ],
    },
    resolve: { scale: { y: 'independent' } },
  };
}
