/**
 * The quorum sweep: one cluster for the whole run (W and the ack mode are chosen per
 * request), warm-up writes to open connections and warm the code paths, the scenario's
 * faults, then for every repeat, ack mode and W: the workload, a consistency check right after
 * the last ack, a drain, and the check again. Everything is written to the run's folder,
 * ending with charts and the report.
 */
import type { AckMode } from '@quorum-kv/replication-protocol';
import { performance } from 'node:perf_hooks';
import { mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { KvClient } from '../cluster/kv-client';
import { fmtMs } from '../common/format';
import { checkConsistency, waitForDrain, type FollowerComparison } from '../cluster/consistency';
import {
  WARMUP_SEED_OFFSET,
  describeWarmupPart,
  leaderSockets,
  runWorkload,
  warmupParts,
  warmupStopAtMs,
} from './workload';
import { predictQuorumLatency } from './model';
import { intervalRows, summaryRow } from './summarize-sweep';
import type { ConsistencyRow, IntervalRow, SummaryRow, SweepConfig, WriteRecord } from './records';
import type { Cluster, FaultableCluster } from '../cluster/cluster';
import type { Progress } from '../common/progress';
import { renderAllCharts } from './charts/render-charts';
import { buildReportMarkdown } from './report/report-md';
import { writeReportHtml } from './report/html/write-report-html';
import { summaryCsv, intervalCsv } from './report/summary-csv';
import { fmtLoadAverage, type HostLoad } from './report/host-load';
import { gitCommit } from '../common/git-commit';
import { outputFiles, type OutputFiles } from './output-files';
import { startSweepFloor, sweepFloorOf, whyNoFloor, type SweepFloor } from './sweep-floor';
import type { FloorSession } from '../floor/run-floor';
import type { FloorWrite } from '../floor/floor-summary';

export interface SweepResult {
  outDir: string;
  summary: SummaryRow[];
  intervals: IntervalRow[];
  consistency: ConsistencyRow[];
  /** Every live follower equal to the leader after draining, at every W. */
  converged: boolean;
  /** Every file written into outDir, in the order written. */
  files: readonly string[];
}

/** What every step of a sweep reaches: the clients, the live followers, the clock origin, the predictions. */
interface SweepContext {
  config: SweepConfig;
  progress: Progress;
  leader: KvClient;
  /** The followers not stopped by the scenario, and their 1-based numbers. */
  live: KvClient[];
  liveNumbers: number[];
  epochMs: number;
  drainTimeoutMs: number;
  predictions: ReturnType<typeof predictQuorumLatency>;
  /** `os.loadavg()` when the sweep started. */
  loadAverageStart: number[];
  /** The run's folder, and the files written into it so far. */
  files: OutputFiles;
}

/** One (run, ack mode, W) of the sweep, measured. */
interface Measured {
  records: WriteRecord[];
  consistency: ConsistencyRow[];
  converged: boolean;
}

export async function runSweep(config: SweepConfig, cluster: Cluster, progress: Progress): Promise<SweepResult> {
  const leader = new KvClient(cluster.leaderUrl, leaderSockets(config));
  const followers = cluster.followerUrls.map((url) => new KvClient(url));
  const drainTimeoutMs = config.replicationTimeoutMs * 2 + 10_000;
  const loadAverageStart = os.loadavg();
  const files = outputFiles(config.out);
  try {
    await mkdir(config.out, { recursive: true });
    await writeJson(files, 'config.json', config);
    const epochMs = performance.now();
    await warmUp(config, progress, leader, followers, epochMs, drainTimeoutMs);
    await injectFaults(config, cluster, progress);
    const liveNumbers = followers.map((_, i) => i + 1).filter((n) => !config.downFollowers.includes(n));
    const { delay, followers: followerCount, quorums, seed, downFollowers } = config;
    const context: SweepContext = {
      config,
      progress,
      leader,
      live: liveNumbers.map((n) => followers[n - 1] as KvClient),
      liveNumbers,
      epochMs,
      drainTimeoutMs,
      predictions: predictQuorumLatency(delay, followerCount, quorums, seed, downFollowers),
      loadAverageStart,
      files,
    };
    const noFloor = whyNoFloor(config);
    if (noFloor !== null && config.floor === true) progress.log(`no floor: ${noFloor}`);
    const floorSession = noFloor === null ? await startSweepFloor(config, progress.log) : undefined;
    let all: MeasuredAll;
    try {
      all = await measureAll(context, floorSession);
    } finally {
      await floorSession?.stop();
    }
    const { records: writes, consistency, converged, floorWrites } = all;
    const floor = floorSession ? sweepFloorOf(config, writes, floorWrites) : undefined;
    return await writeOutputs(context, writes, consistency, converged, floor);
  } finally {
    leader.close();
    followers.forEach((f) => f.close());
  }
}

interface MeasuredAll extends Measured {
  /** The floor's writes, each W measured right after the store's (first run, first ack mode). */
  floorWrites: FloorWrite[];
}

/** Every (run, ack mode, W) of the sweep; with a floor, its same W right after the store's first run and ack mode. */
async function measureAll(context: SweepContext, floor: FloorSession | undefined): Promise<MeasuredAll> {
  const { config, progress } = context;
  const all: MeasuredAll = { records: [], consistency: [], converged: true, floorWrites: [] };
  for (let run = 0; run < config.repeat; run++) {
    for (const ackMode of config.ackModes) {
      for (const w of config.quorums) {
        const measured = await measure(context, run, ackMode, w);
        all.records.push(...measured.records);
        all.consistency.push(...measured.consistency);
        all.converged &&= measured.converged;
        if (floor && run === 0 && ackMode === config.ackModes[0]) {
          const floorWrites = await floor.measure(w);
          all.floorWrites.push(...floorWrites);
          progress.log(`floor W=${w}: ${floorWrites.length} writes`);
        }
      }
    }
  }
  return all;
}

/**
 * Warm-up, in the parts of `warmupParts`: opens the connections, and gets every node's hot paths
 * compiled by the JIT for the measured load (the README says how many writes that takes). At
 * W=1 it goes fast while every follower still gets, and answers, every write.
 */
async function warmUp(
  config: SweepConfig,
  progress: Progress,
  leader: KvClient,
  followers: KvClient[],
  epochMs: number,
  drainTimeoutMs: number,
): Promise<void> {
  const parts = warmupParts(config);
  if (parts.length === 0) return;
  for (const [i, part] of parts.entries()) {
    progress.log(`warming up: ${describeWarmupPart(part)} (not measured)`);
    progress.start('warm-up', part.writes);
    await runWorkload(leader, {
      w: 1,
      writes: part.writes,
      concurrency: part.concurrency,
      keys: config.keys,
      ackMode: config.ackMode,
      seed: config.seed + WARMUP_SEED_OFFSET + i,
      epochMs,
      onWrite: () => progress.tick(),
      stopAtMs: warmupStopAtMs(part),
    });
  }
  const drained = await waitForDrain(leader, followers, drainTimeoutMs);
  progress.done(`warm-up done; ${drained.converged ? 'every follower caught up' : 'a follower is still behind'}`);
}

/** The workload of one (run, ack mode, W), a consistency check at its last ack, the drain, and the check again. */
async function measure(context: SweepContext, run: number, ackMode: AckMode, w: number): Promise<Measured> {
  const { config, progress, leader, live, liveNumbers } = context;
  const position = `(${config.quorums.indexOf(w) + 1}/${config.quorums.length})`;
  const label = [
    config.repeat > 1 && `run ${run + 1}/${config.repeat}`,
    config.ackModes.length > 1 && ackMode,
    `W=${w} ${position}`,
  ]
    .filter(Boolean)
    .join(' ');
  progress.start(label, config.writes);
  const records = await runWorkload(leader, {
    w,
    writes: config.writes,
    concurrency: config.concurrency,
    keys: config.keys,
    ackMode,
    seed: config.seed + run,
    run,
    rate: config.rate,
    downFollowers: config.downFollowers,
    epochMs: context.epochMs,
    onWrite: () => progress.tick(),
  });
  const atLastAck = await checkConsistency(leader, live, liveNumbers);
  const drained = await waitForDrain(leader, live, context.drainTimeoutMs, 50, liveNumbers);
  const row = summaryRow(w, records, context.predictions.get(w), ackMode);
  const lagging = atLastAck.filter((c) => c.lsnBehind > 0).length;
  progress.done(
    `mean ${fmtMs(row.mean)} ms (model ${fmtMs(row.modelMean)}), p99 ${fmtMs(row.p99)} ms, ` +
      `overhead p50 ${fmtMs(row.overheadP50)} / p99 ${fmtMs(row.overheadP99)} ms, errors ${row.errors}; ` +
      `${lagging} follower(s) behind at the last ack; ` +
      `${drained.converged ? `all equal after ${drained.waitedMs} ms of draining` : 'NOT CONVERGED after draining'}`,
  );
  return {
    records,
    consistency: consistencyRows(w, ackMode, run, atLastAck, drained.comparisons, config.downFollowers),
    converged: drained.converged,
  };
}

/** The run's folder: every write, the summaries, the consistency rows, the charts and both reports. */
/** One summary row per ack mode and W, in that order. */
function summaryRows(
  config: SweepConfig,
  writes: WriteRecord[],
  predictions: SweepContext['predictions'],
): SummaryRow[] {
  return config.ackModes.flatMap((ackMode) =>
    config.quorums.map((w) =>
      summaryRow(
        w,
        writes.filter((r) => r.ackMode === ackMode && r.w === w),
        predictions.get(w),
        ackMode,
      ),
    ),
  );
}

/** The machine the sweep ran on, for environment.json and the report (never its host name). */
function machineFacts() {
  return {
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
    cpus: os.cpus().length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    gitCommit: gitCommit(),
  };
}

async function writeOutputs(
  { config, progress, predictions, loadAverageStart, files }: SweepContext,
  writes: WriteRecord[],
  consistency: ConsistencyRow[],
  converged: boolean,
  floor: SweepFloor | undefined,
): Promise<SweepResult> {
  const summary = summaryRows(config, writes, predictions);
  const intervals = intervalRows(writes);
  // Measuring is over: the load now is what the run ran under (charts and reports come after).
  const loadAverageEnd = os.loadavg();
  await writeJson(files, 'writes.json', writes);
  await writeJson(files, 'summary.json', summary);
  await files.write('summary.csv', summaryCsv(summary));
  await writeJson(files, 'summary-ci.json', intervals);
  await files.write('summary-ci.csv', intervalCsv(intervals));
  await writeJson(files, 'consistency.json', consistency);
  if (floor !== undefined) await writeJson(files, 'floor.json', floor);
  const machine = machineFacts();
  const hostLoad: HostLoad = { start: loadAverageStart, end: loadAverageEnd, cpus: machine.cpus };
  await writeJson(files, 'environment.json', {
    ...machine,
    loadAverage: { start: loadAverageStart, end: loadAverageEnd },
  });
  progress.log('rendering charts');
  const floorComparison = floor?.comparison;
  const charts = await renderAllCharts(
    { summary, writes, consistency, intervals, ...(floorComparison && { floor: floorComparison }) },
    config.out,
  );
  files.add(...charts);
  const environment = {
    ...machine,
    loadAverageStart: fmtLoadAverage(loadAverageStart),
    loadAverageEnd: fmtLoadAverage(loadAverageEnd),
  };
  const report = {
    config,
    summary,
    consistency,
    charts,
    environment,
    intervals,
    writes,
    hostLoad,
    ...(floorComparison && { floor: floorComparison }),
  };
  await files.write('report.md', buildReportMarkdown(report));
  files.add(path.basename(await writeReportHtml(config.out, report)));
  return { outDir: config.out, summary, intervals, consistency, converged, files: files.names };
}

/** The scenario's faults: followers stopped after the warm-up (the runtime must be able to). */
async function injectFaults(config: SweepConfig, cluster: Cluster, progress: Progress): Promise<void> {
  if (config.downFollowers.length === 0) return;
  const faultable = cluster as Partial<FaultableCluster>;
  if (typeof faultable.killFollower !== 'function') {
    throw new Error(
      `scenario ${config.scenario} stops followers, which the ${config.runtime} runtime cannot do; use --runtime process or docker`,
    );
  }
  for (const n of config.downFollowers) {
    progress.log(`stopping follower ${n} (scenario ${config.scenario})`);
    await faultable.killFollower(n - 1);
  }
}

function consistencyRows(
  w: number,
  ackMode: AckMode,
  run: number,
  atLastAck: FollowerComparison[],
  afterDrain: FollowerComparison[],
  downFollowers: number[],
): ConsistencyRow[] {
  const rows: ConsistencyRow[] = atLastAck.map((c) => {
    const drained = afterDrain.find((d) => d.follower === c.follower);
    return {
      w,
      ackMode,
      run,
      follower: c.follower,
      differingKeysAtLastAck: c.differingKeys,
      lsnBehindAtLastAck: c.lsnBehind,
      differingKeysAfterDrain: drained?.differingKeys ?? NaN,
      lsnBehindAfterDrain: drained?.lsnBehind ?? NaN,
    };
  });
  for (const follower of downFollowers) {
    rows.push({
      w,
      ackMode,
      run,
      follower,
      differingKeysAtLastAck: NaN,
      lsnBehindAtLastAck: NaN,
      differingKeysAfterDrain: NaN,
      lsnBehindAfterDrain: NaN,
      down: true,
    });
  }
  return rows.sort((a, b) => a.follower - b.follower);
}

async function writeJson(files: OutputFiles, name: string, value: unknown): Promise<void> {
  await files.write(name, JSON.stringify(value, null, 2) + '\n');
}
