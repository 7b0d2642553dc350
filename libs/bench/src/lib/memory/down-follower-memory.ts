/**
 * `nx run bench:memory-down-follower`: the leader's memory while a follower is down and large
 * writes continue (issue #12). Starts a process cluster, stops one follower, writes values of
 * `--value-kib` KiB (default 1 MiB) to a few keys at W=1, and prints the leader's RSS, heap,
 * log bytes and store bytes every `--sample-every` writes, read from its /metrics. It prints
 * figures and asserts nothing: with MAX_LOG_BYTES the RSS levels off instead of growing with
 * every write (the follower then needs a snapshot).
 *
 *   npx nx run bench:memory-down-follower -- --writes 600 --max-log-mib 64 --heap-mib 512
 */
import { parseArgs } from 'node:util';
import { DEFAULT_CLUSTER_TOKEN, type FaultableCluster } from '../runtimes/cluster';
import { startProcessCluster } from '../runtimes/process-cluster';
import { ensureBuilt } from '../runtimes/build';
import { KvClient } from '../kv-client';
import { parsePrometheusText, firstValue, RSS_METRIC, HEAP_USED_METRIC } from '../soak/prometheus-text';

const MIB = 1024 * 1024;

interface MemoryArgs {
  writes: number;
  valueKib: number;
  keys: number;
  sampleEvery: number;
  maxLogMib: number | undefined;
  /** --max-old-space-size for every node: with a bound, V8 collects before it; without one it may let garbage pile up. */
  heapMib: number | undefined;
}

function readArgs(argv: string[]): MemoryArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      writes: { type: 'string', default: '400' },
      'value-kib': { type: 'string', default: '1024' },
      keys: { type: 'string', default: '5' },
      'sample-every': { type: 'string', default: '25' },
      'max-log-mib': { type: 'string' },
      'heap-mib': { type: 'string' },
    },
  });
  const int = (name: string, text: string | undefined, min: number): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be an integer of at least ${min}`);
    return n;
  };
  return {
    writes: int('writes', values.writes, 1),
    valueKib: int('value-kib', values['value-kib'], 1),
    keys: int('keys', values.keys, 1),
    sampleEvery: int('sample-every', values['sample-every'], 1),
    maxLogMib: values['max-log-mib'] === undefined ? undefined : int('max-log-mib', values['max-log-mib'], 1),
    heapMib: values['heap-mib'] === undefined ? undefined : int('heap-mib', values['heap-mib'], 64),
  };
}

interface Sample {
  writes: number;
  elapsedS: number;
  rssMib: number;
  heapMib: number;
  logMib: number;
  storeMib: number;
  needsSnapshot: number;
}

async function sample(leaderUrl: string, writes: number, startedMs: number): Promise<Sample> {
  const samples = parsePrometheusText(await (await fetch(`${leaderUrl}/metrics`)).text());
  const mib = (name: string) => (firstValue(samples, name) ?? NaN) / MIB;
  return {
    writes,
    elapsedS: (Date.now() - startedMs) / 1000,
    rssMib: mib(RSS_METRIC),
    heapMib: mib(HEAP_USED_METRIC),
    logMib: mib('quorumkv_log_bytes'),
    storeMib: mib('quorumkv_store_bytes'),
    needsSnapshot: samples
      .filter((s) => s.name === 'quorumkv_follower_needs_snapshot')
      .reduce((sum, s) => sum + s.value, 0),
  };
}

function line(s: Sample): string {
  const f = (n: number, w: number) => n.toFixed(1).padStart(w);
  return `${String(s.writes).padStart(6)} ${f(s.elapsedS, 8)} ${f(s.rssMib, 8)} ${f(s.heapMib, 8)} ${f(s.logMib, 8)} ${f(s.storeMib, 8)} ${String(s.needsSnapshot).padStart(6)}`;
}

async function main(): Promise<void> {
  const args = readArgs(process.argv.slice(2));
  ensureBuilt((text) => process.stderr.write(`${text}\n`));
  const cluster: FaultableCluster = await startProcessCluster({
    followers: 5,
    delay: 'uniform:0:10',
    replicationTimeoutMs: 2000,
    ackMode: 'received',
    seed: 12,
    defaultW: 1,
    clusterToken: DEFAULT_CLUSTER_TOKEN,
    ...(args.heapMib !== undefined && { nodeArgs: [`--max-old-space-size=${args.heapMib}`] }),
    leaderEnv: {
      MAX_BODY_BYTES: String(args.valueKib * 1024 + 1024),
      ...(args.maxLogMib !== undefined && { MAX_LOG_BYTES: String(args.maxLogMib * MIB) }),
    },
  });
  const client = new KvClient(cluster.leaderUrl);
  try {
    const value = 'v'.repeat(args.valueKib * 1024);
    process.stdout.write(
      `leader ${cluster.leaderUrl}; follower 5 stopped; ${args.writes} writes of ${args.valueKib} KiB to ${args.keys} keys at W=1; MAX_LOG_BYTES ${args.maxLogMib === undefined ? 'default (256 MiB)' : `${args.maxLogMib} MiB`}; heap limit ${args.heapMib === undefined ? "node's default" : `${args.heapMib} MiB`}\n`,
    );
    process.stdout.write(' writes  elapsed   rssMiB  heapMiB   logMiB storeMiB snapshotNeeded\n');
    const startedMs = Date.now();
    const first = await sample(cluster.leaderUrl, 0, startedMs);
    process.stdout.write(`${line(first)}\n`);
    await cluster.killFollower(4);
    const samples = [first];
    for (let i = 1; i <= args.writes; i++) {
      const answer = await client.put(`mem${i % args.keys}`, value, { w: 1 });
      if (answer.httpStatus !== 200)
        throw new Error(`write ${i} answered ${answer.httpStatus}: ${JSON.stringify(answer.body)}`);
      if (i % args.sampleEvery === 0 || i === args.writes) {
        const s = await sample(cluster.leaderUrl, i, startedMs);
        samples.push(s);
        process.stdout.write(`${line(s)}\n`);
      }
    }
    const peak = samples.reduce((a, b) => (b.rssMib > a.rssMib ? b : a));
    const last = samples.at(-1) as Sample;
    process.stdout.write(
      `RSS: ${first.rssMib.toFixed(1)} MiB before, peak ${peak.rssMib.toFixed(1)} MiB at write ${peak.writes}, ${last.rssMib.toFixed(1)} MiB at the end; log ${last.logMib.toFixed(1)} MiB, store ${last.storeMib.toFixed(1)} MiB\n`,
    );
  } finally {
    client.close();
    await cluster.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`memory benchmark failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
