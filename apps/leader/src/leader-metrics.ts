/** The leader's Prometheus metrics, fed by the coordinator's events. */
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { QuorumOutcome } from '@quorum-kv/replication-protocol';
import type { Logger } from '@quorum-kv/http-edge';
import type { FollowerStatus } from '@quorum-kv/replication-protocol';
import type { ReplicationCoordinator } from './replication/replication-coordinator';
import type { ReplicationEvents } from './replication/replication-events';

const LATENCY_BUCKETS_S = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 5, 10];

export function leaderMetrics(registry: Registry, followerUrls: string[], logger: Logger) {
  const writeSeconds = new Histogram({
    name: 'quorumkv_write_duration_seconds',
    help: 'Time from a write arriving to its quorum outcome, by W and outcome',
    labelNames: ['w', 'outcome'],
    buckets: LATENCY_BUCKETS_S,
    registers: [registry],
  });
  const writeAcks = new Counter({
    name: 'quorumkv_write_acks_total',
    help: 'Follower acks counted by the time each write settled',
    registers: [registry],
  });
  const quorumTimeouts = new Counter({
    name: 'quorumkv_quorum_timeouts_total',
    help: 'Writes whose quorum was not met in time or became unreachable, by reason',
    labelNames: ['reason'],
    registers: [registry],
  });
  const rpcSeconds = new Histogram({
    name: 'quorumkv_replication_rpc_duration_seconds',
    help: 'Replication RPC round trip after the injected delay, by follower',
    labelNames: ['follower'],
    buckets: LATENCY_BUCKETS_S,
    registers: [registry],
  });
  const rpcErrors = new Counter({
    name: 'quorumkv_replication_rpc_errors_total',
    help: 'Failed replication RPCs, by follower',
    labelNames: ['follower'],
    registers: [registry],
  });
  const catchUps = new Counter({
    name: 'quorumkv_catch_up_batches_total',
    help: 'Catch-up batches sent, by follower',
    labelNames: ['follower'],
    registers: [registry],
  });
  const snapshots = new Counter({
    name: 'quorumkv_snapshots_sent_total',
    help: 'Snapshots sent to followers behind the trimmed log, by follower',
    labelNames: ['follower'],
    registers: [registry],
  });
  const trimmed = new Counter({
    name: 'quorumkv_log_trimmed_entries_total',
    help: 'Log entries trimmed (applied by every follower, or beyond MAX_LOG_ENTRIES or MAX_LOG_BYTES)',
    registers: [registry],
  });
  const label = (i: number) => followerUrls[i] ?? String(i);

  const events: ReplicationEvents = {
    writeSettled(w: number, outcome: QuorumOutcome) {
      writeSeconds.observe({ w: String(w), outcome: outcome.status }, outcome.elapsedMs / 1000);
      writeAcks.inc(outcome.ackCount);
      if (outcome.status !== 'met') quorumTimeouts.inc({ reason: outcome.status });
    },
    rpcSucceeded(follower: number, latencyMs: number) {
      rpcSeconds.observe({ follower: label(follower) }, latencyMs / 1000);
    },
    rpcFailed(follower: number, reason: string, firstFailure: boolean) {
      rpcErrors.inc({ follower: label(follower) });
      if (firstFailure)
        logger.warn({ follower: label(follower), reason }, 'replication to follower failing; will retry with backoff');
    },
    snapshotStarted(follower: number, keyCount: number) {
      snapshots.inc({ follower: label(follower) });
      logger.info({ follower: label(follower), keyCount }, 'follower is behind the trimmed log: sending a snapshot');
    },
    logTrimmed(entryCount: number) {
      trimmed.inc(entryCount);
    },
    catchUpStarted(follower: number, entryCount: number) {
      catchUps.inc({ follower: label(follower) });
      logger.debug({ follower: label(follower), entryCount }, 'catch-up batch');
    },
  };

  /** Gauges read from the coordinator when scraped. */
  function watch(coordinator: ReplicationCoordinator): void {
    new Gauge({
      name: 'quorumkv_leader_lsn',
      help: 'Highest LSN in the leader log',
      registers: [registry],
      collect() {
        this.set(coordinator.log.lastLsn);
      },
    });
    new Gauge({
      name: 'quorumkv_log_entries',
      help: 'Entries the leader log holds now (trimmed once every follower applied them)',
      registers: [registry],
      collect() {
        this.set(coordinator.log.length);
      },
    });
    new Gauge({
      name: 'quorumkv_log_bytes',
      help: 'Bytes (entries as JSON) the leader log holds now, bounded by MAX_LOG_BYTES',
      registers: [registry],
      collect() {
        this.set(coordinator.log.bytes);
      },
    });
    new Gauge({
      name: 'quorumkv_store_bytes',
      help: 'Bytes (entries as JSON) of the live keys, bounded by MAX_STORE_BYTES',
      registers: [registry],
      collect() {
        this.set(coordinator.state.bytes);
      },
    });
    new Gauge({
      name: 'quorumkv_writes_in_flight',
      help: 'Writes waiting for their quorum',
      registers: [registry],
      collect() {
        this.set(coordinator.inFlightWrites);
      },
    });
    const perFollower = (name: string, help: string, read: (f: FollowerStatus) => number) =>
      new Gauge({
        name,
        help,
        labelNames: ['follower'],
        registers: [registry],
        collect() {
          for (const f of coordinator.followerStatus()) this.set({ follower: f.url }, read(f));
        },
      });
    perFollower('quorumkv_replication_lag_entries', 'Entries the follower has not applied', (f) => f.lagEntries);
    perFollower('quorumkv_replication_lag_ms', 'Age of the oldest entry the follower has not applied', (f) => f.lagMs);
    perFollower('quorumkv_follower_acked_lsn', 'Highest LSN the follower reported applied', (f) => f.ackedLsn);
    perFollower(
      'quorumkv_follower_needs_snapshot',
      '1 while the follower lacks entries the log no longer holds (it will get a snapshot)',
      (f) => (f.needsSnapshot ? 1 : 0),
    );
    perFollower('quorumkv_follower_unreachable', '1 while the last replication RPC to the follower failed', (f) =>
      f.state === 'unreachable' ? 1 : 0,
    );
  }

  return { events, watch };
}
