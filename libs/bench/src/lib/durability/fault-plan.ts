/**
 * The seeded fault plan of one (W, R) cell: when each crash comes, who is cut off before it, and
 * who is cut off while the restarted leader recovers. Pure: the same seed gives the same plan.
 *
 * Before crash k, a seeded set of N − W followers is cut off, so the writes between the cut and
 * the crash are acknowledged by exactly the W followers left (the holders). While the leader
 * recovers, the plan cuts off as many holders as R allows: all of them when the N − W others
 * can make up R (W + R ≤ N, the case the model warns about), else all but the R − (N − W)
 * holders (seeded) needed to reach R. So the recovery quorum is always the stalest one the
 * cluster permits, and the promise W + R > N is tested at its edge.
 */
import { createRng, type Rng } from '@quorum-kv/replication-protocol';

export interface CrashPlan {
  /** 0-based crash within the cell. */
  index: number;
  /** Writes of the cell sent before the pre-crash cut. */
  cutAtWrite: number;
  /** Writes of the cell sent before the crash (more than cutAtWrite: some writes reach only the holders). */
  crashAtWrite: number;
  /** Followers (1-based, ascending) cut off from the cut to the crash. */
  cutBefore: number[];
  /** The other followers: the only ones that can acknowledge writes after the cut. */
  holders: number[];
  /** Followers cut off while the restarted leader recovers. */
  recoveryCut: number[];
  /** Every holder is cut off during recovery. */
  adversarial: boolean;
}

export interface CellPlanInput {
  seed: number;
  followers: number;
  w: number;
  r: number;
  writes: number;
  crashes: number;
}

export interface CellPlan {
  w: number;
  r: number;
  crashes: CrashPlan[];
}

/** The fewest writes a cell needs: one before the first cut, one between each cut and its crash, one after the last. */
export function minimumWrites(crashes: number): number {
  return 2 * crashes + 1;
}

/** `count` distinct integers from [low, high], ascending. */
export function sampleDistinct(rng: Rng, low: number, high: number, count: number): number[] {
  const pool = Array.from({ length: high - low + 1 }, (_, i) => low + i);
  if (count > pool.length) throw new RangeError(`cannot draw ${count} distinct values from [${low}, ${high}]`);
  for (let i = 0; i < count; i++) {
    const j = i + Math.floor(rng.next() * (pool.length - i));
    [pool[i], pool[j]] = [pool[j] as number, pool[i] as number];
  }
  return pool.slice(0, count).sort((a, b) => a - b);
}

/** Followers 1..n, ascending. */
function allFollowers(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

/** The recovery cut for one crash: as many holders as R allows (see the file's comment). */
export function recoveryCutFor(holders: readonly number[], followers: number, r: number, rng: Rng): number[] {
  const stale = followers - holders.length;
  const needed = Math.max(0, r - stale);
  if (needed === 0) return [...holders];
  const kept = new Set(sampleDistinct(rng, 0, holders.length - 1, needed).map((i) => holders[i]));
  return holders.filter((h) => !kept.has(h));
}

export function planCell({ seed, followers, w, r, writes, crashes }: CellPlanInput): CellPlan {
  if (w < 1 || w > followers || r < 1 || r > followers)
    throw new RangeError(`W=${w} and R=${r} must be between 1 and ${followers}`);
  if (crashes > 0 && writes < minimumWrites(crashes))
    throw new RangeError(`${crashes} crashes need at least ${minimumWrites(crashes)} writes per cell`);
  // A stream per cell, so adding a W or an R to the sweep leaves every other cell's plan as it was.
  const rng = createRng(seed, 7_000 + 100 * w + r);
  const moments = crashes === 0 ? [] : sampleDistinct(rng, 1, writes - 1, 2 * crashes);
  const plans: CrashPlan[] = [];
  for (let index = 0; index < crashes; index++) {
    const cutBefore = sampleDistinct(rng, 1, followers, followers - w);
    const holders = allFollowers(followers).filter((f) => !cutBefore.includes(f));
    const recoveryCut = recoveryCutFor(holders, followers, r, rng);
    plans.push({
      index,
      cutAtWrite: moments[2 * index] as number,
      crashAtWrite: moments[2 * index + 1] as number,
      cutBefore,
      holders,
      recoveryCut,
      adversarial: recoveryCut.length === holders.length,
    });
  }
  return { w, r, crashes: plans };
}
