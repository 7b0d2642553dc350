/**
 * What one follower has acknowledged, from cumulative acks: "everything up to LSN n", plus the
 * LSNs it holds beyond a gap (received out of order). Invariant, first: `upToLsn` never goes
 * back, and `beyond` holds only LSNs above it. Acks travel apart from the messages that carried
 * the entries, so they may arrive late, twice or out of order: an old ack is a no-op, never a
 * step back.
 *
 * `record` returns the LSNs this ack newly covers, and costs time proportional to those (and
 * to the ack's own out-of-order list), never to the number of writes waiting: the caller looks
 * each one up in its pending writes. A leader keeps two per follower: one for `received`, one
 * for `applied` (applied in LSN order, so its acks have no out-of-order part).
 *
 * Pure: no clock, no I/O.
 */

export interface CumulativeAck {
  /** Every LSN up to this one is acknowledged. */
  upToLsn: number;
  /** LSNs above `upToLsn` also acknowledged (received beyond a gap). */
  beyondLsns?: readonly number[];
}

export class CumulativeAcks {
  private upTo = 0;
  private readonly beyond = new Set<number>();

  /**
   * @param maxBeyondLsns bound on the out-of-order LSNs held (the follower buffers no more than
   *   its MAX_BUFFERED_ENTRIES; an ack listing more is a protocol violation and is refused).
   */
  constructor(private readonly maxBeyondLsns: number) {}

  get upToLsn(): number {
    return this.upTo;
  }

  /** Out-of-order LSNs acknowledged above `upToLsn`, ascending. */
  get beyondLsns(): number[] {
    return [...this.beyond].sort((a, b) => a - b);
  }

  has(lsn: number): boolean {
    return lsn <= this.upTo || this.beyond.has(lsn);
  }

  /** Takes one ack in; returns the LSNs it acknowledges for the first time, ascending. */
  record(ack: CumulativeAck): number[] {
    const beyondLsns = ack.beyondLsns ?? [];
    if (!Number.isInteger(ack.upToLsn) || ack.upToLsn < 0)
      throw new RangeError(`upToLsn must be a non-negative integer, got ${ack.upToLsn}`);
    if (beyondLsns.length > this.maxBeyondLsns)
      throw new RangeError(`an ack lists ${beyondLsns.length} out-of-order LSNs, more than ${this.maxBeyondLsns}`);
    const fresh: number[] = [];
    for (let lsn = this.upTo + 1; lsn <= ack.upToLsn; lsn++) {
      if (!this.beyond.delete(lsn)) fresh.push(lsn);
    }
    this.upTo = Math.max(this.upTo, ack.upToLsn);
    const freshBeyond: number[] = [];
    for (const lsn of beyondLsns) {
      if (!Number.isInteger(lsn) || lsn <= this.upTo || this.beyond.has(lsn)) continue;
      if (this.beyond.size >= this.maxBeyondLsns) break;
      this.beyond.add(lsn);
      freshBeyond.push(lsn);
    }
    this.absorbContiguous();
    return freshBeyond.length === 0 ? fresh : fresh.concat(freshBeyond.sort((a, b) => a - b));
  }

  /** Out-of-order LSNs that now follow `upToLsn` without a gap join the cumulative part. */
  private absorbContiguous(): void {
    while (this.beyond.delete(this.upTo + 1)) this.upTo++;
  }
}
