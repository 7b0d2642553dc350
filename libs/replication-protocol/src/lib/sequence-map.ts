/**
 * A map from a sequence number to a value, for numbers that mostly rise and leave in about the
 * order they came: LSNs (the writes waiting for their quorum, the LSNs in flight to a
 * follower) and message ids (the messages in flight on a replication stream). A JS `Map` there
 * rehashes each time its size crosses a power of two, up or down, which a stream's steady flow
 * does many times a second (the leader's profile at saturation: 3.3% of its CPU in V8's
 * `MapGrow` and `MapShrink`). Here the values sit in a ring over [low, low + span) that doubles
 * when it must and never shrinks, at most `maxRingSlots` slots (8 bytes each: 512 KiB at the
 * default); a number that would stretch it further waits in a `Map` (a follower far behind, whose
 * catch-up is in flight while the stream runs ahead). Values are never `undefined`.
 */
export const DEFAULT_MAX_RING_SLOTS = 1 << 16;

const INITIAL_RING_SLOTS = 16;

export class SequenceMap<V> {
  /** Slot of number `low + i` at `(head + i) & (ring.length - 1)`; every slot outside the span is undefined. */
  private ring: (V | undefined)[] = new Array<V | undefined>(INITIAL_RING_SLOTS).fill(undefined);
  private head = 0;
  private low = 0;
  private span = 0;
  /** Defined slots in the ring. */
  private inRing = 0;
  /** Numbers outside the ring's reach (never one the ring also holds). */
  private readonly far = new Map<number, V>();

  constructor(private readonly maxRingSlots = DEFAULT_MAX_RING_SLOTS) {
    if (!Number.isSafeInteger(maxRingSlots) || maxRingSlots < 1) throw new Error('maxRingSlots must be at least 1');
  }

  get size(): number {
    return this.inRing + this.far.size;
  }

  get(key: number): V | undefined {
    const offset = key - this.low;
    if (offset >= 0 && offset < this.span && (offset | 0) === offset) {
      const value = this.ring[(this.head + offset) & (this.ring.length - 1)];
      if (value !== undefined) return value;
    }
    return this.far.size === 0 ? undefined : this.far.get(key);
  }

  has(key: number): boolean {
    return this.get(key) !== undefined;
  }

  set(key: number, value: V): this {
    if (this.reach(key)) {
      const slot = (this.head + key - this.low) & (this.ring.length - 1);
      if (this.ring[slot] === undefined) {
        this.inRing++;
        if (this.far.size > 0) this.far.delete(key);
      }
      this.ring[slot] = value;
    } else {
      this.far.set(key, value);
    }
    return this;
  }

  delete(key: number): boolean {
    const offset = key - this.low;
    if (offset >= 0 && offset < this.span && (offset | 0) === offset) {
      const slot = (this.head + offset) & (this.ring.length - 1);
      if (this.ring[slot] !== undefined) {
        this.ring[slot] = undefined;
        this.inRing--;
        if (offset === 0) this.dropLeadingHoles();
        return true;
      }
    }
    return this.far.size > 0 && this.far.delete(key);
  }

  clear(): void {
    this.ring.fill(undefined);
    this.inRing = 0;
    this.span = 0;
    this.far.clear();
  }

  /** Every value: the ring's in order, then the others. */
  *values(): IterableIterator<V> {
    const mask = this.ring.length - 1;
    for (let i = 0; i < this.span; i++) {
      const value = this.ring[(this.head + i) & mask];
      if (value !== undefined) yield value;
    }
    yield* this.far.values();
  }

  /** Stretches the ring over `key` if it can within `maxRingSlots`; false when it cannot. */
  private reach(key: number): boolean {
    if (!Number.isSafeInteger(key)) return false; // not a sequence number: the Map keeps it
    if (this.inRing === 0) {
      this.low = key;
      this.head = 0;
      this.span = 1;
      return true;
    }
    const offset = key - this.low;
    if (offset >= 0 && offset < this.span) return true;
    const span = offset < 0 ? this.span - offset : offset + 1;
    if (span > this.maxRingSlots) return false;
    this.grow(span);
    if (offset < 0) {
      this.head = (this.head + offset) & (this.ring.length - 1);
      this.low = key;
    }
    this.span = span;
    return true;
  }

  /** Doubles the ring until it has `slots`, keeping the span's values in order from slot 0. */
  private grow(slots: number): void {
    if (slots <= this.ring.length) return;
    let length = this.ring.length;
    while (length < slots) length *= 2;
    const ring = new Array<V | undefined>(length).fill(undefined);
    const mask = this.ring.length - 1;
    for (let i = 0; i < this.span; i++) ring[i] = this.ring[(this.head + i) & mask];
    this.ring = ring;
    this.head = 0;
  }

  private dropLeadingHoles(): void {
    if (this.inRing === 0) {
      this.span = 0;
      return;
    }
    const mask = this.ring.length - 1;
    while (this.ring[this.head] === undefined) {
      this.head = (this.head + 1) & mask;
      this.low++;
      this.span--;
    }
  }
}
