/** Wires a leader from its configuration: the real clock, HTTP transport, metrics. */
import { performance } from 'node:perf_hooks';
import { DelaySampler, parseDelayPlan, type Clock } from '@quorum-kv/replication-protocol';
import { createRegistry, type Logger } from '@quorum-kv/http-edge';
import type { LeaderConfig } from './config';
import { buildLeaderApp } from './app';
import { leaderMetrics } from './leader-metrics';
import { HttpReplicationTransport } from './replication/http-transport';
import { ReplicationCoordinator } from './replication/replication-coordinator';
import { preciseDelay } from './replication/precise-delay';

export const systemClock: Clock = {
  now: () => performance.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

export function createLeader(config: Readonly<LeaderConfig>, logger: Logger) {
  const registry = createRegistry('leader');
  const metrics = leaderMetrics(registry, config.FOLLOWERS, logger);
  const coordinator = new ReplicationCoordinator({
    leaderId: config.LEADER_ID,
    followerUrls: config.FOLLOWERS,
    replicationTimeoutMs: config.REPLICATION_TIMEOUT_MS,
    catchUpIntervalMs: config.CATCH_UP_INTERVAL_MS,
    maxCatchUpEntries: config.MAX_CATCH_UP_ENTRIES,
    maxInFlightWrites: config.MAX_IN_FLIGHT_WRITES,
    maxLogEntries: config.MAX_LOG_ENTRIES,
    maxLogBytes: config.MAX_LOG_BYTES,
    maxStoreBytes: config.MAX_STORE_BYTES,
    maxCatchUpBytes: config.MAX_CATCH_UP_BYTES,
    sampler: new DelaySampler(parseDelayPlan(config.DELAY, config.FOLLOWERS.length), config.SEED),
    transport: new HttpReplicationTransport(config.FOLLOWERS, config.CLUSTER_TOKEN, 1024),
    clock: systemClock,
    delayTimer: preciseDelay,
    wallClockMs: () => Date.now(),
    events: metrics.events,
  });
  metrics.watch(coordinator);
  const app = buildLeaderApp({ config, coordinator, registry, logger });
  return { app, coordinator, registry };
}
