/**
 * Issue #12, a follower behind a store of any size catches up: a follower is stopped while the
 * store grows past 100 MiB (over the follower's 64 MiB body limit, so one snapshot body could
 * never be taken), MAX_LOG_BYTES trims what it lacks, and it comes back empty. It gets the
 * store as a snapshot in chunks bounded by MAX_CATCH_UP_BYTES while writes go on, then the log
 * from the snapshot's LSN, and ends with the leader's store exactly. The leader's memory is
 * sampled throughout and printed (the README quotes it).
 */
import { createHash } from 'node:crypto';
import { leaderStatus, sleepMs, waitUntil } from '../support';
import { describeSettings, testSettings, processClusterPerFile } from './start-cluster';

const MIB = 1024 * 1024;
const VALUE_CHARS = MIB - 100; // a 1 MiB value whose body fits the leader's default MAX_BODY_BYTES (1 MiB)
const KEY_COUNT = 110;
const MAX_LOG_BYTES = 32 * MIB;
const settings = testSettings({
  delay: 'uniform:0:5',
  seed: 1213,
  replicationTimeoutMs: 5000,
  leaderEnv: { MAX_LOG_BYTES: String(MAX_LOG_BYTES) },
});
const VICTIM = 4;

/** One sample (or the sum over label sets) from a Prometheus page. */
function metric(text: string, name: string, labels = ''): number {
  return text
    .split('\n')
    .filter((line) => (line.startsWith(`${name}{`) && line.includes(labels)) || line.startsWith(`${name} `))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
}

/** A node's store as key → sha256 of its value's JSON, and its LSN: small to compare, exact. */
async function digestOf(url: string): Promise<{ lsn: number; keys: number; digests: Record<string, string> }> {
  const dump = (await (await fetch(`${url}/debug/store`)).json()) as { lsn: number; store: Record<string, unknown> };
  const digests: Record<string, string> = {};
  for (const [key, value] of Object.entries(dump.store))
    digests[key] = createHash('sha256').update(JSON.stringify(value)).digest('hex');
  return { lsn: dump.lsn, keys: Object.keys(dump.store).length, digests };
}

describe(`a follower behind a store over 100 MiB (${describeSettings(settings)}, MAX_LOG_BYTES ${MAX_LOG_BYTES})`, () => {
  const ctx = processClusterPerFile(settings);
  const metrics = async () => (await fetch(`${ctx.cluster.leaderUrl}/metrics`)).text();
  const followerStatus = async () =>
    (await (await fetch(`${ctx.cluster.followerUrls[VICTIM]}/status`)).json()) as Record<string, unknown>;

  test('restarted empty, it gets the store in bounded chunks, then the log, and ends identical', async () => {
    await ctx.cluster.killFollower(VICTIM);
    const fillStartedMs = Date.now();
    // Four writers at once, each W=1: the drain at the end waits for the other followers.
    const fill = async (first: number) => {
      for (let i = first; i < KEY_COUNT; i += 4) {
        const value = `${String(i).padStart(4, '0')}${'v'.repeat(VALUE_CHARS - 4)}`;
        expect((await ctx.clients.leader.put(`big${i}`, value, { w: 1 })).httpStatus).toBe(200);
      }
    };
    await Promise.all([0, 1, 2, 3].map(fill));
    const before = await metrics();
    const storeBytes = metric(before, 'quorumkv_store_bytes');
    expect(storeBytes).toBeGreaterThan(100 * MIB);
    expect(metric(before, 'quorumkv_log_bytes')).toBeLessThanOrEqual(MAX_LOG_BYTES + MIB);
    const victimLabel = `follower="${ctx.cluster.followerUrls[VICTIM]}"`;
    const rssBeforeBytes = metric(before, 'process_resident_memory_bytes');

    const fillMs = Date.now() - fillStartedMs;
    await ctx.cluster.restartFollower(VICTIM);
    const restartedMs = Date.now();
    // Writes go on while the snapshot is on its way: overwrites of snapshotted keys and new keys.
    let peakRssBytes = rssBeforeBytes;
    let peakHeapBytes = metric(before, 'nodejs_heap_size_used_bytes');
    let writing = true;
    const writer = (async () => {
      for (let n = 0; writing; n++) {
        expect((await ctx.clients.leader.put(n % 2 ? `live${n % 7}` : `big${n % 5}`, `w${n}`, {})).httpStatus).toBe(
          200,
        );
        await sleepMs(20);
      }
    })();
    // The leader's view of the follower at the last poll: a timeout says where it stood.
    let lastRow: unknown;
    const status = await waitUntil(
      'the restarted follower to have installed a snapshot and caught up',
      async () => {
        const page = await metrics();
        peakRssBytes = Math.max(peakRssBytes, metric(page, 'process_resident_memory_bytes'));
        peakHeapBytes = Math.max(peakHeapBytes, metric(page, 'nodejs_heap_size_used_bytes'));
        const row = (await leaderStatus(ctx.clients.leader)).followers[VICTIM];
        lastRow = row;
        // Restarted empty, it counts its own installs from 0. (The leader's count of snapshots
        // started for it may not move: one started while it was down can be the one it gets.)
        const installed = await followerStatus().then((f) => (f['snapshotsInstalled'] as number) >= 1);
        return installed && row?.progress === 'replicate' && row.snapshot === null && row.lagEntries < 5
          ? row
          : undefined;
      },
      { timeoutMs: 180_000, pollMs: 200 },
    ).catch((error: unknown) => {
      writing = false;
      throw new Error(`${(error as Error).message}; the leader's /status row of it: ${JSON.stringify(lastRow)}`);
    });
    const catchUpMs = Date.now() - restartedMs;
    writing = false;
    await writer;
    await waitUntil(
      'every follower to have applied the whole log',
      async () => ((await leaderStatus(ctx.clients.leader)).drained ? true : undefined),
      { timeoutMs: 30_000 },
    );

    const leader = await digestOf(ctx.cluster.leaderUrl);
    expect(leader.keys).toBeGreaterThanOrEqual(KEY_COUNT);
    for (const url of ctx.cluster.followerUrls) expect(await digestOf(url)).toEqual(leader);

    const follower = await followerStatus();
    expect(follower).toMatchObject({ snapshotStaging: null });
    expect(metric(await metrics(), 'quorumkv_snapshots_sent_total', victimLabel)).toBeGreaterThanOrEqual(1);
    expect(follower['snapshotsInstalled']).toBeGreaterThanOrEqual(1);
    // The leader's memory while it sent a store larger than the follower's whole body limit.
    console.log(
      `store ${(storeBytes / MIB).toFixed(1)} MiB in ${KEY_COUNT} keys; leader RSS ${(rssBeforeBytes / MIB).toFixed(0)} MiB before the snapshot, peak ${(peakRssBytes / MIB).toFixed(0)} MiB during it; heap used peak ${(peakHeapBytes / MIB).toFixed(0)} MiB; snapshot restarts ${status.snapshotRestarts}; filled in ${(fillMs / 1000).toFixed(1)} s, restart to caught up ${(catchUpMs / 1000).toFixed(1)} s`,
    );
    // Sending it took no copy of the store: nothing near a second store's worth of memory.
    expect(peakRssBytes - rssBeforeBytes).toBeLessThan(storeBytes / 2);
  }, 300_000);
});
