/**
 * The three systems of a throughput run, each behind one interface: start it, know how to send
 * one write at W, read the CPU its processes used so far, stop it. The run treats them alike.
 */
import os from 'node:os';
import path from 'node:path';
import { KvClient } from '../cluster/kv-client';
import { ensureBuilt } from '../cluster/build';
import { clusterSettings } from '../cluster/cluster';
import { startProcessCluster } from '../cluster/process-cluster';
import { readCpu, readNodeCpuSeconds, readProcessCpuSeconds, type CpuReading } from './cpu-reading';
import { startRelayTopology } from '../floor/relay-topology';
import { startFloorServer } from './floor-server';
import { httpClosedLoop } from './http-closed-loop';
import type { LoadOutcome, SendWrite } from './load-outcome';
import { closedLoop, openLoop } from './open-loop';
import { RedisConnection, RedisPool } from './redis-connection';
import { startRedisCluster } from './redis-cluster';
import { mkdtemp, rm } from 'node:fs/promises';
import { metricSum } from '../common/prometheus-text';
import type { GroupCommit, StorageMode, ThroughputConfig, ThroughputSystem } from './throughput-records';

export interface RunningSystem {
  system: ThroughputSystem;
  /** Drives one window of load at W (null: the floor, which has none) and returns what it saw. */
  load(w: number | null, durationS: number): Promise<LoadOutcome>;
  /** CPU seconds so far of each of its processes. */
  cpuSeconds(): Promise<CpuReading>;
  stop(): Promise<void>;
  /** The store's storage mode. */
  storage?: StorageMode;
  /** Read before it stops: the group commit of its on-disk logs (the store on a DATA_DIR). */
  groupCommit?(): Promise<GroupCommit>;
}

/** The open-loop writer's bound on writes waiting at once (beyond it a due write is dropped). */
const MAX_OUTSTANDING_WRITES = 100_000;

function value(config: ThroughputConfig): string {
  return 'x'.repeat(config.valueBytes);
}

function httpSystem(
  system: ThroughputSystem,
  baseUrl: string,
  config: ThroughputConfig,
  cpuSeconds: () => Promise<CpuReading>,
  stop: () => Promise<void>,
): RunningSystem {
  const client = new KvClient(baseUrl, config.connections);
  const query = (w: number | null): Record<string, string> => (w === null ? {} : { w: String(w), ack: config.ackMode });
  return {
    system,
    cpuSeconds,
    load(w, durationS) {
      if (config.ratePerS === null)
        return httpClosedLoop({
          baseUrl,
          query: new URLSearchParams(query(w)).toString(),
          connections: config.connections,
          durationS,
          keys: config.keys,
          valueBytes: config.valueBytes,
        });
      const send: SendWrite = async (i) => {
        const { httpStatus } = await client.put(`k${i % config.keys}`, value(config), query(w));
        if (httpStatus >= 200 && httpStatus < 300) return null;
        return httpStatus === 0 ? 'no_answer' : `http_${httpStatus}`;
      };
      return openLoop(send, { ratePerS: config.ratePerS, durationS, maxOutstanding: MAX_OUTSTANDING_WRITES });
    },
    async stop() {
      client.close();
      await stop();
    },
  };
}

export async function startFloor(config: ThroughputConfig): Promise<RunningSystem> {
  const floor = await startFloorServer();
  return httpSystem(
    'floor',
    floor.url,
    config,
    () => readCpu({ floor: () => readProcessCpuSeconds(floor.pid) }),
    floor.stop,
  );
}

/** Bare node:http leader and followers as processes, the store's topology and batch stream (no framework): W acks, no delay. */
export async function startStreamRelay(config: ThroughputConfig): Promise<RunningSystem> {
  const relay = await startRelayTopology(config.followers, 'stream');
  const readers = Object.fromEntries(
    relay.pids.map((pid, i) => [
      i === relay.pids.length - 1 ? 'leader' : `follower${i + 1}`,
      () => readProcessCpuSeconds(pid),
    ]),
  );
  return httpSystem('stream-relay', relay.leaderUrl, config, () => readCpu(readers), relay.stop);
}

/** The store in memory, or on a fresh DATA_DIR per node under `storage` (removed when it stops). */
export async function startStore(
  config: ThroughputConfig,
  log: (line: string) => void,
  storage: StorageMode = 'memory',
): Promise<RunningSystem> {
  ensureBuilt(log);
  const profileDir = path.resolve(config.out, 'cpu-profiles', storage);
  const dataDir = storage === 'memory' ? undefined : await mkdtemp(path.join(os.tmpdir(), 'quorum-kv-throughput-'));
  const cluster = await startProcessCluster({
    ...clusterSettings(config),
    ...(dataDir !== undefined && storage !== 'memory' && { dataDir, fsync: storage }),
    leaderEnv: config.leaderEnv,
    nodeArgs: config.cpuProf ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
  });
  const readers = Object.fromEntries([
    ['leader', () => readNodeCpuSeconds(cluster.leaderUrl)],
    ...cluster.followerUrls.map((url, i) => [`follower${i + 1}`, () => readNodeCpuSeconds(url)]),
  ]) as Record<string, () => Promise<number | null>>;
  const system = httpSystem(
    'quorum-kv',
    cluster.leaderUrl,
    config,
    () => readCpu(readers),
    async () => {
      await cluster.stop();
      if (dataDir !== undefined) await rm(dataDir, { recursive: true, force: true });
    },
  );
  if (storage === 'memory') return { ...system, storage };
  return { ...system, storage, groupCommit: () => readGroupCommit(storage, cluster.leaderUrl, cluster.followerUrls) };
}

/** Records per fsync from the nodes' disk-log counters (the leader apart, the followers together). */
async function readGroupCommit(storage: StorageMode, leaderUrl: string, followerUrls: string[]): Promise<GroupCommit> {
  const counters = async (url: string) => {
    try {
      const text = await (await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(5000) })).text();
      return {
        fsyncs: metricSum(text, 'quorumkv_disk_fsyncs_total'),
        records: metricSum(text, 'quorumkv_disk_records_fsynced_total'),
      };
    } catch {
      return null;
    }
  };
  const leader = await counters(leaderUrl);
  const followers = (await Promise.all(followerUrls.map(counters))).filter((c) => c !== null);
  const ratio = (records: number, fsyncs: number) => (fsyncs > 0 ? records / fsyncs : null);
  const sum = (pick: (c: { fsyncs: number; records: number }) => number) => followers.reduce((n, c) => n + pick(c), 0);
  return {
    storage,
    leaderRecordsPerFsync: leader ? ratio(leader.records, leader.fsyncs) : null,
    followerRecordsPerFsync:
      followers.length > 0
        ? ratio(
            sum((c) => c.records),
            sum((c) => c.fsyncs),
          )
        : null,
    leaderFsyncs: leader ? leader.fsyncs : null,
  };
}

export async function startRedis(config: ThroughputConfig): Promise<RunningSystem> {
  const redis = await startRedisCluster(config.followers);
  const connections = await Promise.all(
    Array.from({ length: config.connections }, () => RedisConnection.connect(redis.primaryPort)),
  );
  const pool = new RedisPool([...connections]);
  return {
    system: 'redis',
    cpuSeconds: () =>
      readCpu(
        Object.fromEntries(
          redis.pids.map((pid, i) => [i === 0 ? 'primary' : `replica${i}`, () => readProcessCpuSeconds(pid)]),
        ),
      ),
    load(w, durationS) {
      const replicas = w ?? 0;
      const send: SendWrite = (i) =>
        pool.use((c) => c.setWait(`k${i % config.keys}`, value(config), replicas, config.replicationTimeoutMs));
      return config.ratePerS === null
        ? closedLoop(send, config.connections, durationS)
        : openLoop(send, { ratePerS: config.ratePerS, durationS, maxOutstanding: MAX_OUTSTANDING_WRITES });
    },
    async stop() {
      connections.forEach((c) => c.close());
      await redis.stop();
    },
  };
}

export function machine(): { cpus: number; node: string; platform: string } {
  return { cpus: os.cpus().length, node: process.version, platform: `${os.platform()} ${os.release()}` };
}
