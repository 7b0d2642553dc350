/**
 * The leader's side of one snapshot to one follower. Invariant, first: the snapshot is the state
 * at one LSN, and every byte that goes out was serialised exactly once.
 *
 * - Point in time: it holds the store's (key, value) references as they were at `lsn` (values
 *   are immutable, so that is O(keys), not a copy of the bytes); writes after `lsn` reach the
 *   follower through the log, from `lsn + 1`.
 * - Chunks are cut in key order, each at most `maxChunkBytes` of entries (as the store measures
 *   them), one key always going even when larger alone. A chunk is cut and serialised when it is
 *   first needed and kept until acknowledged: a retry sends the very same bytes.
 * - Once a chunk is acknowledged its references are dropped, so the values it pinned (written
 *   over since) can be collected while the rest goes.
 *
 * Pure: nothing is sent here. The caller sends `current()`, calls `acknowledged()` on success,
 * and drops the whole transfer to start again (a new id) when the follower lost its staging or
 * the log no longer holds `lsn + 1`.
 */
import { jsonBytes, putBytes } from './entry-bytes';
import type { SnapshotItem, SnapshotRef } from './kv-state';
import type { SnapshotChunkRequest } from './wire';

/** What identifies a snapshot: the leader, its epoch, the LSN it was taken at, its id. */
export interface SnapshotHeader {
  leaderId: string;
  clusterId: string;
  epoch: number;
  lsn: number;
  snapshotId: number;
}

/** One chunk ready to send: its body, serialised once. */
export interface PreparedChunk {
  snapshotId: number;
  seq: number;
  last: boolean;
  itemCount: number;
  /** The UTF-8 JSON of a SnapshotChunkRequest. */
  body: Uint8Array;
}

/** What `/status` shows of a snapshot on its way. */
export interface SnapshotTransferStatus {
  snapshotId: number;
  lsn: number;
  epoch: number;
  totalItems: number;
  totalBytes: number;
  /** Chunks the follower has acknowledged, and the keys and bytes (as the store measures them) they held. */
  chunksAcked: number;
  itemsAcked: number;
  bytesAcked: number;
}

const encoder = new TextEncoder();

/** The default serialisation: UTF-8 JSON. */
export function serialiseChunk(request: SnapshotChunkRequest): Uint8Array {
  return encoder.encode(JSON.stringify(request));
}

/** A reference's size as the store measures it (measured here once when the store did not). */
function refBytes(ref: SnapshotRef): number {
  if (ref.bytes === undefined) ref.bytes = putBytes(ref.key, jsonBytes(ref.stored.value));
  return ref.bytes;
}

/**
 * Where the chunk starting at `start` ends (exclusive): as many refs as fit in `maxChunkBytes`,
 * at least one. Exported for its table test.
 */
export function cutChunk(refs: readonly SnapshotRef[], start: number, maxChunkBytes: number): number {
  let end = start;
  let bytes = 0;
  while (end < refs.length) {
    const next = refBytes(refs[end] as SnapshotRef);
    if (end > start && bytes + next > maxChunkBytes) break;
    bytes += next;
    end++;
  }
  return end;
}

export class SnapshotTransfer {
  readonly totalItems: number;
  readonly totalBytes: number;
  private readonly refs: Array<SnapshotRef | undefined>;
  private start = 0;
  private prepared: { chunk: PreparedChunk; end: number; bytes: number } | undefined;
  private chunksAcked = 0;
  private bytesAcked = 0;

  constructor(
    readonly header: Readonly<SnapshotHeader>,
    refs: SnapshotRef[],
    private readonly maxChunkBytes: number,
    private readonly serialise: (request: SnapshotChunkRequest) => Uint8Array = serialiseChunk,
  ) {
    if (!Number.isInteger(maxChunkBytes) || maxChunkBytes < 1)
      throw new RangeError(`maxChunkBytes must be a positive integer, got ${maxChunkBytes}`);
    this.refs = refs;
    this.totalItems = refs.length;
    this.totalBytes = refs.reduce((sum, ref) => sum + refBytes(ref), 0);
  }

  get snapshotId(): number {
    return this.header.snapshotId;
  }

  get lsn(): number {
    return this.header.lsn;
  }

  /** True once the last chunk was acknowledged. */
  get done(): boolean {
    return this.prepared === undefined && this.chunksAcked > 0 && this.start >= this.refs.length;
  }

  /** The chunk to send now: the unacknowledged one, else the next, cut and serialised once. */
  current(): PreparedChunk {
    if (this.prepared) return this.prepared.chunk;
    if (this.done) throw new Error(`snapshot ${this.snapshotId} is complete: nothing more to send`);
    const end = cutChunk(this.refs as SnapshotRef[], this.start, this.maxChunkBytes);
    const items: SnapshotItem[] = [];
    let bytes = 0;
    for (let i = this.start; i < end; i++) {
      const ref = this.refs[i] as SnapshotRef;
      items.push([ref.key, ref.stored.value, ref.stored.lsn]);
      bytes += refBytes(ref);
    }
    const seq = this.chunksAcked;
    const last = end >= this.refs.length;
    const body = this.serialise({
      ...this.header,
      seq,
      last,
      totalItems: this.totalItems,
      totalBytes: this.totalBytes,
      items,
    });
    this.prepared = { chunk: { snapshotId: this.snapshotId, seq, last, itemCount: items.length, body }, end, bytes };
    return this.prepared.chunk;
  }

  /** The follower took the current chunk: move on, and let go of what it held. */
  acknowledged(): void {
    const prepared = this.prepared;
    if (!prepared) throw new Error(`snapshot ${this.snapshotId}: no chunk is waiting for its acknowledgement`);
    this.refs.fill(undefined, this.start, prepared.end);
    this.start = prepared.end;
    this.chunksAcked += 1;
    this.bytesAcked += prepared.bytes;
    this.prepared = undefined;
  }

  status(): SnapshotTransferStatus {
    return {
      snapshotId: this.snapshotId,
      lsn: this.header.lsn,
      epoch: this.header.epoch,
      totalItems: this.totalItems,
      totalBytes: this.totalBytes,
      chunksAcked: this.chunksAcked,
      itemsAcked: this.start,
      bytesAcked: this.bytesAcked,
    };
  }
}
