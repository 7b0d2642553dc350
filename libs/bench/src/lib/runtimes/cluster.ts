/** A running cluster, whoever started it: what the sweep and the tests need to reach it. */
export interface ClusterSettings {
  followers: number;
  delay: string;
  replicationTimeoutMs: number;
  ackMode: 'received' | 'applied';
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
   * latency study runs without the extra hop.
   */
  partitions?: boolean;
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

/** A cluster whose leader a test can crash and start again. */
export interface LeaderRestartableCluster extends FaultableCluster {
  /** SIGKILLs the leader and waits until it has exited: from then on no leader runs. */
  killLeader(): Promise<void>;
  /**
   * Starts the leader again at the same address (after a SIGKILL, if it still runs: two leaders
   * never run at once) with its environment plus `envOverrides`; resolves once it listens.
   */
  restartLeader(envOverrides?: Record<string, string>): Promise<void>;
}

/** A cluster whose leader-follower links can be cut while both ends keep running (started with `partitions: true`). */
export interface PartitionableCluster extends LeaderRestartableCluster {
  /** Cuts the link between the leader and follower i (0-based): bytes either way are dropped, nothing is delivered later. */
  cut(i: number): Promise<void>;
  /** Heals the link: connections that lived through the cut are destroyed, new ones pass. */
  heal(i: number): Promise<void>;
}

export const DEFAULT_CLUSTER_TOKEN = 'quorum-kv-bench-token';
