import type { OrderedApplier } from './ordered-apply';
import type { ReplicateResponse } from './wire';

/** What a follower is, for its answer: its id for this run, its applier and the epoch it promised. */
export interface AnsweringFollower {
  instanceId: string;
  applier: Pick<OrderedApplier, 'appliedLsn' | 'bufferedCount' | 'appliedEpoch'>;
  promisedEpoch: number;
}

/** A follower's answer to entries from the leader: where its apply stands, and the LSNs of them it refused. */
export function followerAnswer(follower: AnsweringFollower, refusedLsns: number[]): ReplicateResponse {
  const { applier } = follower;
  return {
    followerId: follower.instanceId,
    appliedLsn: applier.appliedLsn,
    refusedLsns,
    bufferedCount: applier.bufferedCount,
    epoch: follower.promisedEpoch,
    appliedEpoch: applier.appliedEpoch,
  };
}
