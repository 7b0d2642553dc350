/**
 * The leader's replication: every write is appended to the log, applied to the leader's state,
 * and sent to every follower at once, each RPC after its own injected delay. The write's
 * answer waits for W acks (a QuorumWait); the RPCs are never cancelled, and a follower that
 * misses entries (down, timed out, restarted empty) is brought up to date from the log by
 * catch-up batches, retried with backoff until it has everything.
 */
import {
  ApiError,
  DEFAULT_LIMITS,
  jsonBytes,
  putBytes,
  DelaySampler,
  FollowerProgress,
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
import type { ReplicationTransport } from './transport';
import type { ReplicationEvents } from './replication-events';

export const DEFAULT_HEARTBEAT_INTERVAL_MS = 1000;

export type WriteOp = { op: 'put'; key: string; value: JsonValue } | { op: 'delete'; key: string };

export interface CoordinatorOptions {
  leaderId: string;
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
  /** Writes waiting for their quorum at once; beyond it new writes are refused with 429. */
  maxInFlightWrites: number;
  sampler: DelaySampler;
  transport: ReplicationTransport;
  clock: Clock;
  /** Runs the delayed send of each RPC; defaults to `clock.setTimeout`. */
  delayTimer?: (callback: () => void, delayMs: number) => void;
  /** Wall-clock milliseconds, stamped on entries (lag in ms is measured on the leader). */
  wallClockMs: () => number;
  events: ReplicationEvents;
}

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
  wait: QuorumWait;
}

export class ReplicationCoordinator {
  readonly log = new ReplicationLog();
  readonly state = new KvState(true);
  readonly followers: FollowerProgress[];
  private readonly pending = new Map<number, PendingWrite>();
  private catchUpTimer: unknown;
  private stopped = false;
  private readonly delayTimer: (callback: () => void, delayMs: number) => void;
  private readonly maxLogEntries: number;
  private readonly maxLogBytes: number;

  constructor(private readonly options: CoordinatorOptions) {
    this.maxLogEntries = options.maxLogEntries ?? DEFAULT_LIMITS.maxLogEntries;
    this.maxLogBytes = options.maxLogBytes ?? DEFAULT_LIMITS.maxLogBytes;
    this.delayTimer = options.delayTimer ?? ((callback, delayMs) => void options.clock.setTimeout(callback, delayMs));
    this.followers = options.followerUrls.map(() => new FollowerProgress());
    this.scheduleCatchUpTick();
  }

  get followerCount(): number {
    return this.followers.length;
  }

  get inFlightWrites(): number {
    return this.pending.size;
  }

  async write(op: WriteOp, w: number, ackMode: AckMode): Promise<WriteResult> {
    if (!Number.isInteger(w) || w < 1 || w > this.followerCount) {
      throw new ApiError('invalid_quorum', `w must be one integer from 1 to ${this.followerCount}`);
    }
    if (this.pending.size >= this.options.maxInFlightWrites) {
      throw new ApiError(
        'too_many_writes',
        `more than ${this.options.maxInFlightWrites} writes are waiting for their quorum; retry later`,
        {
          maxInFlightWrites: this.options.maxInFlightWrites,
        },
      );
    }
    const valueBytes = op.op === 'put' ? this.checkStoreRoom(op.key, op.value) : 0;
    const { clock, replicationTimeoutMs } = this.options;
    const now = this.options.wallClockMs();
    const entry =
      op.op === 'put' ? this.log.appendPut(op.key, op.value, now, valueBytes) : this.log.appendDelete(op.key, now);
    this.state.apply(entry);
    if (this.log.length > this.maxLogEntries || this.log.bytes > this.maxLogBytes) this.trimLog();
    const wait = new QuorumWait(w, this.followerCount, replicationTimeoutMs, clock);
    this.pending.set(entry.lsn, { lsn: entry.lsn, ackMode, wait });
    // Fail fast: a follower whose last RPC failed counts as failed for this write from the
    // start, so a W it makes unreachable is answered at once (indefinite: the write stays and
    // is still sent to it; an ack that comes after all is still counted).
    this.followers.forEach((progress, i) => {
      if (progress.consecutiveFailures > 0) wait.fail(i);
    });
    const delaysMs = this.followers.map((_, i) => this.options.sampler.next(i));
    delaysMs.forEach((delayMs, follower) => {
      this.followers[follower]?.sent([entry.lsn]);
      if (delayMs <= 0) this.sendEntries(follower, [entry], ackMode);
      else this.delayTimer(() => this.sendEntries(follower, [entry], ackMode), delayMs);
    });
    const outcome = await wait.done;
    this.pending.delete(entry.lsn);
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
        ackedLsn: progress.appliedLsn,
        lagEntries: lastLsn - progress.appliedLsn,
        lagMs: firstMissing ? Math.max(0, now - firstMissing.leaderTimeMs) : 0,
        state: progress.state(lastLsn),
        // It lacks entries the log no longer holds (trimmed by MAX_LOG_ENTRIES or MAX_LOG_BYTES).
        needsSnapshot: progress.appliedLsn < lastLsn && progress.appliedLsn + 1 < this.log.firstLsn,
        inFlight: progress.inFlightCount,
        consecutiveFailures: progress.consecutiveFailures,
        lastError: progress.lastError ?? null,
      };
    });
  }

  /** True when every follower has applied the whole log. */
  isDrained(): boolean {
    return this.followers.every((f) => f.appliedLsn >= this.log.lastLsn);
  }

  stop(): void {
    this.stopped = true;
    if (this.catchUpTimer !== undefined) this.options.clock.clearTimeout(this.catchUpTimer);
    this.options.transport.close();
  }

  private sendEntries(follower: number, entries: Entry[], ackMode: AckMode, onEnd?: () => void): void {
    if (this.stopped) return;
    const { transport, clock, replicationTimeoutMs, leaderId } = this.options;
    const lsns = entries.map((e) => e.lsn);
    const applyWaitMs = ackMode === 'applied' ? replicationTimeoutMs : undefined;
    const rpcTimeoutMs = replicationTimeoutMs + (applyWaitMs ?? 0);
    const startedMs = clock.now();
    transport
      .send(follower, { leaderId, ackMode, entries, ...(applyWaitMs !== undefined && { applyWaitMs }) }, rpcTimeoutMs)
      .then(
        (response) => {
          this.options.events.rpcSucceeded(follower, clock.now() - startedMs);
          this.onAnswer(follower, lsns, response);
        },
        (error: unknown) => this.onFailure(follower, lsns, error instanceof Error ? error.message : String(error)),
      )
      .finally(() => {
        onEnd?.();
        this.catchUp(follower);
      });
  }

  private onAnswer(follower: number, lsns: number[], response: ReplicateResponse): void {
    const progress = this.followers[follower] as FollowerProgress;
    if (response.appliedLsn > this.log.lastLsn) {
      // A follower ahead of this leader's log holds another history (another leader wrote to
      // it): its acks mean nothing here.
      this.onFailure(
        follower,
        lsns,
        `follower reports applied LSN ${response.appliedLsn}, beyond this leader's ${this.log.lastLsn}`,
      );
      return;
    }
    progress.succeeded(lsns, response.appliedLsn, response.followerId, this.options.clock.now());
    this.trimLog();
    const refused = new Set(response.refusedLsns);
    const stored = new Set(lsns.filter((lsn) => !refused.has(lsn)));
    for (const write of this.pending.values()) {
      if (write.wait.hasAcked(follower)) continue;
      const acked = write.lsn <= response.appliedLsn || (write.ackMode === 'received' && stored.has(write.lsn));
      if (acked) write.wait.ack(follower);
      else if (refused.has(write.lsn)) write.wait.fail(follower);
    }
  }

  private onFailure(follower: number, lsns: number[], reason: string): void {
    this.options.events.rpcFailed(follower, reason, this.followers[follower]?.consecutiveFailures === 0);
    this.followers[follower]?.failed(lsns, reason, this.options.clock.now());
    for (const lsn of lsns) this.pending.get(lsn)?.wait.fail(follower);
  }

  /** Sends the follower what it lacks and no RPC in flight carries, if anything (not delayed: recovery traffic). */
  private catchUp(follower: number): void {
    const progress = this.followers[follower];
    if (this.stopped || !progress) return;
    const range = progress.catchUpRange(this.log.lastLsn, this.options.clock.now(), this.options.maxCatchUpEntries);
    if (!range) return;
    if (range.fromLsn < this.log.firstLsn) return this.sendSnapshot(follower, progress);
    const maxBytes = this.options.maxCatchUpBytes ?? DEFAULT_LIMITS.maxCatchUpBytes;
    const entries = this.log.range(range.fromLsn, range.toLsn, maxBytes);
    progress.catchUpStarted({ fromLsn: range.fromLsn, toLsn: range.fromLsn + entries.length - 1 });
    this.options.events.catchUpStarted(follower, entries.length);
    this.sendEntries(follower, entries, 'received', () => progress.catchUpEnded());
  }

  /** The follower lacks entries already trimmed: it gets the leader's whole state instead. */
  private sendSnapshot(follower: number, progress: FollowerProgress): void {
    const { transport, replicationTimeoutMs, leaderId, events } = this.options;
    progress.snapshotStarted();
    const items = this.state.export();
    events.snapshotStarted(follower, items.length);
    transport
      .sendSnapshot(follower, { leaderId, lsn: this.state.appliedLsn, items }, replicationTimeoutMs)
      .then(
        (response) => this.onAnswer(follower, [], response),
        (error: unknown) => this.onFailure(follower, [], error instanceof Error ? error.message : String(error)),
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
