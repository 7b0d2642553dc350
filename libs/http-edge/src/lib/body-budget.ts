/**
 * The bytes of request bodies being read at once, bounded in total. A body reserves its
 * declared Content-Length (or the route's whole limit when it declares none) before a byte of
 * it is read, and gives it back when it is parsed or dropped. A request that does not fit is
 * refused with 429 and Retry-After before its body is read, as for too many writes in flight:
 * a thousand slow clients then hold at most this much memory, not a thousand bodies.
 */
export class BodyBudget {
  private reserved = 0;

  constructor(readonly maxBytes: number) {}

  /** Bytes reserved now. */
  get inFlightBytes(): number {
    return this.reserved;
  }

  /** Reserves `bytes`; false (and nothing reserved) when they do not fit. */
  tryReserve(bytes: number): boolean {
    if (this.reserved + bytes > this.maxBytes) return false;
    this.reserved += bytes;
    return true;
  }

  release(bytes: number): void {
    this.reserved -= bytes;
    if (this.reserved < 0) throw new Error(`body budget released more than it reserved (${this.reserved})`);
  }
}
