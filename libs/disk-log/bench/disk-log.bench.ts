/**
 * The on-disk log's costs, printed, never asserted (`npx nx run disk-log:bench -- --help`):
 *   1. append latency and throughput per FSYNC mode against an in-memory array, side by side;
 *   2. group commit: records per fsync as concurrency grows (FSYNC=always);
 *   3. recovery: open + replay time against log size.
 * Each part runs in a fresh directory under --dir (default: the OS temp dir), removed after.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DiskLog, type FsyncMode } from '../src/index';

const { values: flags } = parseArgs({
  options: {
    records: { type: 'string', default: '20000' },
    repeats: { type: 'string', default: '3' },
    concurrency: { type: 'string', default: '32' },
    'record-bytes': { type: 'string', default: '100' },
    'group-concurrency': { type: 'string', default: '1,8,64,256' },
    'recovery-records': { type: 'string', default: '10000,100000,300000' },
    dir: { type: 'string', default: tmpdir() },
    help: { type: 'boolean', default: false },
  },
});
if (flags.help) {
  console.log(
    'disk-log bench: --records N --concurrency C --record-bytes B --group-concurrency 1,8,64 --recovery-records 10000,100000 --dir DIR',
  );
  process.exit(0);
}
const recordCount = Number(flags.records);
const concurrency = Number(flags.concurrency);
const recordBytes = Number(flags['record-bytes']);

const entry = (lsn: number) => ({
  epoch: 1,
  lsn,
  key: `k${lsn % 10}`,
  value: 'v'.repeat(Math.max(0, recordBytes - 50)),
});

function freshDir(): string {
  return mkdtempSync(join(flags.dir, 'disk-log-bench-'));
}

function percentile(sortedMs: number[], p: number): number {
  return sortedMs[Math.min(sortedMs.length - 1, Math.floor((p / 100) * sortedMs.length))] ?? NaN;
}

interface RunResult {
  label: string;
  recordsPerS: number;
  latencyMsP50: number;
  latencyMsP99: number;
  /** fsyncs during the run (close's own not counted), and the mean records each covered. */
  fsyncs: number;
  recordsPerFsync: number;
  /** Records acknowledged (committed) but not yet fsynced when the run ended: a machine crash's loss then. */
  notDurableAtEnd: number;
}

/** C workers each append and wait for `committed` before the next: C appends in flight. */
async function runAppends(
  label: string,
  count: number,
  inFlight: number,
  append: (lsn: number) => Promise<void>,
): Promise<{ label: string; recordsPerS: number; latencyMsP50: number; latencyMsP99: number }> {
  const latenciesMs: number[] = [];
  let next = 0;
  const startMs = performance.now();
  const worker = async () => {
    while (next < count) {
      next += 1;
      const beganMs = performance.now();
      await append(next);
      latenciesMs.push(performance.now() - beganMs);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  const elapsedS = (performance.now() - startMs) / 1000;
  latenciesMs.sort((a, b) => a - b);
  return {
    label,
    recordsPerS: count / elapsedS,
    latencyMsP50: percentile(latenciesMs, 50),
    latencyMsP99: percentile(latenciesMs, 99),
  };
}

async function runMode(fsync: FsyncMode | 'memory', inFlight: number, count: number): Promise<RunResult> {
  if (fsync === 'memory') {
    const memory: unknown[] = [];
    const result = await runAppends('in memory', count, inFlight, async (lsn) => {
      memory.push(JSON.parse(JSON.stringify(entry(lsn)))); // a copy, as a node keeps one
    });
    return { ...result, fsyncs: 0, recordsPerFsync: 0, notDurableAtEnd: count };
  }
  const dir = freshDir();
  try {
    const log = await DiskLog.open({ dir, fsync });
    const result = await runAppends(`FSYNC=${fsync}`, count, inFlight, (lsn) => log.append(entry(lsn)).committed);
    const stats = log.stats();
    await log.close();
    const notDurableAtEnd = stats.appendedRecords - stats.durableRecords;
    return { ...result, fsyncs: stats.fsyncCount, recordsPerFsync: stats.recordsPerFsyncMean, notDurableAtEnd };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function recoveryTime(count: number) {
  const dir = freshDir();
  try {
    const log = await DiskLog.open({ dir, fsync: 'off' });
    for (let lsn = 1; lsn <= count; lsn += 1) {
      const receipt = log.append(entry(lsn));
      if (lsn % 1000 === 0) await receipt.written; // stay under maxQueuedBytes
    }
    await log.close();
    const bytes = log.stats().bytesWritten;
    const startMs = performance.now();
    const reopened = await DiskLog.open({ dir, fsync: 'off' });
    const openMs = performance.now() - startMs;
    let replayed = 0;
    for await (const record of reopened.readRecords()) if (record) replayed += 1;
    const totalMs = performance.now() - startMs;
    await reopened.close();
    return { records: replayed, megabytes: bytes / 1e6, openMs, openAndReplayMs: totalMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (value: number, digits = 2) => value.toFixed(digits);
const repeats = Number(flags.repeats);

/** Runs each mode `repeats` times, interleaved, and keeps each figure's median (the machine is shared). */
async function medianRuns(modes: readonly (FsyncMode | 'memory')[], inFlight: number, count: number) {
  const runs = new Map<string, RunResult[]>();
  for (let i = 0; i < repeats; i += 1) {
    for (const mode of modes) {
      const result = await runMode(mode, inFlight, count);
      runs.set(result.label, [...(runs.get(result.label) ?? []), result]);
    }
  }
  return [...runs.entries()].map(([label, results]) => {
    const median = (pick: (r: RunResult) => number) =>
      results.map(pick).sort((a, b) => a - b)[Math.floor(results.length / 2)] ?? NaN;
    return {
      label,
      recordsPerS: median((r) => r.recordsPerS),
      latencyMsP50: median((r) => r.latencyMsP50),
      latencyMsP99: median((r) => r.latencyMsP99),
      fsyncs: median((r) => r.fsyncs),
      recordsPerFsync: median((r) => r.recordsPerFsync),
      notDurableAtEnd: median((r) => r.notDurableAtEnd),
    };
  });
}

function row(first: string, r: RunResult): string {
  return [
    first,
    fmt(r.recordsPerS, 0).padStart(10),
    fmt(r.latencyMsP50, 3).padStart(8),
    fmt(r.latencyMsP99, 3).padStart(9),
    String(r.fsyncs).padStart(7),
    fmt(r.recordsPerFsync, 1).padStart(14),
    String(r.notDurableAtEnd).padStart(16),
  ].join(' ');
}
const HEADER = 'records/s   p50 ms    p99 ms  fsyncs  records/fsync  not durable at end';

async function main(): Promise<void> {
  console.log(
    `disk-log bench: ${recordCount} records of ~${recordBytes} B, ${concurrency} in flight, dir ${flags.dir}`,
  );
  // Warm-up, untimed: the first mode measured would otherwise pay for the JIT.
  for (const mode of ['memory', 'off', 'batch', 'always'] as const) await runMode(mode, concurrency, 2000);

  console.log(`\n1. append → committed, per FSYNC mode (median of ${repeats} interleaved runs)`);
  console.log('   always: fsynced; batch, off: written to the OS; in memory: pushed to an array');
  console.log(`mode           ${HEADER}`);
  for (const r of await medianRuns(['memory', 'off', 'batch', 'always'], concurrency, recordCount)) {
    console.log(row(r.label.padEnd(14), r));
  }

  console.log(`\n2. group commit (FSYNC=always): records one fsync covers as appends in flight grow`);
  console.log(`in flight      ${HEADER}`);
  for (const inFlight of flags['group-concurrency'].split(',').map(Number)) {
    const count = Math.max(inFlight * 20, Math.min(recordCount, inFlight * 100));
    for (const r of await medianRuns(['always'], inFlight, count)) {
      console.log(row(String(inFlight).padStart(9).padEnd(14), r));
    }
  }

  console.log('\n3. recovery: open (lock, scan every frame, fsync) and replay, against log size');
  console.log('  records        MB   open ms   open+replay ms');
  for (const count of flags['recovery-records'].split(',').map(Number)) {
    const r = await recoveryTime(count);
    console.log(
      `${String(r.records).padStart(9)} ${fmt(r.megabytes, 1).padStart(9)} ${fmt(r.openMs, 0).padStart(9)} ${fmt(
        r.openAndReplayMs,
        0,
      ).padStart(16)}`,
    );
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
