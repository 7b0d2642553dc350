/**
 * Issue #5, log trimming: the leader keeps only what some follower still lacks, and at most
 * MAX_LOG_ENTRIES. A follower that is down while the log moves past the bound comes back to a
 * log that no longer holds what it lacks, and catches up from a snapshot of the leader's state.
 */
import { metricSum } from '@quorum-kv/bench';
import { expectConverged, planWrites, runWrites, waitForAllStreaming } from '../support';
import { describeSettings, testSettings, processClusterPerFile } from './start-cluster';

const MAX_LOG_ENTRIES = 20;
const settings = testSettings({
  delay: 'uniform:0:10',
  seed: 505,
  leaderEnv: { MAX_LOG_ENTRIES: String(MAX_LOG_ENTRIES) },
});
const VICTIM = 2;

describe(`log trimming and snapshots (${describeSettings(settings)}, MAX_LOG_ENTRIES ${MAX_LOG_ENTRIES})`, () => {
  const ctx = processClusterPerFile(settings);
  const metrics = async () => (await fetch(`${ctx.cluster.leaderUrl}/metrics`)).text();

  test('with every follower up, the log holds next to nothing once all have applied', async () => {
    const plan = planWrites({
      writes: 60,
      keys: 8,
      seed: 1,
      quorums: [5],
      label: 'up',
    });
    await runWrites(ctx.clients.leader, plan, 6);
    await expectConverged(ctx.clients);
    const page = await metrics();
    expect(metricSum(page, 'quorumkv_log_entries')).toBeLessThanOrEqual(1);
    expect(metricSum(page, 'quorumkv_log_trimmed_entries_total')).toBeGreaterThanOrEqual(59);
  });

  test('a follower down for more than MAX_LOG_ENTRIES writes catches up from a snapshot', async () => {
    await ctx.cluster.killFollower(VICTIM);
    const plan = planWrites({
      writes: 3 * MAX_LOG_ENTRIES,
      keys: 8,
      seed: 2,
      quorums: [1, 4],
      deleteShare: 0.2,
      label: 'down',
    });
    const done = await runWrites(ctx.clients.leader, plan, 6);
    expect(done.filter((d) => d.httpStatus !== 200)).toEqual([]);
    // Bounded although follower 3 lacks everything since it went down.
    expect(metricSum(await metrics(), 'quorumkv_log_entries')).toBeLessThanOrEqual(MAX_LOG_ENTRIES);

    await ctx.cluster.restartFollower(VICTIM);
    await waitForAllStreaming(ctx.clients.leader);
    await expectConverged(ctx.clients);
    expect(metricSum(await metrics(), 'quorumkv_snapshots_sent_total')).toBeGreaterThanOrEqual(1);
  });
});
