import { isFencedBy, judgeLeaderMessage, judgeProposal } from './epochs';
import { recoveryTally, wOutsidePromise, defaultRecoveryQuorum, nextEpoch } from './recovery';

describe('judgeProposal: the promise of a recovery step', () => {
  test.each([
    { why: 'a fresh follower promises the first epoch', promised: 0, epoch: 1, want: { ok: true, promisedEpoch: 1 } },
    { why: 'a higher epoch is promised', promised: 3, epoch: 4, want: { ok: true, promisedEpoch: 4 } },
    {
      why: 'the same epoch twice is refused: two recoveries never share one',
      promised: 4,
      epoch: 4,
      want: { ok: false, promisedEpoch: 4 },
    },
    {
      why: 'a lower epoch is refused and the answer names the promise',
      promised: 7,
      epoch: 2,
      want: { ok: false, promisedEpoch: 7 },
    },
  ])('$why', ({ promised, epoch, want }) => {
    expect(judgeProposal({ promisedEpoch: promised }, epoch)).toMatchObject(want);
  });
});

describe('judgeLeaderMessage: appends and snapshots', () => {
  test.each([
    {
      why: 'the promised epoch itself is the serving leader',
      promised: 3,
      epoch: 3,
      want: { ok: true, promisedEpoch: 3, raised: false },
    },
    {
      why: 'a newer leader raises the promise on the way (fencing older ones)',
      promised: 3,
      epoch: 5,
      want: { ok: true, promisedEpoch: 5, raised: true },
    },
    { why: 'an older leader is refused', promised: 3, epoch: 2, want: { ok: false, promisedEpoch: 3 } },
  ])('$why', ({ promised, epoch, want }) => {
    expect(judgeLeaderMessage({ promisedEpoch: promised }, epoch)).toEqual(want);
  });
});

describe('isFencedBy', () => {
  test.each([
    { why: 'a higher epoch fences', own: 2, reported: 3, want: true },
    { why: 'its own epoch does not', own: 3, reported: 3, want: false },
    { why: 'a lower one does not (an old promise)', own: 3, reported: 1, want: false },
  ])('$why', ({ own, reported, want }) => expect(isFencedBy(own, reported)).toBe(want));
});

describe('recovery quorum maths', () => {
  test.each([
    { why: 'R promises win', promised: 3, failed: 0, r: 3, n: 5, want: 'won' },
    { why: 'still possible with 2 failed of 5 at R=3', promised: 1, failed: 2, r: 3, n: 5, want: 'pending' },
    { why: 'three failed of 5 at R=3: retry', promised: 1, failed: 3, r: 3, n: 5, want: 'retry' },
    { why: 'R=1 wins on the first promise even with the rest down', promised: 1, failed: 4, r: 1, n: 5, want: 'won' },
  ])('$why', ({ promised, failed, r, n, want }) => expect(recoveryTally(promised, failed, r, n)).toBe(want));

  test.each([
    { why: 'majority of 5 keeps W>=3', n: 5, r: 3, want: [1, 2] },
    { why: 'R=1 keeps only W=N', n: 5, r: 1, want: [1, 2, 3, 4] },
    { why: 'R=N keeps every W', n: 5, r: 5, want: [] },
    { why: 'three followers, majority 2', n: 3, r: 2, want: [1] },
  ])('wOutsidePromise: $why', ({ n, r, want }) => expect(wOutsidePromise(n, r)).toEqual(want));

  test.each([
    { n: 1, want: 1 },
    { n: 3, want: 2 },
    { n: 4, want: 3 },
    { n: 5, want: 3 },
  ])('the default R of $n followers is $want', ({ n, want }) => expect(defaultRecoveryQuorum(n)).toBe(want));

  it('each attempt proposes above everything seen', () => {
    expect(nextEpoch(0)).toBe(1);
    expect(nextEpoch(9)).toBe(10);
  });
});
