/**
 * The leader's replication: every write is appended to the log, applied to the leader's state,
 * and sent to every follower at once, each RPC after its own injected delay. The write's
 * answer waits for W acks (a QuorumWait); the RPCs are never cancelled, and a follower that
 * misses entries (down, timed out, restarted empty) is brought up to date from the log by
 * catch-up batches, retried with backoff until it has everything. A follower whose log is of
 * another epoch gets a snapshot.
 *
 * A leader started with `startRecovery()` recovers first (see recovery-round.ts), then serves;
 * a follower that refuses it for a higher epoch fences it: it acknowledges nothing more.
 */
import {
  ApiError,
  defaultRecoveryQuorum,
  isFencedBy,
  mergeRecovery,
  nextEpoch,
  wOutsidePromise,
  type LeaderState,
  type RecoveryStatus,
  DEFAULT_LIMITS,
  jsonBytes,
  putBytes,
  DEFAULT_FAIL_FAST_AFTER_FAILURES,
  DEFAULT_OUTBOX_LIMITS,
  DelaySampler,
  FollowerOutbox,
  FollowerProgress,
  SequenceMap,
  PROTOCOL_VERSION,
  entryBytes,
  type CumulativeAck,
  type OutboxMessage,
  KvState,
  QuorumWait,
  ReplicationLog,
  type AckMode,
  type Clock,
  type Entry,
  type JsonValue,
  type QuorumOutcome,
  type ReplicateResponse,
  type FollowerStatus,
} from '@quorum-kv/replication-protocol';
import { FollowerRefusal, FollowerUnreachable, type ReplicationTransport } from './transport';
import type { ReplicationEvents } from './replication-events';
import { proposeRound, type RoundResult } from './recovery-round';
import type { EntryJournal, OwnLog } from './entry-journal';
import { SnapshotSender } from './snapshot-sender';

export const DEFAULT_HEARTBEAT_INTERVAL_MS = 1000;
/** What a shed write's Retry-After says. */
export const OVERLOAD_RETRY_AFTER_S = 1;

export type WriteOp = { op: 'put'; key: string; value: JsonValue } | { op: 'delete'; key: string };

/** First wait between recovery attempts; it doubles up to the max. */
const RECOVERY_RETRY_MS = { initialMs: 100, maxMs: 2000 };

export interface CoordinatorOptions {
  leaderId: string;
  /** Sent with every replication and recovery message; followers of another cluster refuse it. */
  clusterId?: string;
  /** R: promises a recovery needs (default a majority). */
  recoveryQuorum?: number;
  /** Start in state `recovering` (a real leader, until `startRecovery` has run); else serve at once at epoch 1. */
  recovering?: boolean;
  followerUrls: string[];
  replicationTimeoutMs: number;
  /** How often the catch-up check runs besides after every answer. */
  catchUpIntervalMs: number;
  /** A follower quiet this long is sent the last entry again, to notice a restart. */
  heartbeatIntervalMs?: number;
  /** Most entries the log keeps; beyond it the oldest go even if a follower lacks them. */
  maxLogEntries?: number;
  /** Most bytes the log keeps (entries as JSON); beyond it the oldest go, as for maxLogEntries. */
  maxLogBytes?: number;
  /** Most bytes of live keys; a put beyond it is refused (507 store_full) before it gets an LSN. */
  maxStoreBytes?: number;
  maxCatchUpEntries: number;
  /** Most bytes in one catch-up batch (one entry always goes, whatever its size). */
  maxCatchUpBytes?: number;
  /** Writes waiting for their quorum at once; beyond it new writes are shed: 429 `overloaded`. */
  maxInFlightWrites: number;
  /** Consecutive failed RPCs after which new writes count a follower as failed from their start. */
  failFastAfterFailures?: number;
  /** Most batch messages in flight to one follower (MAX_IN_FLIGHT_MESSAGES); ready entries wait for the next. */
  maxInFlightMessages?: number;
  sampler: DelaySampler;
  transport: ReplicationTransport;
  clock: Clock;
  /**
   * Runs a callback at the end of the current event-loop turn (setImmediate in the app), so
   * the entries of every write read in one turn leave in one message. Absent: at once.
   */
  defer?: (callback: () => void) => void;
  /** Runs the delayed send of each RPC; defaults to `clock.setTimeout`. */
  delayTimer?: (callback: () => void, delayMs: number) => void;
  /** Wall-clock milliseconds, stamped on entries (lag in ms is measured on the leader). */
  wallClockMs: () => number;
  events: ReplicationEvents;
  /** The leader's on-disk log (DATA_DIR): each entry is logged before its fan-out. */
  journal?: EntryJournal;
  /** What that log held at start: recovery counts it as one more responder's log. */
  ownLog?: OwnLog;
}

/** The leader's own log among the recovery's responders (shown as follower 0, `leader` in `adopted`). */
const OWN_LOG = -1;

export interface WriteResult {
  entry: Entry;
  w: number;
  ackMode: AckMode;
  outcome: QuorumOutcome;
  /** The injected delay drawn for each follower, index i for follower i + 1. */
  delaysMs: number[];
}

interface PendingWrite {
  lsn: number;
  ackMode: AckMode;
  /** Also ends the write with an error before its quorum settles, when the leader is fenced (`abort`). */
  wait: QuorumWait;
}

export class ReplicationCoordinator {
  readonly log = new ReplicationLog();
  readonly state = new KvState(true);
  readonly followers: FollowerProgress[];
  /** Per follower, the `received` entries waiting for their delay or for a slot in the window. */
  private readonly outboxes: FollowerOutbox<Entry>[];
  /** Per follower, whether a deferred flush is already due this turn. */
  private readonly flushDeferred: boolean[];
  /**
   * Per follower, the ready time its delay timer is armed for (null: none). One timer per
   * follower, at its outbox's earliest ready time, re-armed by every flush: not one per entry
   * (each precise timer spins its last ~1.5 ms, so one per entry and follower kept the leader
   * spinning whenever writes came faster than that).
   */
  private readonly armedAtMs: Array<number | null>;
  /** Per follower, bytes of the entries in its outbox (bounded by MAX_LOG_BYTES, as the log). */
  private readonly queuedBytes: number[];
  private readonly pending = new SequenceMap<PendingWrite>();
  private catchUpTimer: unknown;
  private stopped = false;
  private readonly delayTimer: (callback: () => void, delayMs: number) => void;
  private readonly maxLogEntries: number;
  private phase: LeaderState = 'serving';
  private fencedByEpoch: number | null = null;
  private recovery: RecoveryStatus | null = null;
  readonly clusterId: string;
  readonly recoveryQuorum: number;
  private readonly maxLogBytes: number;
  private readonly snapshots: SnapshotSender;
  /** Consecutive failed RPCs after which a follower counts as down (FAIL_FAST_AFTER_FAILURES). */
  private readonly failFastAfter: number;

  constructor(private readonly options: CoordinatorOptions) {
    this.maxLogEntries = options.maxLogEntries ?? DEFAULT_LIMITS.maxLogEntries;
    this.maxLogBytes = options.maxLogBytes ?? DEFAULT_LIMITS.maxLogBytes;
    this.clusterId = options.clusterId ?? 'cluster';
    if (options.recovering) this.phase = 'recovering';
    this.recoveryQuorum = options.recoveryQuorum ?? defaultRecoveryQuorum(options.followerUrls.length);
    this.delayTimer = options.delayTimer ?? ((callback, delayMs) => void options.clock.setTimeout(callback, delayMs));
    this.followers = options.followerUrls.map(() => new FollowerProgress());
    this.failFastAfter = options.failFastAfterFailures ?? DEFAULT_FAIL_FAST_AFTER_FAILURES;
    const outboxLimits = {
      maxInFlightMessages: options.maxInFlightMessages ?? DEFAULT_OUTBOX_LIMITS.maxInFlightMessages,
      maxEntriesPerMessage: options.maxCatchUpEntries,
      maxMessageBytes: options.maxCatchUpBytes ?? DEFAULT_LIMITS.maxCatchUpBytes,
    };
    this.outboxes = options.followerUrls.map(() => new FollowerOutbox<Entry>(outboxLimits));
    this.flushDeferred = options.followerUrls.map(() => false);
    this.armedAtMs = options.followerUrls.map(() => null);
    this.queuedBytes = options.followerUrls.map(() => 0);
    this.snapshots = new SnapshotSender({
      ...options,
      clusterId: this.clusterId,
      followerCount: this.followers.length,
      maxChunkBytes: options.maxCatchUpBytes ?? DEFAULT_LIMITS.maxCatchUpBytes,
      state: this.state,
      log: this.log,
    });
    this.scheduleCatchUpTick();
  }

  get followerCount(): number {
    return this.followers.length;
  }

  get inFlightWrites(): number {
    return this.pending.size;
  }

  get leaderState(): LeaderState {
    return this.phase;
  }

  get epoch(): number {
    return this.log.epoch;
  }

  get fencedBy(): number | null {
    return this.fencedByEpoch;
  }

  get recoveryStatus(): RecoveryStatus | null {
    return this.recovery;
  }

  /** W values this leader's R does not keep the promise for (W + R <= N). */
  get wOutsidePromise(): number[] {
    return wOutsidePromise(this.followerCount, this.recoveryQuorum);
  }

  /** Throws `recovering` or `fenced` unless the leader serves (reads and writes call it first). */
  assertServing(): void {
    if (this.phase === 'recovering') {
      throw new ApiError('recovering', 'the leader is recovering its log from the followers; retry shortly', {
        epoch: this.epoch,
      });
    }
    if (this.phase === 'fenced') {
      throw new ApiError(
        'fenced',
        `this leader (epoch ${this.epoch}) was superseded by epoch ${this.fencedByEpoch}: it takes no more writes`,
        { epoch: this.fencedByEpoch, ownEpoch: this.epoch },
      );
    }
  }

  /**
   * Recovers before serving: proposes an epoch to every follower until R promise the same one,
   * adopts the log they hold, then serves. Resolves once serving (or stopped).
   */
  async startRecovery(): Promise<void> {
    this.phase = 'recovering';
    // Its own log's epoch was promised by followers once: start above it.
    let highestSeen = (this.options.ownLog?.entries ?? []).reduce(
      (highest, e) => Math.max(highest, e.epoch),
      this.options.ownLog?.baseEpoch ?? 0,
    );
    for (let attempt = 1; !this.stopped; attempt++) {
      const epoch = nextEpoch(highestSeen);
      const round = await proposeRound(
        { transport: this.options.transport, followerCount: this.followerCount, recoveryQuorum: this.recoveryQuorum },
        { leaderId: this.options.leaderId, clusterId: this.clusterId, epoch },
        this.options.replicationTimeoutMs,
      );
      highestSeen = Math.max(epoch, round.highestRefusedEpoch);
      this.recovery = this.recoveryView(attempt, round, false);
      if (round.promised.size >= this.recoveryQuorum) return await this.adopt(epoch, attempt, round);
      this.options.events.recoveryAttempt({ attempt, epoch, recoveryQuorum: this.recoveryQuorum, round });
      const waitMs = Math.min(RECOVERY_RETRY_MS.maxMs, RECOVERY_RETRY_MS.initialMs * 2 ** (attempt - 1));
      await new Promise<void>((resolve) => this.options.clock.setTimeout(resolve, waitMs));
    }
  }

  async write(op: WriteOp, w: number, ackMode: AckMode): Promise<WriteResult> {
    this.assertServing();
    if (!Number.isInteger(w) || w < 1 || w > this.followerCount) {
      throw new ApiError('invalid_quorum', `w must be one integer from 1 to ${this.followerCount}`);
    }
    if (this.pending.size >= this.options.maxInFlightWrites) {
      // Shed load, definitely: nothing was written, the client retries after Retry-After.
      throw new ApiError(
        'overloaded',
        `${this.options.maxInFlightWrites} writes are already waiting for their quorum (MAX_IN_FLIGHT_WRITES); nothing was written, retry after ${OVERLOAD_RETRY_AFTER_S} s`,
        { maxInFlightWrites: this.options.maxInFlightWrites, retryAfterS: OVERLOAD_RETRY_AFTER_S },
      );
    }
    const valueBytes = op.op === 'put' ? this.checkStoreRoom(op.key, op.value) : 0;
    const { clock, replicationTimeoutMs } = this.options;
    const now = this.options.wallClockMs();
    const entry =
      op.op === 'put' ? this.log.appendPut(op.key, op.value, now, valueBytes) : this.log.appendDelete(op.key, now);
    this.state.apply(entry);
    if (this.log.length > this.maxLogEntries || this.log.bytes > this.maxLogBytes) this.trimLog();
    // With DATA_DIR: logged before any follower is asked (a full disk answers 507 here).
    const journaled = this.options.journal?.append(entry);
    this.options.journal?.maybeSnapshot(this.epoch, this.state);
    if (journaled) await journaled.written;
    const wait = new QuorumWait(w, this.followerCount, replicationTimeoutMs, clock);
    this.pending.set(entry.lsn, { lsn: entry.lsn, ackMode, wait });
    // Fail fast: a follower that is down (connection refused, or FAIL_FAST_AFTER_FAILURES
    // failures in a row) counts as failed for this write from the start, so a W it makes
    // unreachable is answered at once (indefinite: the write stays and is still sent to it; an
    // ack that comes after all is still counted). One slow RPC is not enough: overload degrades.
    // Acks are cumulative and counted once, when an answer newly covers an LSN; catch-up may have
    // carried this entry to a follower (and it applied it) while the entry was being logged here,
    // before this write waited: those followers have acked it already.
    this.followers.forEach((progress, i) => {
      if (progress.appliedLsn >= entry.lsn) wait.ack(i);
      else if (progress.isDown(this.failFastAfter)) wait.fail(i);
    });
    const delaysMs = this.followers.map((_, i) => this.options.sampler.next(i));
    this.fanOut(entry, ackMode, delaysMs);
    let outcome: QuorumOutcome;
    try {
      outcome = await wait.done; // rejects when the leader is fenced meanwhile (see fence)
      // And committed on the leader's own disk by its FSYNC mode (the fsync ran while followers were asked).
      if (journaled) await journaled.committed;
    } finally {
      this.pending.delete(entry.lsn);
    }
    this.options.events.writeSettled(w, outcome);
    return { entry, w, ackMode, outcome, delaysMs };
  }

  /** The value's size as JSON, once it is known to fit in MAX_STORE_BYTES; else `store_full`, before any LSN. */
  private checkStoreRoom(key: string, value: JsonValue): number {
    const valueBytes = jsonBytes(value);
    const maxStoreBytes = this.options.maxStoreBytes ?? DEFAULT_LIMITS.maxStoreBytes;
    const after = this.state.bytesAfterPut(key, putBytes(key, valueBytes));
    if (after > maxStoreBytes) {
      throw new ApiError(
        'store_full',
        `the store would hold ${after} bytes, over its bound of ${maxStoreBytes}; delete keys or write smaller values`,
        { maxStoreBytes, storeBytes: this.state.bytes },
      );
    }
    return valueBytes;
  }

  followerStatus(): FollowerStatus[] {
    const lastLsn = this.log.lastLsn;
    const now = this.options.wallClockMs();
    return this.followers.map((progress, i) => {
      // Behind the trimmed part, the oldest entry held gives a lower bound of the lag.
      const firstMissing = this.log.get(Math.max(progress.appliedLsn + 1, this.log.firstLsn));
      return {
        url: this.options.followerUrls[i] as string,
        progress: progress.progress,
        ackedLsn: progress.appliedLsn,
        lagEntries: lastLsn - progress.appliedLsn,
        lagMs: firstMissing ? Math.max(0, now - firstMissing.leaderTimeMs) : 0,
        state: progress.state(lastLsn),
        // It lacks entries the log no longer holds (trimmed by MAX_LOG_ENTRIES or MAX_LOG_BYTES, or
        // before this leader's epoch began), or its log is another epoch's.
        needsSnapshot:
          progress.progress === 'snapshot' ||
          (progress.appliedLsn < lastLsn && progress.appliedLsn + 1 < this.log.firstLsn),
        inFlight: progress.inFlightCount,
        consecutiveFailures: progress.consecutiveFailures,
        lastError: progress.lastError ?? null,
        ...this.snapshots.status(i),
      };
    });
  }

  /**
   * True when every follower has applied the whole log, and its log is this leader's: a
   * follower waiting for a snapshot (another epoch) is never drained, whatever LSN it reports.
   */
  isDrained(): boolean {
    return (
      this.phase === 'serving' &&
      this.followers.every((f) => f.progress !== 'snapshot' && f.appliedLsn >= this.log.lastLsn)
    );
  }

  stop(): void {
    this.stopped = true;
    if (this.catchUpTimer !== undefined) this.options.clock.clearTimeout(this.catchUpTimer);
    this.options.transport.close();
  }

  /**
   * Sends the entry to every follower after the delay drawn for it. `received` entries go
   * through the follower's outbox: out the moment their delay has elapsed, in one message with
   * every other entry ready then, at most `maxInFlightMessages` messages in flight. `applied`
   * entries keep a request each, outside the window: its answer waits for the apply, and a
   * wait held up by a gap must never hold back the message that fills the gap. `flushed`
   * entries keep a request each too, sent `flushed`: only such an answer says the follower's
   * fsync covers them.
   *
   * A follower that is down gets nothing here (catch-up brings it everything once it answers
   * again), and an outbox holds at most MAX_LOG_ENTRIES entries and MAX_LOG_BYTES bytes, as
   * the log does: beyond, catch-up takes over.
   */
  private fanOut(entry: Entry, ackMode: AckMode, delaysMs: number[]): void {
    const nowMs = this.options.clock.now();
    const bytes = ackMode === 'received' ? entryBytes(entry) : 0;
    delaysMs.forEach((delayMs, follower) => {
      const progress = this.followers[follower] as FollowerProgress;
      const outbox = this.outboxes[follower] as FollowerOutbox<Entry>;
      if (ackMode !== 'received') {
        progress.sent([entry.lsn]);
        if (delayMs <= 0) this.sendEntries(follower, [entry], ackMode);
        else this.delayTimer(() => this.sendEntries(follower, [entry], ackMode), delayMs);
        return;
      }
      const full =
        outbox.queuedCount >= this.maxLogEntries || (this.queuedBytes[follower] as number) >= this.maxLogBytes;
      if (full || progress.isDown(this.failFastAfter)) return;
      this.queuedBytes[follower] = (this.queuedBytes[follower] as number) + bytes;
      progress.sent([entry.lsn]);
      const readyAtMs = nowMs + Math.max(0, delayMs);
      outbox.enqueue({ lsn: entry.lsn, readyAtMs, bytes, entry });
      if (delayMs > 0) this.arm(follower);
      else if (!this.options.defer) this.flush(follower, readyAtMs);
      else if (!this.flushDeferred[follower]) {
        this.flushDeferred[follower] = true;
        this.options.defer(() => {
          this.flushDeferred[follower] = false;
          this.flush(follower, readyAtMs);
        });
      }
    });
  }

  /**
   * Sends, in as few messages as the window and bounds allow, every entry of the follower's
   * outbox ready at `dueMs` (the ready time of the entry whose timer fired: it is due, even if
   * the clock reads a hair earlier).
   */
  private flush(follower: number, dueMs = -Infinity): void {
    const outbox = this.outboxes[follower] as FollowerOutbox<Entry>;
    for (const message of outbox.take(Math.max(this.options.clock.now(), dueMs))) {
      this.queuedBytes[follower] = (this.queuedBytes[follower] as number) - message.bytes;
      this.sendMessage(follower, message);
    }
    this.arm(follower);
  }

  /**
   * Arms the follower's delay timer for its outbox's earliest ready time, unless one is armed
   * for that time or before (it flushes, and re-arms for what is left). Nothing to arm while the
   * window is full: the next answer flushes. A timer armed for a later time still fires (a
   * harmless flush); the new one fires first.
   */
  private arm(follower: number): void {
    const next = (this.outboxes[follower] as FollowerOutbox<Entry>).nextReadyAtMs();
    if (next === null || next === -Infinity) return;
    const armed = this.armedAtMs[follower] as number | null;
    if (armed !== null && armed <= next) return;
    this.armedAtMs[follower] = next;
    this.delayTimer(
      () => {
        if (this.armedAtMs[follower] === next) this.armedAtMs[follower] = null;
        this.flush(follower, next);
      },
      Math.max(0, next - this.options.clock.now()),
    );
  }

  /** What waits in a follower's outbox (not sent yet): entries and their bytes. */
  queuedFor(follower: number): { entries: number; bytes: number } {
    return { entries: this.outboxes[follower]?.queuedCount ?? 0, bytes: this.queuedBytes[follower] ?? 0 };
  }

  private sendMessage(follower: number, message: OutboxMessage<Entry>): void {
    const outbox = this.outboxes[follower] as FollowerOutbox<Entry>;
    const { transport, clock, replicationTimeoutMs, leaderId } = this.options;
    const lsns = message.lsns;
    const settle = () => {
      outbox.complete(message.id);
      this.flush(follower);
    };
    if (this.stopped || this.phase !== 'serving') {
      this.followers[follower]?.failed(lsns, `not sent: the leader is ${this.phase}`, clock.now());
      return settle();
    }
    const startedMs = clock.now();
    const request = {
      protocolVersion: PROTOCOL_VERSION,
      leaderId,
      clusterId: this.clusterId,
      epoch: this.log.epoch,
      ...this.log.prevOf(lsns[0] as number),
      ackMode: 'received' as const,
      entries: message.entries,
    };
    transport
      .sendBatch(follower, request, replicationTimeoutMs)
      .then(
        (response) => {
          this.options.events.rpcSucceeded(follower, clock.now() - startedMs);
          this.onAnswer(follower, lsns, response, { ack: response.ack, rpcAckMode: 'received' });
        },
        (error: unknown) => this.onFailure(follower, lsns, error),
      )
      .finally(() => {
        settle();
        this.catchUp(follower);
      });
  }

  private sendEntries(follower: number, entries: Entry[], ackMode: AckMode, onEnd?: () => void): void {
    const lsns = entries.map((e) => e.lsn);
    if (this.stopped || this.phase !== 'serving') {
      this.followers[follower]?.failed(lsns, `not sent: the leader is ${this.phase}`, this.options.clock.now());
      onEnd?.();
      return;
    }
    const { transport, clock, replicationTimeoutMs, leaderId } = this.options;
    const applyWaitMs = ackMode === 'applied' ? replicationTimeoutMs : undefined;
    const rpcTimeoutMs = replicationTimeoutMs + (applyWaitMs ?? 0);
    const startedMs = clock.now();
    const request = {
      leaderId,
      clusterId: this.clusterId,
      epoch: this.log.epoch,
      ...this.log.prevOf(Math.min(...lsns)),
      ackMode,
      entries,
      ...(applyWaitMs !== undefined && { applyWaitMs }),
    };
    transport
      .send(follower, request, rpcTimeoutMs)
      .then(
        (response) => {
          this.options.events.rpcSucceeded(follower, clock.now() - startedMs);
          this.onAnswer(follower, lsns, response, { rpcAckMode: ackMode });
        },
        (error: unknown) => this.onFailure(follower, lsns, error),
      )
      .finally(() => {
        onEnd?.();
        this.catchUp(follower);
      });
  }

  /**
   * A follower answered a message carrying `lsns` (none for a snapshot). Acks are cumulative:
   * every write up to the applied LSN it reports, plus the LSNs it stored beyond a gap (the batch
   * answer's `ack`, else this message's LSNs less the refused) for writes whose mode a stored
   * entry satisfies: `received` always, `flushed` only from an RPC sent `flushed` (`rpcAckMode`).
   * The cost is proportional to what the answer newly covers, never to the writes waiting.
   */
  private onAnswer(
    follower: number,
    lsns: number[],
    response: ReplicateResponse,
    how: { ack?: CumulativeAck; rpcAckMode?: AckMode; appliedBeforeLsn?: number } = {},
  ): void {
    const { ack, rpcAckMode, appliedBeforeLsn } = how;
    const progress = this.followers[follower] as FollowerProgress;
    const now = this.options.clock.now();
    if (this.phase === 'fenced') return progress.failed(lsns, 'fenced', now);
    // What a follower applied counts only when its log is this leader's: of this epoch (or empty).
    const matched = response.appliedLsn === 0 || response.appliedEpoch === this.log.epoch;
    const before = appliedBeforeLsn ?? progress.appliedLsn;
    progress.succeeded(lsns, matched ? response.appliedLsn : 0, response.followerId, now);
    if (!matched) {
      progress.needsSnapshot(
        `applied lsn ${response.appliedLsn} of epoch ${response.appliedEpoch}; this log is epoch ${this.log.epoch}`,
        now,
      );
    }
    this.trimLog();
    if (this.pending.size === 0) return;
    // Every LSN newly applied: acked whatever the write's mode.
    this.ackAppliedRange(follower, before, progress.appliedLsn);
    const refused = response.refusedLsns;
    const stored = ack ? (ack.beyondLsns ?? []) : lsns;
    const skip = ack || refused.length === 0 ? undefined : new Set(refused);
    for (const lsn of stored) {
      if (skip?.has(lsn)) continue;
      const write = this.pending.get(lsn);
      if (write && storedCounts(write.ackMode, rpcAckMode) && !write.wait.hasAcked(follower)) write.wait.ack(follower);
    }
    for (const lsn of refused) {
      const write = this.pending.get(lsn);
      if (write && !write.wait.hasAcked(follower)) write.wait.fail(follower);
    }
  }

  /** Acks every write waiting in (fromLsn, toLsn], walking the shorter of that range and the writes waiting. */
  private ackAppliedRange(follower: number, fromLsn: number, toLsn: number): void {
    if (toLsn <= fromLsn) return;
    const ack = (write: PendingWrite | undefined) => {
      if (write && !write.wait.hasAcked(follower)) write.wait.ack(follower);
    };
    if (toLsn - fromLsn <= this.pending.size) {
      for (let lsn = fromLsn + 1; lsn <= toLsn; lsn++) ack(this.pending.get(lsn));
    } else {
      for (const write of this.pending.values()) if (write.lsn > fromLsn && write.lsn <= toLsn) ack(write);
    }
  }

  private onFailure(follower: number, lsns: number[], error: unknown): void {
    const progress = this.followers[follower] as FollowerProgress;
    const now = this.options.clock.now();
    if (
      error instanceof FollowerRefusal &&
      error.code === 'stale_epoch' &&
      isFencedBy(this.epoch, error.promisedEpoch)
    ) {
      this.fence(error.promisedEpoch, follower);
    }
    // Another protocol version can never ack: it counts as down until it answers in ours.
    const down =
      error instanceof FollowerUnreachable ||
      (error instanceof FollowerRefusal && error.code === 'protocol_version_mismatch');
    if (error instanceof FollowerRefusal && error.code === 'log_mismatch') {
      // The follower answered: its log disagrees. It gets a snapshot; these entries are refused by it.
      progress.failed(lsns, error.message, now);
      progress.needsSnapshot(error.message, now);
    } else {
      const reason = error instanceof Error ? error.message : String(error);
      this.options.events.rpcFailed(follower, reason, progress.consecutiveFailures === 0);
      progress.failed(lsns, reason, now, down ? 'unreachable' : 'other');
    }
    for (const lsn of lsns) this.pending.get(lsn)?.wait.fail(follower);
  }

  /** A follower promised a higher epoch: a newer leader exists. Acknowledge nothing more. */
  private fence(newerEpoch: number, follower: number): void {
    if (this.phase === 'fenced') return;
    this.phase = 'fenced';
    this.fencedByEpoch = newerEpoch;
    for (const write of this.pending.values()) {
      write.wait.abort(
        new ApiError(
          'superseded',
          `a newer leader (epoch ${newerEpoch}) took over while this write waited for its quorum; it may or may not survive`,
          { lsn: write.lsn, epoch: this.epoch, newerEpoch },
        ),
      );
    }
    this.options.events.fenced(this.epoch, newerEpoch, follower);
  }

  /** The recovered log becomes this leader's; every follower gets it as a snapshot of the new epoch. */
  private async adopt(epoch: number, attempt: number, round: RoundResult): Promise<void> {
    const responses = [...round.promised].map(([follower, answer]) => ({ follower, log: answer.log }));
    if (this.options.ownLog) responses.push({ follower: OWN_LOG, log: this.options.ownLog });
    const merged = mergeRecovery(responses, epoch, this.options.wallClockMs());
    this.state.restore(merged.items, merged.baseLsn);
    for (const entry of merged.entries) this.state.apply(entry);
    this.log.startAt(merged.lastLsn, epoch);
    const now = this.options.clock.now();
    for (const progress of this.followers) progress.needsSnapshot(`epoch ${epoch}: gets the recovered state`, now);
    this.recovery = {
      ...this.recoveryView(attempt, round, true),
      baseFrom: merged.baseFrom === undefined ? null : merged.baseFrom + 1,
      baseLsn: merged.baseLsn,
      adopted: Object.fromEntries(
        [...merged.adopted].map(([follower, count]) => [follower === OWN_LOG ? 'leader' : String(follower + 1), count]),
      ),
      holesFilled: merged.holes.length,
      lastLsn: merged.lastLsn,
    };
    // With DATA_DIR the adopted state is on disk (a snapshot) before the first write of this epoch.
    await this.options.journal?.adopted(epoch, this.state);
    this.phase = 'serving';
    this.options.events.recovered(epoch, this.recovery);
    this.followers.forEach((_, i) => this.catchUp(i));
  }

  private recoveryView(attempt: number, round: RoundResult, done: boolean): RecoveryStatus {
    return {
      attempts: attempt,
      answered: [...round.promised.keys()].map((i) => i + 1).sort((a, b) => a - b),
      baseFrom: null,
      baseLsn: 0,
      adopted: {},
      holesFilled: 0,
      lastLsn: 0,
      refusedBy: round.refusedBy.map((i) => i + 1),
      done,
    };
  }

  /** Sends the follower what it lacks and no RPC in flight carries, if anything (not delayed: recovery traffic). */
  private catchUp(follower: number): void {
    const progress = this.followers[follower];
    if (this.stopped || !progress || this.phase !== 'serving') return;
    if (progress.snapshotDue(this.options.clock.now())) return this.sendSnapshot(follower, progress);
    const range = progress.catchUpRange(this.log.lastLsn, this.options.clock.now(), this.options.maxCatchUpEntries);
    if (!range) return;
    if (range.fromLsn < this.log.firstLsn) return this.sendSnapshot(follower, progress);
    const maxBytes = this.options.maxCatchUpBytes ?? DEFAULT_LIMITS.maxCatchUpBytes;
    const entries = this.log.range(range.fromLsn, range.toLsn, maxBytes);
    progress.catchUpStarted({ fromLsn: range.fromLsn, toLsn: range.fromLsn + entries.length - 1 });
    this.options.events.catchUpStarted(follower, entries.length);
    // `flushed`, so a catch-up's answer counts for `flushed` writes too (one group-committed fsync on the follower).
    this.sendEntries(follower, entries, 'flushed', () => progress.catchUpEnded());
  }

  /**
   * The follower lacks entries already trimmed: it gets the leader's whole state instead, one
   * chunk per call (snapshot-sender.ts); each answer brings the next.
   */
  private sendSnapshot(follower: number, progress: FollowerProgress): void {
    progress.snapshotStarted();
    this.snapshots
      .sendNext(follower)
      .then(
        (step) => {
          const now = this.options.clock.now();
          if (step.kind === 'failed') return this.onFailure(follower, [], step.error);
          if (this.phase !== 'serving') return;
          if (step.kind === 'chunk-acked') return progress.snapshotChunkAcked(now);
          if (step.kind === 'not-installed') return progress.failed([], step.reason, now);
          // Installed (or already held): from here on its log is this leader's.
          const appliedBeforeLsn = progress.appliedLsn;
          progress.snapshotInstalled(step.response.appliedLsn, step.response.followerId, now);
          this.onAnswer(follower, [], step.response, { appliedBeforeLsn });
        },
        (error: unknown) => this.onFailure(follower, [], error),
      )
      .finally(() => {
        progress.catchUpEnded();
        this.catchUp(follower);
      });
  }

  /**
   * Drops the entries every follower has applied; and when the log is over its bound, the
   * oldest ones regardless (a follower that still needs them will get a snapshot).
   */
  private trimLog(): void {
    let through = Math.min(...this.followers.map((f) => f.appliedLsn));
    if (this.log.length > this.maxLogEntries) through = Math.max(through, this.log.lastLsn - this.maxLogEntries);
    let dropped = this.log.trimThrough(through);
    if (this.log.bytes > this.maxLogBytes) dropped += this.log.trimToBytes(this.maxLogBytes);
    if (dropped > 0) this.options.events.logTrimmed(dropped);
  }

  private heartbeat(follower: number): void {
    const progress = this.followers[follower];
    const last = this.log.get(this.log.lastLsn);
    const intervalMs = this.options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS;
    if (this.phase !== 'serving') return;
    if (this.stopped || !progress || !last || !progress.heartbeatDue(this.options.clock.now(), intervalMs)) return;
    progress.sent([last.lsn]);
    this.sendEntries(follower, [last], 'received');
  }

  private scheduleCatchUpTick(): void {
    if (this.stopped) return;
    this.catchUpTimer = this.options.clock.setTimeout(() => {
      this.followers.forEach((_, i) => {
        this.catchUp(i);
        this.heartbeat(i);
      });
      this.scheduleCatchUpTick();
    }, this.options.catchUpIntervalMs);
  }
}

/**
 * Whether a follower's "stored" answer to an RPC sent in `rpcAckMode` acks a write of `writeAckMode`:
 * a `received` write takes any answer, a `flushed` one only an answer given after an fsync.
 * (`applied` writes count the follower's applied LSN instead.)
 */
export function storedCounts(writeAckMode: AckMode, rpcAckMode: AckMode | undefined): boolean {
  if (writeAckMode === 'received') return true;
  return writeAckMode === 'flushed' && rpcAckMode === 'flushed';
}
