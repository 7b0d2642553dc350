/**
 * What `bench throughput` measures and writes: one row per system and W (the floor has no W),
 * closed loop (C connections, each sending its next write when the last one is answered) or open
 * loop (writes due at i/rate s, each timed from its due time).
 */
import type { AckMode, FsyncMode } from '@quorum-kv/replication-protocol';
import type { LatencySummary } from '../common/latency-recorder';

/**
 * The systems one run compares: this store; the floor (one bare node:http server); the stream
 * relay (bare node:http leader and followers in the store's topology and batch-stream design, no
 * framework, no validation); Redis with WAIT.
 */
export type ThroughputSystem = 'quorum-kv' | 'floor' | 'stream-relay' | 'redis';
export type LoadMode = 'closed' | 'open';

/** Where the store keeps its log: in memory, or on a DATA_DIR under one FSYNC mode. */
export type StorageMode = 'memory' | FsyncMode;
export const STORAGE_MODES: readonly StorageMode[] = ['memory', 'always', 'batch', 'off'];

/** Group commit over a store's whole run (warm-up included): records one fsync covered, on average. */
export interface GroupCommit {
  storage: StorageMode;
  leaderRecordsPerFsync: number | null;
  /** Over the followers together. */
  followerRecordsPerFsync: number | null;
  leaderFsyncs: number | null;
}

export interface ThroughputConfig {
  followers: number;
  quorums: number[];
  connections: number;
  durationS: number;
  /** Open loop when set: writes per second offered to each system; closed loop when null. */
  ratePerS: number | null;
  warmupS: number;
  keys: number;
  valueBytes: number;
  delay: string;
  replicationTimeoutMs: number;
  ackMode: AckMode;
  /** Run Redis when `redis-server` is on PATH (false: skip it even then). */
  redis: boolean;
  /** Write V8 CPU profiles of every node of the store into `<out>/cpu-profiles`. */
  cpuProf: boolean;
  /** Extra environment for the store's leader (e.g. limits), as KEY=VALUE pairs. */
  leaderEnv: Record<string, string>;
  /** The store once per mode, side by side in this run (the first is the one the ratios use). */
  storage: StorageMode[];
  seed: number;
  out: string;
}

export interface ThroughputRow {
  system: ThroughputSystem;
  /** The store's storage mode; null for the other systems. Absent in runs older than the flag. */
  storage?: StorageMode | null;
  /** Write quorum (replicas Redis WAITs for); null for the floor, which replicates nothing. */
  w: number | null;
  mode: LoadMode;
  connections: number;
  durationS: number;
  offeredRatePerS: number | null;
  writesOk: number;
  errors: number;
  errorsByCode: Record<string, number>;
  writesPerS: number;
  latency: LatencySummary;
  /** CPU seconds of the system's processes over the measured window, summed; null when unreadable. */
  cpuSeconds: number | null;
  cpuMsPerWrite: number | null;
  /** The same per process (`leader`, `follower1`..; `primary`, `replica1`..; `floor`). */
  cpuMsPerWriteByProcess: Record<string, number | null>;
  /** The bench's own CPU per write (the load generator shares the machine). */
  clientCpuMsPerWrite: number;
}

export interface ThroughputResult {
  config: ThroughputConfig;
  startedAt: string;
  machine: { cpus: number; node: string; platform: string };
  /** Why Redis was not measured, when it was not. */
  redisSkipped: string | null;
  rows: ThroughputRow[];
  /** Per storage mode on disk: how many records one fsync covered. */
  groupCommit?: GroupCommit[];
}
