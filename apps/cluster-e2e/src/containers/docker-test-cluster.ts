/**
 * The settings and clients of the container test files: a leader and five followers as
 * containers on a Docker network of their own (the bench's `docker` runtime), with a small delay
 * so the tests are fast. The settings go into every describe's title, so a failing test names
 * its seed.
 *
 * No skipping here: without a Docker engine `startDockerCluster` throws and every test of the
 * file fails, saying so. Whether to run these suites at all is the test script's decision.
 */
import { randomUUID } from 'node:crypto';
import { DEFAULT_CLUSTER_TOKEN, type ClusterSettings } from '@quorum-kv/bench';
import { startDockerCluster, type DockerCluster, type DockerClusterSettings } from '@quorum-kv/bench/docker';
import { clusterPerFile, type FileCluster, type FileClusterOptions } from '../support';

export const FOLLOWER_COUNT = 5;
/** Long enough for the image builds and six containers on a busy two-core machine. */
export const CLUSTER_START_TIMEOUT_MS = 120_000;

/**
 * Its own token per test file: other clusters on this machine (other test runs, the bench) use
 * the default token, and their leaders keep sending catch-up to ports that ours may now hold.
 */
const FILE_TOKEN = `${DEFAULT_CLUSTER_TOKEN}-${randomUUID().slice(0, 8)}`;

export const DEFAULT_CONTAINER_SETTINGS: Readonly<DockerClusterSettings> = Object.freeze({
  followers: FOLLOWER_COUNT,
  delay: 'uniform:0:50',
  replicationTimeoutMs: 2000,
  ackMode: 'received',
  seed: 20_251_125,
  defaultW: 1,
  clusterToken: FILE_TOKEN,
  logLevel: 'warn',
});

export function containerSettings(overrides: Partial<DockerClusterSettings> = {}): DockerClusterSettings {
  return { ...DEFAULT_CONTAINER_SETTINGS, ...overrides };
}

/** "6 containers, delay uniform:0:50, timeout 2000 ms, seed 20251125": for describe titles. */
export function describeSettings(settings: ClusterSettings): string {
  return `${settings.followers + 1} containers, delay ${settings.delay}, timeout ${settings.replicationTimeoutMs} ms, seed ${settings.seed}`;
}

/** The file's cluster of containers and its clients (see `clusterPerFile`; the clients follow new host ports). */
export function dockerClusterPerFile(
  settings: DockerClusterSettings,
  options: FileClusterOptions<DockerCluster> = {},
): FileCluster<DockerCluster> {
  return clusterPerFile(() => startDockerCluster(settings), { startTimeoutMs: CLUSTER_START_TIMEOUT_MS, ...options });
}
