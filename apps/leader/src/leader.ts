/**
 * Wires a leader from its configuration and its dependencies: by default the real clock, the
 * HTTP transport and precise delays; tests pass a fake clock and an in-memory transport and get
 * the same wiring otherwise.
 */
import { performance } from 'node:perf_hooks';
import { DelaySampler, parseDelayPlan, type Clock } from '@quorum-kv/replication-protocol';
import { clusterIdFromToken, createRegistry, diskLogMetrics, type Logger } from '@quorum-kv/http-edge';
import { storageStatus } from '@quorum-kv/disk-log';
import type { LeaderConfig } from './config';
import { buildLeaderApp } from './app';
import { leaderMetrics } from './leader-metrics';
import { HttpReplicationTransport } from './replication/http-transport';
import { ReplicationCoordinator } from './replication/replication-coordinator';
import { preciseDelay } from './replication/precise-delay';
import type { ReplicationTransport } from './replication/transport';
import type { LeaderStorage } from './storage/open-storage';

export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** What the leader reaches the world through: the network, time and the wall clock. */
export interface LeaderDependencies {
  transport: ReplicationTransport;
  clock: Clock;
  /** Waits out an injected delay; the clock's own timer when absent. */
  delayTimer?: (callback: () => void, delayMs: number) => void;
  /** Runs a callback at the end of this event-loop turn (entries of one turn share a message); at once when absent. */
  defer?: (callback: () => void) => void;
  wallClockMs: () => number;
}

export function systemDependencies(config: Readonly<LeaderConfig>): LeaderDependencies {
  return {
    transport: new HttpReplicationTransport(config.FOLLOWERS, config.CLUSTER_TOKEN, 1024, config.BATCH_TRANSPORT),
    clock: systemClock,
    delayTimer: preciseDelay,
    defer: (callback) => void setImmediate(callback),
    wallClockMs: () => Date.now(),
  };
}

export function createLeader(
  config: Readonly<LeaderConfig>,
  logger: Logger,
  dependencies: LeaderDependencies = systemDependencies(config),
  storage: LeaderStorage = {},
) {
  const registry = createRegistry('leader');
  const metrics = leaderMetrics(registry, config.FOLLOWERS, logger);
  const coordinator = new ReplicationCoordinator({
    leaderId: config.LEADER_ID,
    clusterId: config.CLUSTER_ID ?? clusterIdFromToken(config.CLUSTER_TOKEN),
    recovering: true,
    ...(config.RECOVERY_QUORUM !== undefined && { recoveryQuorum: config.RECOVERY_QUORUM }),
    followerUrls: config.FOLLOWERS,
    replicationTimeoutMs: config.REPLICATION_TIMEOUT_MS,
    catchUpIntervalMs: config.CATCH_UP_INTERVAL_MS,
    maxCatchUpEntries: config.MAX_CATCH_UP_ENTRIES,
    maxInFlightWrites: config.MAX_IN_FLIGHT_WRITES,
    failFastAfterFailures: config.FAIL_FAST_AFTER_FAILURES,
    maxInFlightMessages: config.MAX_IN_FLIGHT_MESSAGES,
    maxLogEntries: config.MAX_LOG_ENTRIES,
    maxLogBytes: config.MAX_LOG_BYTES,
    maxStoreBytes: config.MAX_STORE_BYTES,
    maxCatchUpBytes: config.MAX_CATCH_UP_BYTES,
    sampler: new DelaySampler(parseDelayPlan(config.DELAY, config.FOLLOWERS.length), config.SEED),
    transport: dependencies.transport,
    clock: dependencies.clock,
    wallClockMs: dependencies.wallClockMs,
    ...(dependencies.delayTimer && { delayTimer: dependencies.delayTimer }),
    ...(dependencies.defer && { defer: dependencies.defer }),
    events: metrics.events,
    ...(storage.journal && { journal: storage.journal }),
    ...(storage.ownLog && { ownLog: storage.ownLog }),
  });
  metrics.watch(coordinator);
  const log = storage.log;
  if (log) diskLogMetrics(registry, () => log.stats());
  // `flushedAckMeans` is a follower's matter: the leader's view names its own storage only.
  const { flushedAckMeans: _followersOnly, ...storageView } = storageStatus(config);
  const app = buildLeaderApp({
    config,
    coordinator,
    registry,
    logger,
    storage: () => ({ ...storageView, log: storage.log?.stats() ?? null }),
  });
  return { app, coordinator, registry };
}
