/**
 * What the leader knows of one follower, and the decisions that follow from it: which entries
 * the follower still lacks that no RPC in flight will bring (catch-up), and when to try again
 * after failures (bounded exponential backoff). Pure: time comes in as `nowMs`.
 */

export type FollowerState = 'streaming' | 'catching-up' | 'unreachable';

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: Readonly<BackoffPolicy> = Object.freeze({ initialMs: 50, maxMs: 1000 });

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
  lastContactMs: number | undefined;
  lastError: string | undefined;
  private readonly inFlight = new Map<number, number>(); // lsn -> RPCs carrying it
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
    this.lastError = undefined;
    this.lastContactMs = nowMs;
    this.nextAttemptMs = nowMs;
  }

  /** An RPC carrying `lsns` failed (refused, timed out, error status). */
  failed(lsns: readonly number[], reason: string, nowMs: number): void {
    this.settle(lsns);
    this.consecutiveFailures += 1;
    this.lastError = reason;
    const waitMs = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** (this.consecutiveFailures - 1));
    this.nextAttemptMs = nowMs + waitMs;
  }

  /**
   * The entries to send now as one catch-up batch, or null: only when no catch-up is in
   * flight, the backoff has passed, and the follower lacks entries that no RPC in flight carries.
   */
  catchUpRange(leaderLsn: number, nowMs: number, maxEntries: number): CatchUpRange | null {
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

  /** A snapshot is on its way: it counts as the catch-up in flight. */
  snapshotStarted(): void {
    this.catchUpInFlight = true;
  }

  catchUpEnded(): void {
    this.catchUpInFlight = false;
  }

  state(leaderLsn: number): FollowerState {
    if (this.consecutiveFailures > 0) return 'unreachable';
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
