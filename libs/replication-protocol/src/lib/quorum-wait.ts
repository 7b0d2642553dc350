/**
 * The asynchronous quorum wait of one write. It only feeds events (acks, failures, the timer)
 * into a `QuorumTracker` and settles once, the moment the decision is no longer `pending` or
 * the timeout passes. It never cancels the replication RPCs: they belong to the caller, which
 * keeps replicating after the wait has settled. `abort` ends it early with an error instead (the
 * leader was fenced): `done` then rejects with it.
 */
import type { Clock, TimerHandle } from './clock';
import { QuorumTracker } from './quorum';

export type QuorumOutcome =
  | { status: 'met'; ackCount: number; ackedFollowers: number[]; elapsedMs: number }
  | { status: 'unreachable' | 'timeout'; ackCount: number; ackedFollowers: number[]; elapsedMs: number };

export class QuorumWait {
  readonly done: Promise<QuorumOutcome>;
  private readonly tracker: QuorumTracker;
  private readonly startedMs: number;
  private timer: TimerHandle | undefined;
  private settle!: (outcome: QuorumOutcome) => void;
  private reject!: (error: Error) => void;
  private settled = false;

  constructor(
    w: number,
    followerCount: number,
    timeoutMs: number,
    private readonly clock: Clock,
  ) {
    this.tracker = new QuorumTracker(w, followerCount);
    this.startedMs = clock.now();
    this.done = new Promise((resolve, reject) => {
      this.settle = resolve;
      this.reject = reject;
    });
    this.timer = clock.setTimeout(() => this.finish('timeout'), timeoutMs);
  }

  get isSettled(): boolean {
    return this.settled;
  }

  get ackCount(): number {
    return this.tracker.ackCount;
  }

  hasAcked(follower: number): boolean {
    return this.tracker.hasAcked(follower);
  }

  ack(follower: number): void {
    if (this.settled) return;
    if (this.tracker.ack(follower) === 'met') this.finish('met');
  }

  fail(follower: number): void {
    if (this.settled) return;
    if (this.tracker.fail(follower) === 'unreachable') this.finish('unreachable');
  }

  /** Ends the wait with `error` unless it has settled already (`done` rejects with it). */
  abort(error: Error): void {
    if (this.settled) return;
    this.settled = true;
    this.stopTimer();
    this.reject(error);
  }

  private stopTimer(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private finish(status: QuorumOutcome['status']): void {
    if (this.settled) return;
    this.settled = true;
    this.stopTimer();
    this.settle({
      status,
      ackCount: this.tracker.ackCount,
      ackedFollowers: this.tracker.ackedFollowers(),
      elapsedMs: this.clock.now() - this.startedMs,
    } as QuorumOutcome);
  }
}
