/**
 * The quorum sweep: one cluster for the whole run (W is chosen per request), warm-up writes to
 * open connections and warm the code paths, then for every W the workload, a consistency
 * check right after the last ack, a drain, and a consistency check after it. Everything is
 * written to the run's folder, ending with charts and the report.
 */
import { performance } from 'node:perf_hooks';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { KvClient } from './kv-client';
import { checkConsistency, waitForDrain, type FollowerComparison } from './consistency';
import { runWorkload } from './workload';
import { predictQuorumLatency } from './model';
import { summaryRow } from './summarize-sweep';
import type { ConsistencyRow, SummaryRow, SweepConfig, WriteRecord } from './records';
import type { Cluster } from './runtimes/cluster';
import type { Progress } from './progress';
import { renderAllCharts } from './charts/render';
import { buildReportMarkdown } from './report/report-md';
import { summaryCsv } from './report/summary-csv';

export interface SweepResult {
  outDir: string;
  summary: SummaryRow[];
  consistency: ConsistencyRow[];
  /** Every follower equal to the leader after draining, at every W. */
  converged: boolean;
}

const fmt = (ms: number) => (Number.isFinite(ms) ? ms.toFixed(1) : '-');

export async function runSweep(config: SweepConfig, cluster: Cluster, progress: Progress): Promise<SweepResult> {
  const leader = new KvClient(cluster.leaderUrl, Math.max(64, config.concurrency * 2));
  const followers = cluster.followerUrls.map((url) => new KvClient(url));
  const drainTimeoutMs = config.replicationTimeoutMs * 2 + 10_000;
  try {
    await mkdir(config.out, { recursive: true });
    await writeJson(config.out, 'config.json', config);
    const epochMs = performance.now();

    if (config.warmupWrites > 0) {
      progress.log(`warming up: ${config.warmupWrites} writes at W=${config.followers}, ${config.warmupConcurrency} in flight (not measured)`);
      await runWorkload(leader, { w: config.followers, writes: config.warmupWrites, concurrency: config.warmupConcurrency, keys: config.keys, ackMode: config.ackMode, seed: config.seed + 1_000_000, epochMs });
      await waitForDrain(leader, followers, drainTimeoutMs);
    }

    const predictions = predictQuorumLatency(config.delay, config.followers, config.quorums, config.seed);
    const writes: WriteRecord[] = [];
    const summary: SummaryRow[] = [];
    const consistency: ConsistencyRow[] = [];
    let converged = true;
    for (const w of config.quorums) {
      progress.start(`W=${w}`, config.writes);
      const records = await runWorkload(leader, { w, writes: config.writes, concurrency: config.concurrency, keys: config.keys, ackMode: config.ackMode, seed: config.seed, epochMs, onWrite: () => progress.tick() });
      const atLastAck = await checkConsistency(leader, followers);
      const drained = await waitForDrain(leader, followers, drainTimeoutMs);
      converged &&= drained.converged;
      writes.push(...records);
      const row = summaryRow(w, records, predictions.get(w));
      summary.push(row);
      consistency.push(...consistencyRows(w, atLastAck, drained.comparisons));
      const lagging = atLastAck.filter((c) => c.lsnBehind > 0).length;
      progress.done(
        `mean ${fmt(row.mean)} ms (model ${fmt(row.modelMean)}), p99 ${fmt(row.p99)} ms, overhead p50 ${fmt(row.overheadP50)} / p99 ${fmt(row.overheadP99)} ms, errors ${row.errors}; ` +
          `${lagging} follower(s) behind at the last ack; ${drained.converged ? `all equal after ${drained.waitedMs} ms of draining` : 'NOT CONVERGED after draining'}`,
      );
    }

    await writeJson(config.out, 'writes.json', writes);
    await writeJson(config.out, 'summary.json', summary);
    await writeFile(path.join(config.out, 'summary.csv'), summaryCsv(summary));
    await writeJson(config.out, 'consistency.json', consistency);
    progress.log('rendering charts');
    const charts = await renderAllCharts({ summary, writes, consistency }, config.out);
    const environment = { node: process.version, platform: `${os.platform()} ${os.arch()}`, cpus: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30) };
    await writeFile(path.join(config.out, 'report.md'), buildReportMarkdown({ config, summary, consistency, charts, environment }));
    return { outDir: config.out, summary, consistency, converged };
  } finally {
    leader.close();
    followers.forEach((f) => f.close());
  }
}

function consistencyRows(w: number, atLastAck: FollowerComparison[], afterDrain: FollowerComparison[]): ConsistencyRow[] {
  return atLastAck.map((c, i) => ({
    w,
    follower: c.follower,
    differingKeysAtLastAck: c.differingKeys,
    lsnBehindAtLastAck: c.lsnBehind,
    differingKeysAfterDrain: afterDrain[i]?.differingKeys ?? NaN,
    lsnBehindAfterDrain: afterDrain[i]?.lsnBehind ?? NaN,
  }));
}

async function writeJson(dir: string, name: string, value: unknown): Promise<void> {
  await writeFile(path.join(dir, name), JSON.stringify(value, null, 2) + '\n');
}
