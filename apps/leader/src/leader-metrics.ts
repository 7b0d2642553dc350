/**
 * The leader's Prometheus metrics, fed by the coordinator's events. What is observed on every
 * write and every RPC allocates nothing: the histograms are indexed (label sets made once) and
 * the acks counter is a plain number, read when scraped.
 */
import { Counter, Gauge, type Registry } from 'prom-client';
import { LEADER_STATES, type QuorumOutcome, type RecoveryStatus } from '@quorum-kv/replication-protocol';
import { scrapedMetrics, type Logger } from '@quorum-kv/http-edge';
import type { FollowerStatus } from '@quorum-kv/replication-protocol';
import type { ReplicationCoordinator } from './replication/replication-coordinator';
import type { RecoveryAttempt, ReplicationEvents } from './replication/replication-events';
import { IndexedHistogram } from './indexed-histogram';

const LATENCY_BUCKETS_S = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 5, 10];
const OUTCOMES: ReadonlyArray<QuorumOutcome['status']> = ['met', 'timeout', 'unreachable'];

/** Index of (W, outcome) among the write histogram's label sets: W-major, outcomes in OUTCOMES order. */
function writeIndex(w: number, status: QuorumOutcome['status']): number {
  return (w - 1) * OUTCOMES.length + OUTCOMES.indexOf(status);
}

/** A counter without labels kept as a plain number; the registry reads it when scraped. */
function plainCounter(registry: Registry, name: string, help: string): { add(n: number): void } {
  let total = 0;
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      this.reset();
      this.inc(total);
    },
  });
  return {
    add(n: number) {
      total += n;
    },
  };
}

type LeaderEvents = Pick<ReplicationEvents, 'writeSettled'>;

export function leaderMetrics(registry: Registry, followerUrls: string[], logger: Logger) {
  const label = (i: number) => followerUrls[i] ?? String(i);
  const trimmed = new Counter({
    name: 'quorumkv_log_trimmed_entries_total',
    help: 'Log entries trimmed (applied by every follower, or beyond MAX_LOG_ENTRIES or MAX_LOG_BYTES)',
    registers: [registry],
  });
  const events: ReplicationEvents = {
    ...writeMetrics(registry, followerUrls),
    ...followerMetrics(registry, followerUrls, logger, label),
    ...snapshotMetrics(registry, followerUrls, logger, label),
    logTrimmed(entryCount: number) {
      trimmed.inc(entryCount);
    },
    ...leadershipLog(logger, label),
  };
  const watch = (coordinator: ReplicationCoordinator): void => {
    leaderGauges(registry, coordinator);
    followerGauges(registry, coordinator);
  };
  return { events, watch };
}

/** Per write: its latency by W and outcome, the acks it counted, the quorums missed. */
function writeMetrics(registry: Registry, followerUrls: string[]): LeaderEvents {
  const writeSeconds = new IndexedHistogram(
    'quorumkv_write_duration_seconds',
    'Time from a write arriving to its quorum outcome, by W and outcome',
    LATENCY_BUCKETS_S,
    followerUrls.flatMap((_, i) => OUTCOMES.map((outcome) => ({ w: String(i + 1), outcome }))),
  ).register(registry);
  const writeAcks = plainCounter(
    registry,
    'quorumkv_write_acks_total',
    'Follower acks counted by the time each write settled',
  );
  // A timeout and an unreachable quorum are different alarms: the first says followers are slow,
  // the second that too many are known to be down. One counter each, so neither hides the other.
  const quorumTimeouts = new Counter({
    name: 'quorumkv_quorum_timeouts_total',
    help: 'Writes whose quorum was not met within REPLICATION_TIMEOUT_MS (unreachable ones not included)',
    registers: [registry],
  });
  const quorumUnreachable = new Counter({
    name: 'quorumkv_quorum_unreachable_total',
    help: 'Writes refused at once because too many followers were failing for W to be met',
    registers: [registry],
  });
  return {
    writeSettled(w: number, outcome: QuorumOutcome) {
      writeSeconds.observe(writeIndex(w, outcome.status), outcome.elapsedMs / 1000);
      writeAcks.add(outcome.ackCount);
      if (outcome.status === 'timeout') quorumTimeouts.inc();
      if (outcome.status === 'unreachable') quorumUnreachable.inc();
    },
  };
}

/** A counter by follower with every follower's label set at zero from the first scrape. */
function followerCounter(registry: Registry, followerUrls: string[], name: string, help: string) {
  const counter = new Counter({ name, help, labelNames: ['follower'], registers: [registry] });
  // Every label set a dashboard or alert reads exists from the first scrape, at zero: rate() over
  // a series that appears at its first increment misses that increment, and absent() can't tell
  // "none yet" from "not scraped". (The indexed histograms print every set at zero by themselves.)
  followerUrls.forEach((_url, i) => counter.inc({ follower: followerUrls[i] ?? String(i) }, 0));
  return counter;
}

/** Per follower: RPC latency and errors, catch-up batches. */
function followerMetrics(
  registry: Registry,
  followerUrls: string[],
  logger: Logger,
  label: (i: number) => string,
): Pick<ReplicationEvents, 'rpcSucceeded' | 'rpcFailed' | 'catchUpStarted'> {
  const rpcSeconds = new IndexedHistogram(
    'quorumkv_replication_rpc_duration_seconds',
    'Replication RPC round trip after the injected delay, by follower',
    LATENCY_BUCKETS_S,
    followerUrls.map((url) => ({ follower: url })),
  ).register(registry);
  const rpcErrors = followerCounter(
    registry,
    followerUrls,
    'quorumkv_replication_rpc_errors_total',
    'Failed replication RPCs, by follower',
  );
  const catchUps = followerCounter(
    registry,
    followerUrls,
    'quorumkv_catch_up_batches_total',
    'Catch-up batches sent, by follower',
  );
  return {
    rpcSucceeded(follower: number, latencyMs: number) {
      rpcSeconds.observe(follower, latencyMs / 1000);
    },
    rpcFailed(follower: number, reason: string, firstFailure: boolean) {
      rpcErrors.inc({ follower: label(follower) });
      if (firstFailure)
        logger.warn({ follower: label(follower), reason }, 'replication to follower failing; will retry with backoff');
    },
    catchUpStarted(follower: number, entryCount: number) {
      catchUps.inc({ follower: label(follower) });
      logger.debug({ follower: label(follower), entryCount }, 'catch-up batch');
    },
  };
}

/** Per follower: snapshots started and started again (each logged). */
function snapshotMetrics(
  registry: Registry,
  followerUrls: string[],
  logger: Logger,
  label: (i: number) => string,
): Pick<ReplicationEvents, 'snapshotStarted' | 'snapshotRestarted'> {
  const snapshots = followerCounter(
    registry,
    followerUrls,
    'quorumkv_snapshots_sent_total',
    'Snapshots sent to followers behind the trimmed log, by follower',
  );
  const snapshotRestarts = followerCounter(
    registry,
    followerUrls,
    'quorumkv_snapshot_restarts_total',
    'Snapshots started again (the follower lost its chunks, or the log was trimmed past the snapshot), by follower',
  );
  return {
    snapshotStarted(follower: number, keyCount: number) {
      snapshots.inc({ follower: label(follower) });
      logger.info(
        { follower: label(follower), keyCount },
        'follower is behind the trimmed log or of another epoch: sending a snapshot',
      );
    },
    snapshotRestarted(follower: number, reason: string) {
      snapshotRestarts.inc({ follower: label(follower) });
      logger.warn({ follower: label(follower), reason }, 'snapshot to follower starts again');
    },
  };
}

/** Recovery and fencing: logged, not counted (rare, and each one matters). */
function leadershipLog(
  logger: Logger,
  label: (i: number) => string,
): Pick<ReplicationEvents, 'recoveryAttempt' | 'recovered' | 'fenced'> {
  return {
    recoveryAttempt({ attempt, epoch, recoveryQuorum, round }: RecoveryAttempt) {
      logger.warn(
        {
          attempt,
          epoch,
          recoveryQuorum,
          promised: [...round.promised.keys()].map(label),
          refusedBy: round.refusedBy.map(label),
          highestRefusedEpoch: round.highestRefusedEpoch,
          unreachable: Object.fromEntries([...round.failed].map(([i, why]) => [label(i), why])),
        },
        `recovery: ${round.promised.size} of ${recoveryQuorum} promises for epoch ${epoch}; retrying with a higher epoch`,
      );
    },
    recovered(epoch: number, status: RecoveryStatus) {
      logger.info({ epoch, ...status }, 'recovered: serving');
    },
    fenced(ownEpoch: number, newerEpoch: number, follower: number) {
      logger.warn(
        { ownEpoch, newerEpoch, follower: label(follower) },
        'fenced: a follower promised a newer epoch; this leader acknowledges nothing more',
      );
    },
  };
}

/** The leader's own gauges, read from the coordinator when scraped. */
function leaderGauges(registry: Registry, coordinator: ReplicationCoordinator): void {
  scrapedMetrics(registry, () => coordinator, [
    { gauge: 'quorumkv_leader_lsn', help: 'Highest LSN in the leader log', read: (c) => c.log.lastLsn },
    {
      gauge: 'quorumkv_epoch',
      help: 'The leader epoch (0 until its first recovery attempt settles)',
      read: (c) => (c.leaderState === 'recovering' ? 0 : c.epoch),
    },
    {
      gauge: 'quorumkv_log_entries',
      help: 'Entries the leader log holds now (trimmed once every follower applied them)',
      read: (c) => c.log.length,
    },
    {
      gauge: 'quorumkv_log_bytes',
      help: 'Bytes (entries as JSON) the leader log holds now, bounded by MAX_LOG_BYTES',
      read: (c) => c.log.bytes,
    },
    {
      gauge: 'quorumkv_store_bytes',
      help: 'Bytes (entries as JSON) of the live keys, bounded by MAX_STORE_BYTES',
      read: (c) => c.state.bytes,
    },
    { gauge: 'quorumkv_writes_in_flight', help: 'Writes waiting for their quorum', read: (c) => c.inFlightWrites },
  ]);
  new Gauge({
    name: 'quorumkv_leader_state',
    help: '1 for the state the leader is in (recovering, serving, fenced)',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      for (const state of LEADER_STATES) this.set({ state }, coordinator.leaderState === state ? 1 : 0);
    },
  });
}

/** Per follower gauges, read from the coordinator's follower status when scraped. */
function followerGauges(registry: Registry, coordinator: ReplicationCoordinator): void {
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
  perFollower(
    'quorumkv_replication_lag_seconds',
    'Age of the oldest entry the follower has not applied',
    (f) => f.lagMs / 1000,
  );
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
