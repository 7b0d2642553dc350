/**
 * Starts the cluster of one test file: a leader and five followers as child processes on
 * 127.0.0.1 (the bench's `process` runtime), with a small delay so the tests are fast. The
 * settings go into every describe's title, so a failing test names its seed and delay.
 */
import { existsSync } from 'node:fs';
import {
  DEFAULT_CLUSTER_TOKEN,
  builtAppPath,
  ensureBuilt,
  startProcessCluster,
  type ClusterSettings,
  type ProcessCluster,
} from '@quorum-kv/bench';
import { clusterPerFile, type FileCluster, type FileClusterOptions } from '../support';

export const FOLLOWER_COUNT = 5;

export const DEFAULT_TEST_SETTINGS: Readonly<ClusterSettings> = Object.freeze({
  followers: FOLLOWER_COUNT,
  delay: 'uniform:0:20',
  replicationTimeoutMs: 2000,
  ackMode: 'received',
  seed: 20_251_125,
  defaultW: 1,
  clusterToken: DEFAULT_CLUSTER_TOKEN,
});

export function testSettings(overrides: Partial<ClusterSettings> = {}): ClusterSettings {
  return { ...DEFAULT_TEST_SETTINGS, ...overrides };
}

/** "5 followers, delay uniform:0:20, timeout 2000 ms, seed 20251125": for describe titles. */
export function describeSettings(settings: ClusterSettings): string {
  return `${settings.followers} followers, delay ${settings.delay}, timeout ${settings.replicationTimeoutMs} ms, seed ${settings.seed}`;
}

export async function startTestCluster(settings: ClusterSettings): Promise<ProcessCluster> {
  // `nx run cluster-e2e:e2e` builds first; a bare `jest` run on a fresh clone builds here.
  if (!existsSync(builtAppPath('leader')) || !existsSync(builtAppPath('follower'))) ensureBuilt();
  return startProcessCluster(settings);
}

/** The file's cluster of processes and its clients (see `clusterPerFile`). */
export function processClusterPerFile(
  settings: ClusterSettings,
  options: FileClusterOptions<ProcessCluster> = {},
): FileCluster<ProcessCluster> {
  return clusterPerFile(() => startTestCluster(settings), options);
}
