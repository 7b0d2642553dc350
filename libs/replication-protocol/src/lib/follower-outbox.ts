/**
 * What the leader sends one follower, by the batch (as etcd/raft's MsgApp carries many entries
 * under a bounded in-flight window). Invariant, first: an entry leaves in the first message cut
 * at or after its ready time (the write's time plus the delay injected for this follower) for
 * which the window has a free slot; nothing else holds it back. So:
 *
 * - every entry ready at one moment goes out together, in as few messages as the count and
 *   byte bounds allow (an entry alone larger than the byte bound goes alone);
 * - while `maxInFlightMessages` messages are unanswered, ready entries wait and join the next
 *   message when a slot frees (`complete`), instead of each waiting for a slot of its own;
 * - the injected delay stays per entry and per follower, so the study's model is unchanged:
 *   with a free slot, the outbox adds no delay at all.
 *
 * Pure: time is passed in, nothing is sent here. The caller calls `take(now)` when an entry
 * becomes ready (`nextReadyAtMs`) and when a message is answered, and sends what it returns.
 */
import { MinHeap } from './min-heap';
import { SequenceMap } from './sequence-map';

export interface OutboxLimits {
  /** Most messages in flight to one follower (MAX_IN_FLIGHT_MESSAGES). */
  maxInFlightMessages: number;
  /** Most entries in one message. */
  maxEntriesPerMessage: number;
  /** Most bytes of entries in one message (their serialised size, as the caller measures it). */
  maxMessageBytes: number;
}

export const DEFAULT_OUTBOX_LIMITS: Readonly<OutboxLimits> = Object.freeze({
  maxInFlightMessages: 4,
  maxEntriesPerMessage: 512,
  maxMessageBytes: 1024 * 1024,
});

export interface OutboxEntry<E> {
  lsn: number;
  /** When its injected delay has elapsed (ms, the caller's clock). */
  readyAtMs: number;
  /** Its size in a message, in bytes. */
  bytes: number;
  entry: E;
}

export interface OutboxMessage<E> {
  /** Unique per outbox, increasing; names the message in `complete`. */
  id: number;
  /** In LSN order. */
  entries: E[];
  lsns: number[];
  bytes: number;
}

function inLsnOrder<E>(items: readonly OutboxEntry<E>[]): boolean {
  for (let i = 1; i < items.length; i++)
    if ((items[i] as OutboxEntry<E>).lsn < (items[i - 1] as OutboxEntry<E>).lsn) return false;
  return true;
}

const byReadyTime = <E>(a: OutboxEntry<E>, b: OutboxEntry<E>) => a.readyAtMs - b.readyAtMs || a.lsn - b.lsn;

export class FollowerOutbox<E> {
  /** Entries whose delay has not elapsed yet (as of the last `take`). */
  private readonly waiting = new MinHeap<OutboxEntry<E>>(byReadyTime);
  /** Entries ready but not sent: the window was full. */
  private ready: OutboxEntry<E>[] = [];
  private readonly inFlight = new SequenceMap<number[]>(); // message id -> its LSNs
  private nextId = 1;

  constructor(private readonly limits: Readonly<OutboxLimits> = DEFAULT_OUTBOX_LIMITS) {
    for (const [name, value] of Object.entries(limits))
      if (!Number.isInteger(value) || value < 1)
        throw new RangeError(`${name} must be a positive integer, got ${value}`);
  }

  enqueue(item: OutboxEntry<E>): void {
    this.waiting.push(item);
  }

  /** Moves every entry ready at `nowMs` out, in messages, as far as the window has room. */
  take(nowMs: number): OutboxMessage<E>[] {
    const due: OutboxEntry<E>[] = [];
    while (this.waiting.size > 0 && (this.waiting.peek() as OutboxEntry<E>).readyAtMs <= nowMs)
      due.push(this.waiting.pop() as OutboxEntry<E>);
    if (due.length > 0) this.ready = this.ready.length === 0 ? due : this.ready.concat(due);
    const messages: OutboxMessage<E>[] = [];
    if (this.ready.length === 0 || this.inFlight.size >= this.limits.maxInFlightMessages) return messages;
    if (!inLsnOrder(this.ready)) this.ready.sort((a, b) => a.lsn - b.lsn); // at zero delay they come in order
    let start = 0;
    while (start < this.ready.length && this.inFlight.size < this.limits.maxInFlightMessages) {
      const end = this.cut(start);
      messages.push(this.send(this.ready.slice(start, end)));
      start = end;
    }
    this.ready = this.ready.slice(start);
    return messages;
  }

  /** A message was answered, or failed: its slot is free. Returns its LSNs (to re-send after a failure). */
  complete(id: number): number[] {
    const lsns = this.inFlight.get(id);
    if (!lsns) throw new RangeError(`no message ${id} in flight`);
    this.inFlight.delete(id);
    return lsns;
  }

  /**
   * When the caller should call `take` next on its own: the earliest ready time of a waiting
   * entry, `nowMs`'s past included; null while the window is full (the next `complete` is the
   * moment) or nothing waits.
   */
  nextReadyAtMs(): number | null {
    if (this.inFlight.size >= this.limits.maxInFlightMessages) return null;
    if (this.ready.length > 0) return -Infinity;
    return this.waiting.peek()?.readyAtMs ?? null;
  }

  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /** Entries not sent yet, ready or not. */
  get queuedCount(): number {
    return this.waiting.size + this.ready.length;
  }

  /** The end (exclusive) of the message starting at `start`: bounded by count and bytes, at least one entry. */
  private cut(start: number): number {
    let end = start;
    let bytes = 0;
    while (end < this.ready.length && end - start < this.limits.maxEntriesPerMessage) {
      const next = (this.ready[end] as OutboxEntry<E>).bytes;
      if (end > start && bytes + next > this.limits.maxMessageBytes) break;
      bytes += next;
      end++;
    }
    return end;
  }

  private send(items: OutboxEntry<E>[]): OutboxMessage<E> {
    const id = this.nextId++;
    const lsns = items.map((i) => i.lsn);
    this.inFlight.set(id, lsns);
    return { id, entries: items.map((i) => i.entry), lsns, bytes: items.reduce((sum, i) => sum + i.bytes, 0) };
  }
}
