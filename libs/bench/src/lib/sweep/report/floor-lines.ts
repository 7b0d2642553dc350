/**
 * The report's lines on the floor (`--floor`): this implementation's overhead next to the bare
 * relay's, measured in the same run with the same topology, workload and delays, per W and
 * pooled, and whether it is within the target (p50 within +0.5 ms, p99 within 1.5×). Pure.
 */
import { FLOOR_TARGET, type FloorComparison, type FloorComparisonRow } from '../../floor/floor-comparison';
import { fmtMs, fmtRatio, fmtSignedMs, joinWords, markdownTable } from '../../common/format';

const TARGET = `p50 ≤ the floor's + ${FLOOR_TARGET.overheadP50PlusMs} ms, p99 ≤ ${FLOOR_TARGET.overheadP99Times}× the floor's`;

const at = (r: FloorComparisonRow) => (r.w === 'all' ? 'pooled' : `W=${r.w}`);

/** One finding: pooled figures first, then where the target is missed. */
export function floorFinding(comparison: FloorComparison): string {
  const { pooled, rows } = comparison;
  if (rows.length === 0) return 'The floor was measured, but no W was measured on both sides: nothing to compare.';
  const missed = rows.filter((r) => !r.withinTarget);
  const head =
    `Against the bare relay floor (plain node:http leader and followers, the same topology, workload and delays, each W measured right after the store's on this machine): ` +
    `overhead p50 ${fmtMs(pooled.store.overheadMsP50)} ms vs the floor's ${fmtMs(pooled.floor.overheadMsP50)} ms (${fmtSignedMs(pooled.p50PlusMs)} ms), ` +
    `p99 ${fmtMs(pooled.store.overheadMsP99)} vs ${fmtMs(pooled.floor.overheadMsP99)} ms (${fmtRatio(pooled.p99Times)}), pooled over W.`;
  const verdict =
    missed.length === 0
      ? ` Target (${TARGET}): met at every W${pooled.withinTarget ? ' and pooled' : ', though not pooled'}.`
      : ` Target (${TARGET}): missed at ${joinWords(missed.map(at))}${pooled.withinTarget ? ', met pooled' : ' and pooled'}.`;
  return head + verdict;
}

/** The "Against the floor" table: one row per W, then the pooled row. */
export function floorTable(comparison: FloorComparison): string {
  const line = (r: FloorComparisonRow) => [
    at(r),
    fmtMs(r.store.overheadMsP50),
    fmtMs(r.floor.overheadMsP50),
    fmtSignedMs(r.p50PlusMs),
    fmtMs(r.store.overheadMsP99),
    fmtMs(r.floor.overheadMsP99),
    fmtRatio(r.p99Times),
    r.withinTarget ? 'yes' : 'no',
  ];
  return markdownTable(
    ['W', 'overhead p50', 'floor p50', 'p50 − floor', 'overhead p99', 'floor p99', 'p99 / floor', 'within target'],
    [...comparison.rows.map(line), line(comparison.pooled)],
  );
}

/** The report section's lines, or none without a floor. */
export function floorLines(comparison: FloorComparison | undefined): string[] {
  if (comparison === undefined) return [];
  return [
    `Overhead in ms (latency minus each write's ideal) of this implementation and of the bare relay floor, ` +
      `per W and pooled; the target is ${TARGET}. \`floor.json\` has the floor's own latencies.`,
    '',
    floorTable(comparison),
  ];
}
