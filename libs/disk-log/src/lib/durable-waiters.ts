import { deferred, type Deferred } from './deferred';

/** Someone waiting for an fsync to cover every record before `throughSeq`; `sync()` callers ask for one. */
interface DurableWaiter {
  throughSeq: number;
  done: Deferred<void>;
  wantsFsync: boolean;
}

/** Everyone waiting for records to become durable, settled as fsyncs complete. */
export class DurableWaiters {
  private readonly waiters: DurableWaiter[] = [];

  add(throughSeq: number, wantsFsync: boolean): Promise<void> {
    const done = deferred();
    this.waiters.push({ throughSeq, done, wantsFsync });
    return done.promise;
  }

  /** Whether a `sync()` caller waits for records past `durableSeq` (so batch and off fsync now). */
  fsyncWanted(durableSeq: number): boolean {
    return this.waiters.some((waiter) => waiter.wantsFsync && waiter.throughSeq > durableSeq);
  }

  /** Records from `endSeq` on were refused: nobody waits for them any more. */
  clampTo(endSeq: number): void {
    for (const waiter of this.waiters) waiter.throughSeq = Math.min(waiter.throughSeq, endSeq);
  }

  settle(durableSeq: number): void {
    let kept = 0;
    for (const waiter of this.waiters) {
      if (waiter.throughSeq <= durableSeq) waiter.done.resolve();
      else this.waiters[kept++] = waiter;
    }
    this.waiters.length = kept;
  }

  rejectAll(error: unknown): void {
    for (const waiter of this.waiters.splice(0)) waiter.done.reject(error);
  }
}
