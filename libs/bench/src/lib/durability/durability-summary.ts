/**
 * The summary of a durability sweep: per (W, R), how many acknowledged writes the leader lost,
 * beside the model's verdict. The model is the quorum intersection: when W + R > N, any R
 * followers include one that acknowledged every acknowledged write, so none may be lost; when
 * W + R ≤ N, R followers can all have missed a write W others acknowledged. Pure.
 */
import type { CrashRecord, DurabilityCell, DurabilityWrite, LossCheckRow, ModelVerdict } from './durability-records';
import { csvNumber } from '../sweep/report/summary-csv';
import { acknowledged, isLoss } from './loss-check';

export function modelVerdict(w: number, r: number, followers: number): ModelVerdict {
  return w + r > followers ? 'no loss' : 'may lose';
}

/**
 * Held unless a loss the model forbids happened. Unchecked when nothing was violated but
 * nothing was proven either: a read failed, or no write of the cell was acknowledged at all.
 */
export function cellStatus(
  verdict: ModelVerdict,
  lost: number,
  unreadable: number,
  acknowledgedCount = 1,
): DurabilityCell['status'] {
  if (verdict === 'no loss' && lost > 0) return 'violated';
  if (unreadable > 0 || acknowledgedCount === 0) return 'unchecked';
  return 'held';
}

export interface SummaryInput {
  followers: number;
  quorums: readonly number[];
  recoveryQuorums: readonly number[];
  writes: readonly DurabilityWrite[];
  crashes: readonly CrashRecord[];
  checks: readonly LossCheckRow[];
}

export function summarizeCell(input: SummaryInput, w: number, r: number): DurabilityCell {
  const inCell = <T extends { w: number; r: number }>(rows: readonly T[]) =>
    rows.filter((row) => row.w === w && row.r === r);
  const writes = inCell(input.writes);
  const crashes = inCell(input.crashes);
  const checks = inCell(input.checks);
  const acked = acknowledged(writes).length;
  const lost = checks.filter((c) => isLoss(c.finding)).length;
  const unreadable = checks.filter((c) => c.finding === 'unreadable').length;
  const verdict = modelVerdict(w, r, input.followers);
  return {
    w,
    r,
    followers: input.followers,
    writes: writes.length,
    acknowledged: acked,
    lost,
    unreadable,
    lostFraction: acked === 0 ? NaN : lost / acked,
    crashes: crashes.length,
    adversarialCrashes: crashes.filter((c) => c.adversarial).length,
    recoveries: crashes.filter((c) => c.recovered).length,
    modelVerdict: verdict,
    status: cellStatus(verdict, lost, unreadable, writes.length === 0 ? 1 : acked),
  };
}

/** One cell per (W, R), W-major, in the order the flags gave. */
export function summarizeDurability(input: SummaryInput): DurabilityCell[] {
  return input.quorums.flatMap((w) => input.recoveryQuorums.map((r) => summarizeCell(input, w, r)));
}

export interface SweepVerdict {
  /** No cell violated the model and every acknowledged write could be read. */
  ok: boolean;
  violated: DurabilityCell[];
  unchecked: DurabilityCell[];
  /** Cells where the model allows losses and some happened. */
  lossesAllowed: DurabilityCell[];
}

export function sweepVerdict(cells: readonly DurabilityCell[]): SweepVerdict {
  const violated = cells.filter((c) => c.status === 'violated');
  const unchecked = cells.filter((c) => c.status === 'unchecked');
  const lossesAllowed = cells.filter((c) => c.modelVerdict === 'may lose' && c.lost > 0);
  return { ok: violated.length === 0 && unchecked.length === 0, violated, unchecked, lossesAllowed };
}

export const DURABILITY_COLUMNS: ReadonlyArray<keyof DurabilityCell> = [
  'w',
  'r',
  'followers',
  'writes',
  'acknowledged',
  'lost',
  'unreadable',
  'lostFraction',
  'crashes',
  'adversarialCrashes',
  'recoveries',
  'modelVerdict',
  'status',
];

/** The cells as CSV, numbers as in summary.csv (a NaN fraction is an empty field). */
export function durabilityCsv(cells: readonly DurabilityCell[]): string {
  const value = (v: unknown) => (typeof v === 'number' ? csvNumber(v) : String(v));
  const lines = cells.map((c) => DURABILITY_COLUMNS.map((col) => value(c[col])).join(','));
  return [DURABILITY_COLUMNS.join(','), ...lines].join('\n') + '\n';
}
