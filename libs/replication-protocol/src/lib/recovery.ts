/**
 * The decisions of a leader's recovery, pure: who has promised enough, what the recovered log
 * is, and which write quorums the chosen R keeps its promise for.
 *
 * The promise: a write acknowledged by W followers survives when the recovering leader hears
 * from R followers with W + R > N, because any R followers include one of the W. So the
 * recovered log takes, for each LSN, the entry of the highest epoch any responder holds there
 * (Paxos: the value of the highest ballot), buffered entries beyond gaps included (a
 * `received` ack may cover them). An LSN no responder holds was acknowledged by at most N - R
 * followers, fewer than any W inside the promise: it becomes a no-op. Every entry of the
 * recovered log is re-stamped with the new epoch, as a Paxos leader re-proposes what it adopts
 * under its own ballot: then one epoch never names two different entries at one LSN, and log
 * matching by (epoch, lsn) stays sound.
 */
import type { SnapshotItem } from './kv-state';
import type { Entry, FollowerLog } from './wire';

/** One follower's answer to a recovery proposal. */
export interface RecoveryResponse {
  /** 0-based follower index. */
  follower: number;
  log: FollowerLog;
}

export interface RecoveredLog {
  /** The recovered state is `items` at `baseLsn`, then `entries` applied in order. */
  baseLsn: number;
  items: SnapshotItem[];
  /** Responder whose base state the log starts from (undefined when it starts empty). */
  baseFrom: number | undefined;
  /** LSNs baseLsn + 1 .. lastLsn, every one stamped with the new epoch. */
  entries: Entry[];
  lastLsn: number;
  /** LSNs no responder held (or only inside a base that could not be used), now no-ops. */
  holes: number[];
  /** Per responder, how many entries of the recovered log came from it. */
  adopted: Map<number, number>;
}

/** W values outside the promise for this R: those with W + R <= N. */
export function wOutsidePromise(followerCount: number, recoveryQuorum: number): number[] {
  const out: number[] = [];
  for (let w = 1; w <= followerCount; w++) if (w + recoveryQuorum <= followerCount) out.push(w);
  return out;
}

/** A majority, floor(N / 2) + 1: the default R, and the smallest with unique epochs. */
export function defaultRecoveryQuorum(followerCount: number): number {
  return Math.floor(followerCount / 2) + 1;
}

export type RecoveryDecision = 'pending' | 'won' | 'retry';

/**
 * After the answers of one attempt: `won` with R promises; `retry` once so many failed or
 * refused that R can no longer be reached; else `pending`.
 */
export function recoveryTally(
  promised: number,
  refusedOrFailed: number,
  recoveryQuorum: number,
  followerCount: number,
): RecoveryDecision {
  if (promised >= recoveryQuorum) return 'won';
  if (followerCount - refusedOrFailed < recoveryQuorum) return 'retry';
  return 'pending';
}

/** The epoch of the next attempt: above every epoch proposed or seen so far. */
export function nextEpoch(highestSeen: number): number {
  return highestSeen + 1;
}

/**
 * The recovered log from the responders' logs, stamped with `epoch`. `nowMs` stamps the
 * no-ops. Pure: the same answers always give the same log.
 */
export function mergeRecovery(responses: readonly RecoveryResponse[], epoch: number, nowMs: number): RecoveredLog {
  const lastLsn = Math.max(0, ...responses.map((r) => Math.max(r.log.baseLsn, ...r.log.entries.map((e) => e.lsn))));
  const best = bestEntries(responses);
  const start = chooseBase(responses, best);
  const baseLsn = start?.log.baseLsn ?? 0;
  const entries: Entry[] = [];
  const holes: number[] = [];
  const adopted = new Map<number, number>();
  for (let lsn = baseLsn + 1; lsn <= lastLsn; lsn++) {
    const winner = best.get(lsn);
    // A base covering this LSN at a higher epoch than any entry cannot be split into entries:
    // the slot is treated as a hole (see chooseBase for why such a slot was never acknowledged).
    if (winner && winner.entry.epoch >= highestBaseEpochAt(responses, lsn)) {
      entries.push({ ...winner.entry, epoch });
      adopted.set(winner.follower, (adopted.get(winner.follower) ?? 0) + 1);
    } else {
      entries.push({ lsn, epoch, op: 'noop', leaderTimeMs: nowMs });
      holes.push(lsn);
    }
  }
  return {
    baseLsn,
    items: start ? start.log.items : [],
    baseFrom: start?.follower,
    entries,
    lastLsn,
    holes,
    adopted,
  };
}

/** Per LSN, the entry of the highest epoch among every responder's entries (first responder on ties). */
function bestEntries(responses: readonly RecoveryResponse[]): Map<number, { entry: Entry; follower: number }> {
  const best = new Map<number, { entry: Entry; follower: number }>();
  for (const { follower, log } of responses) {
    for (const entry of log.entries) {
      if (entry.lsn <= log.baseLsn) continue;
      const current = best.get(entry.lsn);
      if (!current || entry.epoch > current.entry.epoch) best.set(entry.lsn, { entry, follower });
    }
  }
  return best;
}

function highestBaseEpochAt(responses: readonly RecoveryResponse[], lsn: number): number {
  let highest = 0;
  for (const { log } of responses) if (log.baseLsn >= lsn && log.baseEpoch > highest) highest = log.baseEpoch;
  return highest;
}

/**
 * The responder whose base state starts the recovered log: the longest base that no other
 * responder beats at any LSN it covers (a higher epoch there, in an entry or another base).
 * A base that loses somewhere is not used; LSNs only it covers were written under an epoch
 * that a later recovery did not see, so no W inside the promise acknowledged them.
 */
function chooseBase(
  responses: readonly RecoveryResponse[],
  best: Map<number, { entry: Entry; follower: number }>,
): RecoveryResponse | undefined {
  let chosen: RecoveryResponse | undefined;
  for (const candidate of responses) {
    const { baseLsn, baseEpoch } = candidate.log;
    if (baseLsn === 0 || (chosen && chosen.log.baseLsn >= baseLsn)) continue;
    let beaten = responses.some((other) => other.log.baseLsn > 0 && other.log.baseEpoch > baseEpoch);
    for (let lsn = 1; !beaten && lsn <= baseLsn; lsn++) beaten = (best.get(lsn)?.entry.epoch ?? 0) > baseEpoch;
    if (!beaten) chosen = candidate;
  }
  return chosen;
}
