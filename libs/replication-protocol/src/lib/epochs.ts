/**
 * Epochs, pure. A follower keeps the highest epoch it has promised in one small object (the
 * durable state a later on-disk log persists) and judges every message by it; a leader that
 * hears of a higher epoch than its own is fenced.
 */

/** What a follower must remember across a restart once it has a disk: its promise. */
export interface PromiseState {
  promisedEpoch: number;
}

export type EpochJudgement =
  { ok: true; promisedEpoch: number; raised: boolean } | { ok: false; promisedEpoch: number };

/**
 * A recovery proposal of `epoch`: promised when nothing >= it was promised before (strictly
 * greater: two recoveries never share an epoch on one follower).
 */
export function judgeProposal(state: PromiseState, epoch: number): EpochJudgement {
  if (epoch <= state.promisedEpoch) return { ok: false, promisedEpoch: state.promisedEpoch };
  return { ok: true, promisedEpoch: epoch, raised: true };
}

/**
 * An append or snapshot of a leader of `epoch`: refused below the promise; at or above it,
 * accepted, and a higher epoch is promised on the way (a newer leader fences older ones here).
 */
export function judgeLeaderMessage(state: PromiseState, epoch: number): EpochJudgement {
  if (epoch < state.promisedEpoch) return { ok: false, promisedEpoch: state.promisedEpoch };
  return { ok: true, promisedEpoch: epoch, raised: epoch > state.promisedEpoch };
}

/** A leader of `ownEpoch` told of `reportedEpoch`: fenced when it is higher. */
export function isFencedBy(ownEpoch: number, reportedEpoch: number): boolean {
  return reportedEpoch > ownEpoch;
}
