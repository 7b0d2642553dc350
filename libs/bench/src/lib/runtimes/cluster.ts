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

export const DEFAULT_CLUSTER_TOKEN = 'quorum-kv-bench-token';
