/**
 * The one registry of runtimes: where a benchmark's cluster runs. A runtime is one file that
 * exports a `Runtime`, plus one line here; the CLIs offer exactly these names. Each is loaded
 * only when chosen (the docker runtime loads testcontainers, which is slow to load).
 */
import { DEFAULT_CLUSTER_TOKEN, type Cluster, type ClusterConfig, type Runtime } from './cluster';

export const RUNTIMES = {
  /** Leader and followers as child processes on 127.0.0.1 (the default; no Docker needed). */
  process: () => import('./process-cluster').then((m) => m.processRuntime),
  /** Leader and followers as containers on a Docker network of their own (testcontainers). */
  docker: () => import('./docker-cluster').then((m) => m.dockerRuntime),
  /** A cluster already running, e.g. from `docker compose up`. */
  external: () => import('./external-cluster').then((m) => m.externalRuntime),
} as const satisfies Record<string, () => Promise<Runtime>>;

export type RuntimeName = keyof typeof RUNTIMES;
export const RUNTIME_NAMES = Object.keys(RUNTIMES) as RuntimeName[];

export interface AcquireOptions {
  clusterToken?: string;
  /** For `external`: follower URLs reachable from here (else the leader's /status URLs). */
  followerUrls?: string[];
  log: (line: string) => void;
}

/** The cluster a benchmark runs against, on the runtime its config names: started here, or already running. */
export async function acquireCluster(config: ClusterConfig, options: AcquireOptions): Promise<Cluster> {
  const runtime = await RUNTIMES[config.runtime]();
  return runtime.start(config, { ...options, clusterToken: options.clusterToken ?? DEFAULT_CLUSTER_TOKEN });
}
