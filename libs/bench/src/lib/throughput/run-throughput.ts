/**
 * One throughput run: the floor, the stream relay at every W, then the store at every W, then Redis at every W (when it is
 * on PATH), one system at a time so none competes with another for the two cores. The store
 * runs once per storage mode (`--storage memory,always,batch,off`: in memory, or on a fresh
 * DATA_DIR per node under each FSYNC mode), and its on-disk runs report their group commit. Each system
 * is warmed up first (the JIT, the connections), then measured window by window with its CPU
 * read before and after. Leaves throughput.json, throughput.md and the chart in the out folder.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fmtDecimal, fmtMs } from '../common/format';
import { renderChart } from '../common/render-chart';
import { cpuDelta } from './cpu-reading';
import type { LoadOutcome } from './load-outcome';
import { redisUnavailable } from './redis-cluster';
import { machine, startFloor, startRedis, startStreamRelay, startStore, type RunningSystem } from './systems';
import { throughputSpec, THROUGHPUT_CHART } from './throughput-chart';
import type { GroupCommit, ThroughputConfig, ThroughputResult, ThroughputRow } from './throughput-records';
import { throughputMarkdown } from './throughput-table';

export interface ThroughputRun {
  result: ThroughputResult;
  markdown: string;
  files: string[];
}

export async function runThroughput(config: ThroughputConfig, log: (line: string) => void): Promise<ThroughputRun> {
  const startedAt = new Date().toISOString();
  const rows: ThroughputRow[] = [];
  rows.push(...(await measure(await startFloor(config), [null], config, log)));
  rows.push(...(await measure(await startStreamRelay(config), config.quorums, config, log)));
  const groupCommit: GroupCommit[] = [];
  for (const storage of config.storage) {
    const store = await startStore(config, log, storage);
    rows.push(...(await measure(store, config.quorums, config, log, (g) => groupCommit.push(g))));
  }
  const redisSkipped = config.redis ? redisUnavailable() : 'skipped (--no-redis)';
  if (redisSkipped) log(`Redis not measured: ${redisSkipped}`);
  else rows.push(...(await measure(await startRedis(config), config.quorums, config, log)));

  const result: ThroughputResult = { config, startedAt, machine: machine(), redisSkipped, rows, groupCommit };
  const markdown = throughputMarkdown(result);
  await mkdir(config.out, { recursive: true });
  await writeFile(path.join(config.out, 'throughput.json'), `${JSON.stringify(result, null, 2)}\n`);
  await writeFile(path.join(config.out, 'throughput.md'), markdown);
  const files = ['throughput.json', 'throughput.md'];
  try {
    files.push(...(await renderChart(throughputSpec(rows), config.out, THROUGHPUT_CHART)));
  } catch (err) {
    log(`chart not drawn: ${err instanceof Error ? err.message : String(err)}`);
  }
  return { result, markdown, files };
}

async function measure(
  running: RunningSystem,
  quorums: ReadonlyArray<number | null>,
  config: ThroughputConfig,
  log: (line: string) => void,
  onGroupCommit: (groupCommit: GroupCommit) => void = () => undefined,
): Promise<ThroughputRow[]> {
  const rows: ThroughputRow[] = [];
  try {
    if (config.warmupS > 0) await running.load(quorums[0] ?? null, config.warmupS);
    for (const w of quorums) {
      const cpuBefore = await running.cpuSeconds();
      const clientBefore = process.cpuUsage();
      const outcome = await running.load(w, config.durationS);
      const client = process.cpuUsage(clientBefore);
      const cpuAfter = await running.cpuSeconds();
      const row = toRow(
        running,
        w,
        outcome,
        cpuDelta(cpuBefore, cpuAfter),
        (client.user + client.system) / 1e6,
        config,
      );
      log(progressLine(row));
      rows.push(row);
    }
    if (running.groupCommit) onGroupCommit(await running.groupCommit());
  } finally {
    await running.stop();
  }
  return rows;
}

function toRow(
  running: RunningSystem,
  w: number | null,
  outcome: LoadOutcome,
  cpu: ReturnType<typeof cpuDelta>,
  clientCpuSeconds: number,
  config: ThroughputConfig,
): ThroughputRow {
  const perWrite = (seconds: number) => (outcome.writesOk === 0 ? NaN : (seconds * 1000) / outcome.writesOk);
  return {
    system: running.system,
    storage: running.storage ?? null,
    w,
    mode: config.ratePerS === null ? 'closed' : 'open',
    connections: config.connections,
    durationS: outcome.elapsedS,
    offeredRatePerS: config.ratePerS,
    writesOk: outcome.writesOk,
    errors: outcome.errors,
    errorsByCode: outcome.errorsByCode,
    writesPerS: outcome.writesOk / outcome.elapsedS,
    latency: outcome.latency,
    cpuSeconds: cpu.total,
    cpuMsPerWrite: cpu.total === null ? null : perWrite(cpu.total),
    cpuMsPerWriteByProcess: Object.fromEntries(
      Object.entries(cpu.byProcess).map(([name, s]) => [name, s === null ? null : perWrite(s)]),
    ),
    clientCpuMsPerWrite: perWrite(clientCpuSeconds),
  };
}

function progressLine(row: ThroughputRow): string {
  const at = row.w === null ? '' : ` W=${row.w}`;
  const leader = row.cpuMsPerWriteByProcess['leader'];
  const cpu =
    fmtDecimal(row.cpuMsPerWrite, 3) +
    (leader === undefined || leader === null ? '' : ` (leader ${fmtDecimal(leader, 3)})`);
  const storage = row.storage && row.storage !== 'memory' ? ` (FSYNC=${row.storage})` : '';
  return (
    `${row.system}${storage}${at}: ${Math.round(row.writesPerS)} writes/s, ` +
    `p50 ${fmtMs(row.latency.p50Ms, true, 2)}, ` +
    `p99 ${fmtMs(row.latency.p99Ms, true, 2)}, ${row.errors} errors, CPU ${cpu} ms/write`
  );
}
