/**
 * Quorum maths, pure. `tally` decides from counts alone; `QuorumTracker` keeps which followers
 * acked or failed one write so a follower is never counted twice (a retry that succeeds after
 * a failure turns the failure into an ack, but never into a second ack).
 */

export type QuorumDecision = 'pending' | 'met' | 'unreachable';

/**
 * `met` once `w` acks are in; `unreachable` as soon as the followers that have not failed can
 * no longer make `w` (so a write never waits out its timeout for acks that cannot come).
 */
export function tally(ackCount: number, failureCount: number, w: number, followerCount: number): QuorumDecision {
  if (ackCount >= w) return 'met';
  const stillPossible = followerCount - failureCount;
  if (stillPossible < w) return 'unreachable';
  return 'pending';
}

export class QuorumTracker {
  private readonly acked = new Set<number>();
  private readonly failed = new Set<number>();

  constructor(
    readonly w: number,
    readonly followerCount: number,
  ) {
    if (!Number.isInteger(w) || w < 1 || w > followerCount) {
      throw new RangeError(`quorum w=${w} outside 1..${followerCount}`);
    }
  }

  ack(follower: number): QuorumDecision {
    this.checkFollower(follower);
    this.failed.delete(follower);
    this.acked.add(follower);
    return this.decision();
  }

  /** A failed RPC; ignored if that follower already acked. */
  fail(follower: number): QuorumDecision {
    this.checkFollower(follower);
    if (!this.acked.has(follower)) this.failed.add(follower);
    return this.decision();
  }

  hasAcked(follower: number): boolean {
    return this.acked.has(follower);
  }

  get ackCount(): number {
    return this.acked.size;
  }

  get failureCount(): number {
    return this.failed.size;
  }

  /** Followers that acked, in ack order. */
  ackedFollowers(): number[] {
    return [...this.acked];
  }

  decision(): QuorumDecision {
    return tally(this.acked.size, this.failed.size, this.w, this.followerCount);
  }

  private checkFollower(follower: number): void {
    if (!Number.isInteger(follower) || follower < 0 || follower >= this.followerCount) {
      throw new RangeError(`follower index ${follower} outside 0..${this.followerCount - 1}`);
    }
  }
}
