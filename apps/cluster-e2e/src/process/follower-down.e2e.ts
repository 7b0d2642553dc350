/**
 * Issue #2, point 4 (a follower down): W=5 cannot be met with one of five followers down, so
 * the leader answers an indefinite error naming the write's LSN, the acks it got and the W
 * asked; W=4 still succeeds. The failed write is not rolled back: it stays on the leader, the
 * live followers get it, and so does the dead one once it is back.
 */
import type { KvClient } from '@quorum-kv/bench';
import {
  expectCaughtUp,
  expectConverged,
  expectErrorBody,
  expectQuorumTiming,
  expectReads,
  leaderStatus,
  putTraced,
  timedPut,
  waitForUnreachable,
} from '../support';
import { FOLLOWER_COUNT, describeSettings, testSettings, processClusterPerFile } from './start-cluster';

const settings = testSettings({ delay: 'uniform:0:20', seed: 404 });
/** Follower 5 (0-based index 4) is the one that goes down. */
const VICTIM = 4;
const LIVE = [0, 1, 2, 3];
const LOST_KEY = 'not-lost';
const LOST_VALUE = { written: 'while follower 5 was down', w: 5 };

describe(`W=5 with a follower down (${describeSettings(settings)})`, () => {
  const ctx = processClusterPerFile(settings, { warmUpWrites: 5 });
  let failedLsn: number;

  test('W=5 answers quorum_unreachable or quorum_timeout naming lsn, acks < 5 and w 5, definite: false', async () => {
    await ctx.cluster.killFollower(VICTIM);
    const lsnBefore = (await leaderStatus(ctx.clients.leader)).lsn;
    const answer = await timedPut(ctx.clients.leader, LOST_KEY, LOST_VALUE, { w: 5 });
    const body = expectErrorBody(answer.httpStatus, answer.body, { error: ['quorum_unreachable', 'quorum_timeout'] });
    expect(body).toEqual(expect.objectContaining({ key: LOST_KEY, lsn: lsnBefore + 1, w: 5, definite: false }));
    expect(body['acks']).toBeGreaterThanOrEqual(0);
    expect(body['acks']).toBeLessThan(5);
    // The dead follower cannot have acked.
    expect(body['ackedFollowers']).not.toContain(VICTIM + 1);
    failedLsn = body['lsn'] as number;
  });

  test('the write that failed its quorum stays on the leader (not rolled back)', async () => {
    await expectReads([ctx.clients.leader], LOST_KEY, LOST_VALUE, failedLsn);
  });

  test.each([1, 2, 3, 4])('W=%i still succeeds with one follower down', async (w) => {
    const trace = await putTraced(ctx.clients.leader, `down-w${w}`, { w }, { w });
    expectQuorumTiming(trace, w, FOLLOWER_COUNT);
    expect(trace.ackedFollowers).not.toContain(VICTIM + 1);
    expect(trace.lsn).toBe(failedLsn + w);
  });

  test('the live followers get the failed write too, and the leader reports follower 5 unreachable', async () => {
    await expectConverged(ctx.clients, { followerIndexes: LIVE });
    const live = LIVE.map((i) => ctx.clients.followers[i] as KvClient);
    await expectReads(live, LOST_KEY, LOST_VALUE, failedLsn);
    await waitForUnreachable(ctx.clients.leader, VICTIM);
  });

  test('once follower 5 is back (empty), the failed write is on every follower and W=5 succeeds again', async () => {
    await ctx.cluster.restartFollower(VICTIM);
    await expectCaughtUp(ctx.clients, { key: LOST_KEY, value: LOST_VALUE, lsn: failedLsn });
    const trace = await putTraced(ctx.clients.leader, 'after-recovery', true, { w: 5 });
    expectQuorumTiming(trace, 5, FOLLOWER_COUNT);
    await expectConverged(ctx.clients);
  });
});
