/**
 * One attempt of a leader's recovery: the proposal of one epoch to every follower at once.
 * It settles as soon as R followers have promised that epoch (a follower that cannot be
 * reached does not hold it up), or once so many refused or failed that R cannot be reached.
 * Answers that come later are ignored: a follower that promised late gets the new epoch's
 * snapshot like any other.
 */
import { recoveryTally, type RecoverRequest, type RecoverResponse } from '@quorum-kv/replication-protocol';
import { FollowerRefusal, type ReplicationTransport } from './transport';

export interface RoundResult {
  /** Followers (0-based) that promised this epoch, with their logs, at the moment it settled. */
  promised: Map<number, RecoverResponse>;
  /** Followers that refused because they promised a higher epoch. */
  refusedBy: number[];
  /** Followers that could not be reached or answered with an error, and why. */
  failed: Map<number, string>;
  /** The highest epoch a refusal named (0 when none). */
  highestRefusedEpoch: number;
}

export interface RoundDeps {
  transport: ReplicationTransport;
  followerCount: number;
  recoveryQuorum: number;
}

export function proposeRound(deps: RoundDeps, request: RecoverRequest, timeoutMs: number): Promise<RoundResult> {
  const promised = new Map<number, RecoverResponse>();
  const refusedBy: number[] = [];
  const failed = new Map<number, string>();
  let highestRefusedEpoch = 0;
  return new Promise((resolve) => {
    let settled = false;
    const check = () => {
      if (settled) return;
      const decision = recoveryTally(
        promised.size,
        refusedBy.length + failed.size,
        deps.recoveryQuorum,
        deps.followerCount,
      );
      if (decision === 'pending') return;
      settled = true;
      resolve({ promised: new Map(promised), refusedBy: [...refusedBy], failed: new Map(failed), highestRefusedEpoch });
    };
    for (let follower = 0; follower < deps.followerCount; follower++) {
      deps.transport.recover(follower, request, timeoutMs).then(
        (answer) => {
          if (answer.epoch === request.epoch) promised.set(follower, answer);
          else failed.set(follower, `answered epoch ${answer.epoch}, not ${request.epoch}`);
          check();
        },
        (error: unknown) => {
          if (error instanceof FollowerRefusal && error.code === 'stale_epoch') {
            refusedBy.push(follower);
            highestRefusedEpoch = Math.max(highestRefusedEpoch, error.promisedEpoch);
          } else {
            failed.set(follower, error instanceof Error ? error.message : String(error));
          }
          check();
        },
      );
    }
  });
}
