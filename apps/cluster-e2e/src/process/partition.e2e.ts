/**
 * Issue #10, point 5 (faults that are really partitions): with `partitions: true` the leader
 * reaches each follower through a cuttable proxy. A cut follower keeps running (the bench still
 * reads it directly) but gets nothing from the leader: W=4 succeeds without it, the write is not
 * on it, and it is not delivered later by the stalled connection (unlike SIGCONT after SIGSTOP);
 * after the heal it catches up through the leader's normal catch-up. The leader can be killed
 * and started again at the same address.
 */
import { KvClient } from '@quorum-kv/bench';
import { expectConverged, putTraced, waitUntil } from '../support';
import { describeSettings, testSettings, processClusterPerFile } from './start-cluster';

const settings = testSettings({ delay: 'uniform:0:20', seed: 1010, replicationTimeoutMs: 1000, partitions: true });
/** Follower 2 (0-based index 1) is the one cut off. */
const VICTIM = 1;
const CUT_KEY = 'written-during-cut';

describe(`a partition between the leader and one follower (${describeSettings(settings)})`, () => {
  const ctx = processClusterPerFile(settings, { warmUpWrites: 3 });

  test("the leader's follower URLs are the proxies, not the followers", async () => {
    const status = await ctx.clients.leader.getJson<{ followers: Array<{ url: string }> }>('/status');
    const urls = status.followers.map((f) => f.url.replace(/\/$/, ''));
    expect(urls).toHaveLength(ctx.cluster.followerUrls.length);
    for (const url of urls) expect(ctx.cluster.followerUrls).not.toContain(url);
  });

  test('cut: W=4 is acknowledged without the follower, which keeps running and does not have the write', async () => {
    await ctx.cluster.cut(VICTIM);
    const trace = await putTraced(ctx.clients.leader, CUT_KEY, 'cut', { w: 4 });
    expect(trace.ackedFollowers).not.toContain(VICTIM + 1);
    const victim = ctx.clients.followers[VICTIM] as KvClient;
    await expect(victim.getJson('/health')).resolves.toEqual(expect.objectContaining({ ok: true }));
    const dump = await victim.debugStore();
    expect(dump.store[CUT_KEY]).toBeUndefined();
  });

  test('W=5 cannot be met while the follower is cut: an indefinite error, not an acknowledgement', async () => {
    const answer = await ctx.clients.leader.put('w5-during-cut', 1, { w: 5 });
    expect(answer.httpStatus).not.toBe(200);
    expect(answer.body['error']).toMatch(/quorum_(timeout|unreachable)/);
  });

  test('healed, the follower catches up: every store equal, the write made during the cut included', async () => {
    await ctx.cluster.heal(VICTIM);
    const leader = await expectConverged(ctx.clients, { timeoutMs: 20_000 });
    expect(leader.store[CUT_KEY]).toBe('cut');
    const trace = await putTraced(ctx.clients.leader, 'after-heal', true, { w: 5 });
    expect(trace.ackedFollowers).toContain(VICTIM + 1);
  });

  test('the leader, SIGKILLed, stops answering; restarted, it answers at the same address', async () => {
    await ctx.cluster.leader.kill();
    const dead = new KvClient(ctx.cluster.leaderUrl);
    await expect(dead.getJson('/health')).rejects.toThrow();
    dead.close();
    await ctx.cluster.restartLeader({ SEED: '1011' }, { waitReady: false });
    const fresh = new KvClient(ctx.cluster.leaderUrl);
    try {
      // A leader with recovery answers /health 503 until it has recovered; then 200.
      await waitUntil('the restarted leader to answer /health', () => fresh.getJson('/health'), { timeoutMs: 15_000 });
    } finally {
      fresh.close();
    }
  });
});
