/**
 * Issue #2, point 4 (a follower frozen): a paused follower (SIGSTOP) accepts connections but
 * never answers, so W=5 waits out the replication timeout and answers 504 `quorum_timeout`,
 * while W=4 succeeds without waiting for it. After it resumes it catches up, timed-out write
 * included.
 */
import { performance } from 'node:perf_hooks';
import {
  expectCaughtUp,
  expectConverged,
  expectErrorBody,
  expectQuorumTiming,
  expectReads,
  putTraced,
  timedPut,
  waitForUnreachable,
} from '../support';
import { FOLLOWER_COUNT, describeSettings, testSettings, processClusterPerFile } from './start-cluster';

const REPLICATION_TIMEOUT_MS = 500;
/** How late a timed-out answer may come on a loaded machine: this only tells "answered at the timeout" from "hung". */
const TIMEOUT_SLACK_MS = 5000;
const settings = testSettings({ delay: 'uniform:0:20', seed: 505, replicationTimeoutMs: REPLICATION_TIMEOUT_MS });
/** Follower 3 (0-based index 2) is the one that freezes. */
const VICTIM = 2;
const LIVE = [0, 1, 3, 4];
const TIMED_OUT_KEY = 'timed-out';
const TIMED_OUT_VALUE = { written: 'while follower 3 was paused' };

describe(`W=5 with a paused follower (${describeSettings(settings)})`, () => {
  let paused = false;
  const ctx = processClusterPerFile(settings, {
    warmUpWrites: 5,
    beforeStop: async (cluster) => paused && cluster.resumeFollower(VICTIM),
  });
  let timedOutLsn: number;

  test(`W=5 answers 504 quorum_timeout after about ${REPLICATION_TIMEOUT_MS} ms, naming lsn, acks < 5 and w 5`, async () => {
    await ctx.cluster.pauseFollower(VICTIM);
    paused = true;
    const startedMs = performance.now();
    const answer = await timedPut(ctx.clients.leader, TIMED_OUT_KEY, TIMED_OUT_VALUE, { w: 5 });
    const elapsedMs = performance.now() - startedMs;
    const body = expectErrorBody(answer.httpStatus, answer.body, { error: 'quorum_timeout' });
    expect(answer.httpStatus).toBe(504);
    expect(body).toEqual(
      expect.objectContaining({ key: TIMED_OUT_KEY, w: 5, definite: false, lsn: expect.any(Number) }),
    );
    expect(body['acks']).toBeLessThan(5);
    expect(body['ackedFollowers']).not.toContain(VICTIM + 1);
    // It waited for the timeout, and not much longer.
    expect(elapsedMs).toBeGreaterThanOrEqual(REPLICATION_TIMEOUT_MS - 1);
    expect(elapsedMs).toBeLessThan(REPLICATION_TIMEOUT_MS + TIMEOUT_SLACK_MS);
    expect(body['quorumMs']).toBeGreaterThanOrEqual(REPLICATION_TIMEOUT_MS - 1);
    timedOutLsn = body['lsn'] as number;
  });

  // A 200 is itself the proof that W=4 did not wait for the paused follower: waiting for it
  // would have ended in a 504 at the replication timeout.
  test('W=4 succeeds while the follower is paused', async () => {
    const trace = await putTraced(ctx.clients.leader, 'paused-w4', { w: 4 }, { w: 4 });
    expectQuorumTiming(trace, 4, FOLLOWER_COUNT);
    expect(trace.ackedFollowers).not.toContain(VICTIM + 1);
    expect(trace.lsn).toBe(timedOutLsn + 1);
    await expectReads([ctx.clients.leader], TIMED_OUT_KEY, TIMED_OUT_VALUE, timedOutLsn);
  });

  test('the live followers get the timed-out write, and the leader reports follower 3 unreachable', async () => {
    await expectConverged(ctx.clients, { followerIndexes: LIVE });
    await waitForUnreachable(ctx.clients.leader, VICTIM);
  });

  test('resumed, it catches up: every store equal, the timed-out write everywhere, streaming with no lag', async () => {
    await ctx.cluster.resumeFollower(VICTIM);
    paused = false;
    const status = await expectCaughtUp(ctx.clients, { key: TIMED_OUT_KEY, value: TIMED_OUT_VALUE, lsn: timedOutLsn });
    expect(status.followers[VICTIM]).toEqual(
      expect.objectContaining({ state: 'streaming', lagEntries: 0, consecutiveFailures: 0 }),
    );
    const trace = await putTraced(ctx.clients.leader, 'after-resume', true, { w: 5 });
    expectQuorumTiming(trace, 5, FOLLOWER_COUNT);
  });
});
