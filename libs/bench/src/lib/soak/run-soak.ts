/**
 * The soak: warm-up writes to open connections, then the open-loop load for `durationS` while
 * every node is sampled every `sampleIntervalS`, then a wait for the last answers. Everything is
 * written to the run's folder: config, samples (JSON and CSV), summary, chart and report.
 */
import { performance } from 'node:perf_hooks';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { KvClient } from '../cluster/kv-client';
import { runWorkload } from '../sweep/workload';
import type { Cluster } from '../cluster/cluster';
import { renderChart } from '../common/render-chart';
import { OpenLoopWriter } from './open-loop-writer';
import { sampleTimesS } from './open-loop-schedule';
import { clusterNodes, sampleCluster } from './node-sampler';
import { buildSoakSummary } from './soak-summary';
import { samplesCsv } from './samples-csv';
import { MEMORY_CHART, memoryChartSpec } from './memory-chart';
import { buildSoakReport } from './soak-report';
import { progressLine } from './progress-line';
import type { SoakConfig, SoakSample, SoakSummary } from './soak-records';

export interface SoakResult {
  outDir: string;
  summary: SoakSummary;
  /** File names written into outDir. */
  files: string[];
}

const WARMUP_CONCURRENCY = 50;
/** Sockets to the leader: enough for a stalled leader's backlog to queue at the leader, not in the bench. */
const LEADER_SOCKETS = 512;

export async function runSoak(config: SoakConfig, cluster: Cluster, log: (line: string) => void): Promise<SoakResult> {
  const leader = new KvClient(cluster.leaderUrl, LEADER_SOCKETS);
  try {
    await mkdir(config.out, { recursive: true });
    await writeJson(config.out, 'config.json', config);
    if (config.warmupWrites > 0) {
      log(`warming up: ${config.warmupWrites} writes at W=${config.w}, ${WARMUP_CONCURRENCY} in flight (not measured)`);
      const warmup = await runWorkload(leader, {
        w: config.w,
        writes: config.warmupWrites,
        concurrency: WARMUP_CONCURRENCY,
        keys: config.keys,
        ackMode: config.ackMode,
        seed: config.seed + 1_000_000,
        epochMs: performance.now(),
      });
      const failed = warmup.filter((r) => r.outcome !== 'ok').length;
      if (failed === warmup.length)
        throw new Error(`every warm-up write failed (first: ${warmup[0]?.error ?? 'unknown'}); is the cluster up?`);
      if (failed > 0) log(`  ${failed} warm-up write(s) failed`);
    }

    const nodes = clusterNodes(cluster.leaderUrl, cluster.followerUrls);
    const scrapeTimeoutMs = Math.max(1000, Math.min(5000, config.sampleIntervalS * 1000));
    const writer = new OpenLoopWriter(leader, config);
    log(
      `soak: ${config.ratePerS} writes/s for ${config.durationS} s (open loop, ` +
        `W=${config.w}), sampling ${nodes.length} nodes every ${config.sampleIntervalS} s`,
    );
    const startMs = performance.now();
    const load = writer.run(startMs);
    const samples: SoakSample[] = [];
    for (const plannedS of sampleTimesS(config.durationS, config.sampleIntervalS)) {
      const waitMs = startMs + plannedS * 1000 - performance.now();
      if (waitMs > 0) await new Promise((resolve) => setTimeout(resolve, waitMs));
      const tS = (performance.now() - startMs) / 1000;
      const loadNow = writer.snapshot();
      const read = await sampleCluster(nodes, scrapeTimeoutMs);
      const sample: SoakSample = { tS, load: loadNow, ...read };
      samples.push(sample);
      log(progressLine(sample));
    }
    const totals = await load;
    log(
      `load done: ${totals.writesOk} ok, ${totals.writesFailed} failed, ${totals.writesDropped} dropped of ${totals.writesPlanned} planned; writing results`,
    );

    const summary = buildSoakSummary(config, samples, totals);
    await writeJson(config.out, 'samples.json', samples);
    await writeFile(path.join(config.out, 'samples.csv'), samplesCsv(samples));
    await writeJson(config.out, 'soak-summary.json', summary);
    const charts = await renderMemoryChart(config, samples, log);
    const environment = {
      node: process.version,
      platform: `${os.platform()} ${os.arch()}`,
      cpus: os.cpus().length,
      memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    };
    await writeFile(path.join(config.out, 'soak-report.md'), buildSoakReport({ config, summary, charts, environment }));
    const files = ['config.json', 'samples.json', 'samples.csv', 'soak-summary.json', ...charts, 'soak-report.md'];
    return { outDir: config.out, summary, files };
  } finally {
    leader.close();
  }
}

async function renderMemoryChart(
  config: SoakConfig,
  samples: SoakSample[],
  log: (line: string) => void,
): Promise<string[]> {
  const onWarning = (message: string) => log(`[charts] ${message}`);
  try {
    return await renderChart(memoryChartSpec(config, samples), config.out, MEMORY_CHART, { onWarning });
  } catch (error) {
    onWarning(`${MEMORY_CHART}: not rendered: ${error instanceof Error ? error.message : String(error)}`);
    return [];
  }
}

async function writeJson(dir: string, name: string, value: unknown): Promise<void> {
  await writeFile(path.join(dir, name), JSON.stringify(value, null, 2) + '\n');
}
