/**
 * What the leader knows of one follower, and the decisions that follow from it: which entries
 * the follower still lacks that no RPC in flight will bring (catch-up), and when to try again
 * after failures (bounded exponential backoff). Pure: time comes in as `nowMs`.
 */
import { SequenceMap } from './sequence-map';

export type FollowerState = 'streaming' | 'catching-up' | 'unreachable';

/**
 * The leader's tracker state of one follower, as etcd raft's `tracker.StateType`:
 * - `replicate`: its log matches the leader's; entries stream to it as they are written.
 * - `probe`: its last RPC failed; the leader learns where it stands from the next answer
 *   (catch-up and heartbeats, one at a time, with backoff) before trusting it again.
 * - `snapshot`: its log disagrees with the leader's (another epoch), or lacks entries already
 *   trimmed; it gets the leader's whole state next, and nothing it reports counts as applied
 *   until it has.
 * `/status` shows it as `progress`, beside the `state` a person reads (streaming, ...).
 */
export type ProgressState = 'probe' | 'replicate' | 'snapshot';

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: Readonly<BackoffPolicy> = Object.freeze({ initialMs: 50, maxMs: 1000 });

/** Consecutive failures after which a follower counts as down for new writes (FAIL_FAST_AFTER_FAILURES). */
export const DEFAULT_FAIL_FAST_AFTER_FAILURES = 3;

/**
 * How an RPC failed: `unreachable` when nothing listens there (connection refused), so the
 * follower is down for sure; `other` for a timeout, an error status or a reset, which a busy
 * but alive follower also produces.
 */
export type FailureKind = 'unreachable' | 'other';

export interface CatchUpRange {
  fromLsn: number;
  toLsn: number;
}

export class FollowerProgress {
  /** Highest LSN the follower reported as applied (all before it applied too). */
  appliedLsn = 0;
  /** The follower's instance id; a new one means it restarted and its report starts over. */
  instanceId: string | undefined;
  consecutiveFailures = 0;
  progress: ProgressState = 'replicate';
  lastContactMs: number | undefined;
  lastError: string | undefined;
  /** The last failure was a refused connection (cleared by the next success). */
  private lastFailureUnreachable = false;
  private readonly inFlight = new SequenceMap<number>(); // lsn -> RPCs carrying it
  private catchUpInFlight = false;
  private nextAttemptMs = 0;

  constructor(private readonly backoff: BackoffPolicy = DEFAULT_BACKOFF) {}

  get isCatchingUp(): boolean {
    return this.catchUpInFlight;
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** An RPC carrying these entries is scheduled or sent. */
  sent(lsns: readonly number[]): void {
    for (const lsn of lsns) this.inFlight.set(lsn, (this.inFlight.get(lsn) ?? 0) + 1);
  }

  /** The follower answered an RPC carrying `lsns`. */
  succeeded(lsns: readonly number[], appliedLsn: number, instanceId: string, nowMs: number): void {
    this.settle(lsns);
    if (instanceId !== this.instanceId) {
      this.instanceId = instanceId;
      this.appliedLsn = appliedLsn; // a restarted follower may have gone back: believe it
    } else if (appliedLsn > this.appliedLsn) {
      this.appliedLsn = appliedLsn;
    }
    this.consecutiveFailures = 0;
    this.lastFailureUnreachable = false;
    this.lastError = undefined;
    this.lastContactMs = nowMs;
    this.nextAttemptMs = nowMs;
    if (this.progress === 'probe') this.progress = 'replicate';
  }

  /**
   * The follower's log is not the leader's (another epoch at an LSN both hold): nothing it
   * reports counts until it has installed a snapshot. `reason` shows in `/status`.
   */
  needsSnapshot(reason: string, nowMs: number): void {
    this.progress = 'snapshot';
    this.appliedLsn = 0;
    this.lastError = reason;
    this.lastContactMs = nowMs;
    this.consecutiveFailures = 0;
    this.lastFailureUnreachable = false;
    this.nextAttemptMs = nowMs;
  }

  /** A snapshot was installed: the follower's log is the leader's up to `appliedLsn`. */
  snapshotInstalled(appliedLsn: number, instanceId: string, nowMs: number): void {
    this.progress = 'replicate';
    this.instanceId = instanceId;
    this.appliedLsn = appliedLsn;
    this.succeeded([], appliedLsn, instanceId, nowMs);
  }

  /** The follower took a chunk of its snapshot (not the last): it is reachable, the snapshot goes on. */
  snapshotChunkAcked(nowMs: number): void {
    this.consecutiveFailures = 0;
    this.lastFailureUnreachable = false;
    this.lastError = undefined;
    this.lastContactMs = nowMs;
    this.nextAttemptMs = nowMs;
  }

  /** An RPC carrying `lsns` failed (refused, timed out, error status). */
  failed(lsns: readonly number[], reason: string, nowMs: number, kind: FailureKind = 'other'): void {
    this.settle(lsns);
    this.consecutiveFailures += 1;
    this.lastFailureUnreachable = kind === 'unreachable';
    this.lastError = reason;
    if (this.progress === 'replicate') this.progress = 'probe';
    const waitMs = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** (this.consecutiveFailures - 1));
    this.nextAttemptMs = nowMs + waitMs;
  }

  /**
   * Whether new writes count this follower as failed from their start (fail fast): only when
   * it is really down, i.e. its last connection was refused, or its last
   * `failFastAfterFailures` RPCs all failed. One slow RPC on a busy machine is not enough: it
   * would turn overload into failed writes.
   */
  isDown(failFastAfterFailures: number = DEFAULT_FAIL_FAST_AFTER_FAILURES): boolean {
    return this.lastFailureUnreachable || this.consecutiveFailures >= failFastAfterFailures;
  }

  /**
   * The entries to send now as one catch-up batch, or null: only when no catch-up is in
   * flight, the backoff has passed, and the follower lacks entries that no RPC in flight carries.
   */
  catchUpRange(leaderLsn: number, nowMs: number, maxEntries: number): CatchUpRange | null {
    if (this.progress === 'snapshot') return null;
    if (this.catchUpInFlight || nowMs < this.nextAttemptMs || this.appliedLsn >= leaderLsn) return null;
    const fromLsn = this.appliedLsn + 1;
    if (this.inFlight.has(fromLsn)) return null; // the next entry it needs is on its way
    let toLsn = Math.min(leaderLsn, fromLsn + Math.max(1, maxEntries) - 1);
    for (let lsn = fromLsn + 1; lsn <= toLsn; lsn++) {
      if (this.inFlight.has(lsn)) {
        toLsn = lsn - 1;
        break;
      }
    }
    return { fromLsn, toLsn };
  }

  /**
   * True when the follower has been quiet for `intervalMs` with nothing in flight: time to
   * resend it the last entry, whose answer shows whether it restarted (new instance id) or
   * lost entries since it last answered.
   */
  heartbeatDue(nowMs: number, intervalMs: number): boolean {
    if (this.inFlight.size > 0 || this.catchUpInFlight || nowMs < this.nextAttemptMs) return false;
    return this.lastContactMs === undefined || nowMs - this.lastContactMs >= intervalMs;
  }

  catchUpStarted(range: CatchUpRange): void {
    this.catchUpInFlight = true;
    const lsns: number[] = [];
    for (let lsn = range.fromLsn; lsn <= range.toLsn; lsn++) lsns.push(lsn);
    this.sent(lsns);
  }

  /** True when a snapshot should go now: one is needed, none is in flight, the backoff has passed. */
  snapshotDue(nowMs: number): boolean {
    return this.progress === 'snapshot' && !this.catchUpInFlight && nowMs >= this.nextAttemptMs;
  }

  /** A snapshot is on its way: it counts as the catch-up in flight. */
  snapshotStarted(): void {
    this.catchUpInFlight = true;
  }

  catchUpEnded(): void {
    this.catchUpInFlight = false;
  }

  state(leaderLsn: number): FollowerState {
    if (this.consecutiveFailures > 0) return 'unreachable';
    if (this.progress === 'snapshot') return 'catching-up';
    const lacksUncoveredEntry = this.appliedLsn < leaderLsn && !this.inFlight.has(this.appliedLsn + 1);
    if (this.catchUpInFlight || lacksUncoveredEntry) return 'catching-up';
    return 'streaming';
  }

  private settle(lsns: readonly number[]): void {
    for (const lsn of lsns) {
      const count = (this.inFlight.get(lsn) ?? 0) - 1;
      if (count > 0) this.inFlight.set(lsn, count);
      else this.inFlight.delete(lsn);
    }
  }
}
