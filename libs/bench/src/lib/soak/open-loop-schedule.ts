/**
 * The open-loop schedule of a soak: write i is due at i / rate seconds after the start, whatever
 * happened to the writes before it. A slow cluster then shows up as latency (each write is timed
 * from its due time) instead of as a quietly lower offered rate, the "coordinated omission" a
 * closed loop suffers from. Pure: the caller passes the elapsed time; no clock, no timers.
 */

/** The writes due but not taken yet: indices `first .. first + count - 1`. */
export interface DueWrites {
  first: number;
  count: number;
}

export class OpenLoopSchedule {
  readonly totalWrites: number;
  private nextIndex = 0;

  constructor(
    readonly ratePerS: number,
    readonly durationS: number,
  ) {
    if (!(ratePerS > 0) || !Number.isFinite(ratePerS))
      throw new RangeError(`rate must be a positive number of writes per second, got ${ratePerS}`);
    if (!(durationS > 0) || !Number.isFinite(durationS))
      throw new RangeError(`duration must be a positive number of seconds, got ${durationS}`);
    // The last write is due strictly before the end: `rate` writes in every second of the run.
    this.totalWrites = Math.ceil(ratePerS * durationS - 1e-9);
  }

  /** When write `index` is due, in ms after the start. */
  dueAtMs(index: number): number {
    return (index * 1000) / this.ratePerS;
  }

  /** Writes taken so far (sent or dropped by the caller). */
  get taken(): number {
    return this.nextIndex;
  }

  get done(): boolean {
    return this.nextIndex >= this.totalWrites;
  }

  /** Takes every write due by `elapsedMs` that was not taken before (after a stall, many at once). */
  takeDue(elapsedMs: number): DueWrites {
    const first = this.nextIndex;
    while (this.nextIndex < this.totalWrites && this.dueAtMs(this.nextIndex) <= elapsedMs) this.nextIndex++;
    return { first, count: this.nextIndex - first };
  }

  /** Ms from `elapsedMs` until the next write is due (0 when one is overdue); null when all are taken. */
  msUntilNext(elapsedMs: number): number | null {
    if (this.done) return null;
    return Math.max(0, this.dueAtMs(this.nextIndex) - elapsedMs);
  }
}

/** When to sample during a run: every `intervalS` from 0, and at the very end if that is not on the grid. */
export function sampleTimesS(durationS: number, intervalS: number): number[] {
  const times: number[] = [];
  for (let k = 0; k * intervalS < durationS - 1e-9; k++) times.push(Number((k * intervalS).toFixed(6)));
  times.push(durationS);
  return times;
}
