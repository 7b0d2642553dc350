/**
 * `nx run bench:memory-down-follower`: the leader's memory while a follower is down and large
 * writes continue (issue #12). Starts a process cluster, stops its last follower, writes values
 * of `--value-kib` KiB (default 1 MiB) to a few keys at W=1, and prints the leader's RSS, heap,
 * log bytes and store bytes every `--sample-every` writes, read from its /metrics. It prints
 * figures and asserts nothing: with MAX_LOG_BYTES the RSS levels off instead of growing with
 * every write (the follower then needs a snapshot).
 *
 *   npx nx run bench:memory-down-follower -- --writes 600 --max-log-mib 64 --heap-mib 512
 */
import { clusterSettings, DEFAULT_CLUSTER_TOKEN, type FaultableCluster } from '../cluster/cluster';
import { startProcessCluster } from '../cluster/process-cluster';
import { ensureBuilt } from '../cluster/build';
import { KvClient } from '../cluster/kv-client';
import { parsePrometheusText, firstValue, RSS_METRIC, HEAP_USED_METRIC } from '../common/prometheus-text';
import type { MemoryCli, MemoryConfig } from './memory-cli';

const MIB = 1024 * 1024;

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
  return (
    `${String(s.writes).padStart(6)} ${f(s.elapsedS, 8)} ${f(s.rssMib, 8)} ${f(s.heapMib, 8)} ` +
    `${f(s.logMib, 8)} ${f(s.storeMib, 8)} ${String(s.needsSnapshot).padStart(6)}`
  );
}

/** The process cluster the command measures: the leader's body and log bounds, every node's heap limit. */
export async function startMemoryCluster(cli: MemoryCli, log: (line: string) => void): Promise<FaultableCluster> {
  const { memory } = cli;
  ensureBuilt(log);
  log(`starting a leader and ${cli.config.followers} followers as processes on 127.0.0.1`);
  return startProcessCluster({
    ...clusterSettings(cli.config, cli.clusterToken ?? DEFAULT_CLUSTER_TOKEN),
    ...(memory.heapMib !== undefined && { nodeArgs: [`--max-old-space-size=${memory.heapMib}`] }),
    leaderEnv: {
      MAX_BODY_BYTES: String(memory.valueKib * 1024 + 1024),
      ...(memory.maxLogMib !== undefined && { MAX_LOG_BYTES: String(memory.maxLogMib * MIB) }),
    },
  });
}

/** Stops the cluster's last follower, writes, and prints a sample every `sampleEvery` writes. */
export async function runMemoryDownFollower(
  memory: MemoryConfig,
  cluster: FaultableCluster,
  log: (line: string) => void,
): Promise<void> {
  const down = cluster.followerUrls.length - 1;
  const client = new KvClient(cluster.leaderUrl);
  try {
    const value = 'v'.repeat(memory.valueKib * 1024);
    log(
      `leader ${cluster.leaderUrl}; follower ${down + 1} stopped; ` +
        `${memory.writes} writes of ${memory.valueKib} KiB to ${memory.keys} keys at W=1; ` +
        `MAX_LOG_BYTES ${memory.maxLogMib === undefined ? 'default (256 MiB)' : `${memory.maxLogMib} MiB`}; ` +
        `heap limit ${memory.heapMib === undefined ? "node's default" : `${memory.heapMib} MiB`}`,
    );
    log(' writes  elapsed   rssMiB  heapMiB   logMiB storeMiB snapshotNeeded');
    const startedMs = Date.now();
    const first = await sample(cluster.leaderUrl, 0, startedMs);
    log(line(first));
    await cluster.killFollower(down);
    const samples = [first];
    for (let i = 1; i <= memory.writes; i++) {
      const answer = await client.put(`mem${i % memory.keys}`, value, { w: 1 });
      if (answer.httpStatus !== 200)
        throw new Error(`write ${i} answered ${answer.httpStatus}: ${JSON.stringify(answer.body)}`);
      if (i % memory.sampleEvery === 0 || i === memory.writes) {
        const s = await sample(cluster.leaderUrl, i, startedMs);
        samples.push(s);
        log(line(s));
      }
    }
    const peak = samples.reduce((a, b) => (b.rssMib > a.rssMib ? b : a));
    const last = samples.at(-1) as Sample;
    log(
      `RSS: ${first.rssMib.toFixed(1)} MiB before, peak ${peak.rssMib.toFixed(1)} MiB at write ${peak.writes}, ` +
        `${last.rssMib.toFixed(1)} MiB at the end; ` +
        `log ${last.logMib.toFixed(1)} MiB, store ${last.storeMib.toFixed(1)} MiB`,
    );
  } finally {
    client.close();
  }
}
