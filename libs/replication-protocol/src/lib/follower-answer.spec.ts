import { putEntry } from '../testing';
import { followerAnswer } from './follower-answer';
import { OrderedApplier } from './ordered-apply';

describe('followerAnswer', () => {
  it('says where the apply stands, the promised epoch and the refused LSNs', () => {
    const applier = new OrderedApplier(10);
    applier.receive([putEntry(1, 'a', 1), putEntry(2, 'b', 2, 2), putEntry(4, 'd', 4, 2)]);
    expect(followerAnswer({ instanceId: 'f1-abc', applier, promisedEpoch: 3 }, [7])).toEqual({
      followerId: 'f1-abc',
      appliedLsn: 2,
      refusedLsns: [7],
      bufferedCount: 1,
      epoch: 3,
      appliedEpoch: 2,
    });
  });
});
