/** A running cluster, whoever started it: what the sweep and the tests need to reach it. */
import type { AckMode, FsyncMode } from '@quorum-kv/replication-protocol';
import type { RuntimeName } from './runtimes';

/** What every benchmark says about its cluster: where it runs and how it replicates. */
export interface ClusterConfig {
  runtime: RuntimeName;
  /** The leader of an `external` cluster. */
  leaderUrl?: string;
  followers: number;
  delay: string;
  replicationTimeoutMs: number;
  ackMode: AckMode;
  seed: number;
  /** The process runtime: every node keeps its on-disk log under this folder (see ClusterSettings). */
  dataDir?: string;
  fsync?: FsyncMode;
}

export interface ClusterSettings {
  followers: number;
  delay: string;
  replicationTimeoutMs: number;
  ackMode: AckMode;
  seed: number;
  /** Default W of the leader (the sweep always names W per request). */
  defaultW: number;
  clusterToken: string;
  /** Extra environment for the leader, e.g. limits. */
  leaderEnv?: Record<string, string>;
  /** Extra node flags for every node of the process runtime, e.g. ['--cpu-prof'] to profile. */
  nodeArgs?: string[];
  /**
   * Puts a cuttable TCP proxy between the leader and each follower (the leader's FOLLOWERS name
   * the proxies), so `cut`/`heal` can partition them. Only for runs that need partitions: the
   * latency study runs without the extra hop. The docker runtime cuts on its network instead.
   */
  partitions?: boolean;
  /**
   * The process runtime only: each node keeps its on-disk log under this folder (`leader`,
   * `follower1`, ...), and a node restarted by the runtime comes back on its own folder.
   * Unset, every node is in memory.
   */
  dataDir?: string;
  /** FSYNC of every node with a data dir (the nodes' default, `always`, when unset). */
  fsync?: FsyncMode;
}

export interface Cluster {
  readonly leaderUrl: string;
  /** Base URLs the bench can reach each follower at (index i is follower i + 1). */
  readonly followerUrls: string[];
  readonly clusterToken: string;
  /** Stops everything this cluster started; safe to call twice. */
  stop(): Promise<void>;
}

/** A cluster whose followers a test can take down and bring back. */
export interface FaultableCluster extends Cluster {
  /** Stops follower i (0-based) abruptly. */
  killFollower(i: number): Promise<void>;
  /** Starts follower i again, empty, at the same address. */
  restartFollower(i: number): Promise<void>;
  /** Freezes follower i (SIGSTOP / docker pause) so it accepts nothing and answers nothing. */
  pauseFollower(i: number): Promise<void>;
  resumeFollower(i: number): Promise<void>;
}

/** A leader process a test can kill, pause and start again (the leader-loss tests). */
export interface LeaderControl {
  readonly url: string;
  /** SIGKILL by default: the leader dies with whatever was in flight. */
  kill(signal?: 'SIGKILL' | 'SIGTERM'): Promise<void>;
  pause(): Promise<void>;
  resume(): Promise<void>;
}

/** A cluster whose leader a test can kill and start again with the same environment (both runtimes). */
export interface LeaderRestartableCluster extends FaultableCluster {
  /** The leader (as started last). */
  readonly leader: LeaderControl;
  /**
   * Stops the leader if it still runs and starts it again with the same environment plus
   * `envOverrides` (the process runtime: at the same address; the docker runtime: under the same
   * alias, so `leaderUrl` changes). Resolves once it serves, unless `waitReady` is false.
   */
  restartLeader(envOverrides?: Record<string, string>, options?: { waitReady?: boolean }): Promise<void>;
}

/** A cluster whose leader-follower links can be cut while both ends keep running (started with `partitions: true`). */
export interface PartitionableCluster extends LeaderRestartableCluster {
  /** Cuts the link between the leader and follower i (0-based): bytes either way are dropped, nothing is delivered later. */
  cut(i: number): Promise<void>;
  /** Heals the link: connections that lived through the cut are destroyed, new ones pass. */
  heal(i: number): Promise<void>;
}

/** A cluster whose leader a test can lose: kill, restart with the same environment, or run a second one. */
export interface LeaderFaultableCluster extends LeaderRestartableCluster {
  /** Starts another leader process on a new port with the same environment plus `envOverrides`. */
  startExtraLeader(envOverrides?: Record<string, string>, options?: { waitReady?: boolean }): Promise<LeaderControl>;
}

/** What the runtimes that start their own nodes (process, docker) give: every fault, leader loss and cut links. */
export type LocalCluster = LeaderFaultableCluster & PartitionableCluster;

export const DEFAULT_CLUSTER_TOKEN = 'quorum-kv-bench-token';

/** The settings a runtime starts a cluster with, from a benchmark's cluster config. */
export function clusterSettings(
  config: Pick<
    ClusterConfig,
    'followers' | 'delay' | 'replicationTimeoutMs' | 'ackMode' | 'seed' | 'dataDir' | 'fsync'
  >,
  clusterToken = DEFAULT_CLUSTER_TOKEN,
): ClusterSettings {
  return {
    followers: config.followers,
    delay: config.delay,
    replicationTimeoutMs: config.replicationTimeoutMs,
    ackMode: config.ackMode,
    seed: config.seed,
    defaultW: 1,
    clusterToken,
    ...(config.dataDir !== undefined && { dataDir: config.dataDir }),
    ...(config.fsync !== undefined && { fsync: config.fsync }),
  };
}

/** One runtime (see runtimes.ts): starts a cluster for a config, or reaches a running one. */
export interface Runtime {
  start(
    config: ClusterConfig,
    options: { clusterToken: string; followerUrls?: string[]; log: (line: string) => void },
  ): Promise<Cluster>;
}
