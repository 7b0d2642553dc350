import { join, resolve } from 'node:path';
import { deferred, type Deferred } from './deferred';
import { lockDirectory, type DirLock } from './dir-lock';
import { DurableWaiters } from './durable-waiters';
import { DiskLogError, isDiskFullErrno } from './errors';
import type { LogFile } from './file-system';
import { segmentFileName, snapshotFileName } from './file-names';
import { encodeJsonFrame, FRAME_OVERHEAD_BYTES, FrameKind, parsePayload } from './frame';
import { readFrames } from './frame-reader';
import { resolveOptions, type DiskLogOptions, type ResolvedOptions } from './options';
import { recoverDataDir, type RecoveredState, type SegmentState } from './recovery';
import { Receipt, type AppendReceipt } from './receipt';
import { readSnapshotItems, syncOrFail, writeSnapshotFile } from './snapshot-file';
import { emptyStats, type DiskLogStats } from './stats';

interface QueuedRecord {
  kind: 'record';
  seq: number;
  frame: Buffer;
  written: Deferred<void>;
}
/** Closes the active segment at this point of the queue (a snapshot starts a fresh one). */
interface QueuedRoll {
  kind: 'roll';
  done: Deferred<void>;
}
type QueueItem = QueuedRecord | QueuedRoll;

interface ActiveSegment {
  firstSeq: number;
  file: LogFile;
  sizeBytes: number;
}

/**
 * An append-only log of JSON records in segment files, with snapshots, in one locked
 * directory. Open it with `DiskLog.open`; read `readSnapshot()` then `readRecords()` to rebuild
 * the state; then `append`, `sync`, `writeSnapshot` when `snapshotDue`, and `close`.
 *
 * Records are numbered by `seq` (0, 1, 2, ... over the log's whole life). Appends are written in
 * order by one writer, many records per write; fsyncs are group commits: one covers every record
 * written before it starts.
 */
export class DiskLog {
  private readonly queue: QueueItem[] = [];
  private queuedBytes = 0;
  private nextSeq: number;
  private writtenSeq: number;
  private durableSeq: number;
  private readonly waiters = new DurableWaiters();
  private writer: Promise<void> | undefined;
  private fsyncing: Promise<void> | undefined;
  private rolling = false;
  /** Settles when the snapshot being written is done (close waits for it). */
  private snapshotRun: Promise<void> | undefined;
  private batchTimer: unknown;
  private failure: DiskLogError | undefined;
  private closing: Promise<void> | undefined;
  private snapshotCoversSeq: number | undefined;
  private readonly counters = emptyStats();

  private constructor(
    private readonly options: ResolvedOptions,
    private readonly lock: DirLock,
    private readonly recovered: RecoveredState,
    private readonly segments: SegmentState[],
    private active: ActiveSegment,
  ) {
    this.nextSeq = active.firstSeq + activeSegmentState(segments).recordCount;
    this.writtenSeq = this.nextSeq;
    this.durableSeq = this.nextSeq;
    this.snapshotCoversSeq = recovered.snapshot?.coversSeq;
    if (options.fsync === 'batch') this.scheduleBatchFsync();
  }

  /** Locks the directory, recovers it (see `recoverDataDir`), and opens the last segment to append. */
  static async open(input: DiskLogOptions): Promise<DiskLog> {
    const options = { ...resolveOptions(input), dir: resolve(input.dir) };
    const { fs, dir } = options;
    await fs.mkdir(dir);
    const lock = await lockDirectory(dir, {
      ...options,
      onStaleLock: ({ file, pid }) =>
        options.onWarn({
          event: 'stale_lock',
          file,
          message: `took over a stale lock of process ${pid} (not running)`,
        }),
    });
    try {
      const recovered = await recoverDataDir(options);
      const segments = recovered.segments.map((segment) => ({ ...segment }));
      if (segments.length === 0) {
        const file = await fs.open(join(dir, segmentFileName(recovered.replayFromSeq)), 'create-exclusive');
        await file.close();
        await syncOrFail(() => fs.syncDir(dir), dir);
        segments.push({ firstSeq: recovered.replayFromSeq, recordCount: 0, sizeBytes: 0 });
      }
      const last = activeSegmentState(segments);
      const path = join(dir, segmentFileName(last.firstSeq));
      const file = await fs.open(path, 'read-write');
      // What a crashed process left in the page cache is made durable before anything depends on it.
      await syncOrFail(() => file.sync(), path).catch(async (error: unknown) => {
        await file.close();
        throw error;
      });
      const active = { firstSeq: last.firstSeq, file, sizeBytes: last.sizeBytes };
      const log = new DiskLog(options, lock, recovered, segments, active);
      log.counters.logBytesOnDisk = segments.reduce((sum, segment) => sum + segment.sizeBytes, 0);
      return log;
    } catch (error) {
      await lock.release();
      throw error;
    }
  }

  /** The snapshot open found (its header is what the caller passed to `writeSnapshot`), if any. */
  get snapshot(): { coversSeq: number; header: unknown; itemCount: number } | undefined {
    return this.recovered.snapshot;
  }

  /** The snapshot's items, streamed; nothing if there is none. Read before `readRecords`. */
  async *readSnapshot(): AsyncGenerator<unknown> {
    const snapshot = this.recovered.snapshot;
    if (!snapshot) return;
    yield* readSnapshotItems(this.options.fs, this.options.dir, snapshot.coversSeq, this.options.maxRecordBytes);
  }

  /** Every record after the snapshot that open found, in append order, one at a time. */
  async *readRecords(): AsyncGenerator<unknown> {
    const { fs, dir, maxRecordBytes } = this.options;
    for (const segment of this.recovered.segments) {
      const file = await fs.open(join(dir, segmentFileName(segment.firstSeq)), 'read');
      try {
        let seq = segment.firstSeq;
        for await (const { offset, frame } of readFrames(file, 0, segment.sizeBytes, maxRecordBytes)) {
          if (!frame.ok) throw new DiskLogError('io_failed', `segment ${segment.firstSeq} changed at byte ${offset}`);
          if (seq >= this.recovered.replayFromSeq) yield parsePayload(frame.payload);
          seq += 1;
        }
      } finally {
        await file.close();
      }
    }
  }

  /**
   * Queues a record (a JSON value) for writing. Throws a TypeError at once for a value with no
   * JSON form (a caller's bug); every other failure arrives through the receipt's promises.
   */
  append(value: unknown): AppendReceipt {
    const frame = encodeJsonFrame(FrameKind.Record, value);
    const written = deferred();
    const seq = this.nextSeq;
    const refusal = this.refusal() ?? this.checkRecord(frame);
    if (refusal) written.reject(refusal);
    else {
      this.queue.push({ kind: 'record', seq, frame, written });
      this.nextSeq += 1;
      this.queuedBytes += frame.length;
      this.startWriter();
    }
    const waitDurable = (recordSeq: number) => this.waitDurable(recordSeq + 1, false);
    return new Receipt(seq, written.promise, waitDurable, this.options.fsync === 'always');
  }

  /** Resolves once an fsync covers every record appended before this call (the `flushed` ack), in any mode. */
  sync(): Promise<void> {
    return this.waitDurable(this.nextSeq, true);
  }

  private waitDurable(throughSeq: number, wantsFsync: boolean): Promise<void> {
    if (throughSeq <= this.durableSeq) return Promise.resolve();
    const refusal = this.failure ?? (wantsFsync ? this.refusal() : undefined);
    if (refusal) return Promise.reject(refusal);
    const done = this.waiters.add(throughSeq, wantsFsync);
    if (wantsFsync) this.maybeStartFsync();
    return done;
  }

  /** Whether the segments on disk have passed `snapshotThresholdBytes`: time to `writeSnapshot`. */
  get snapshotDue(): boolean {
    return !this.snapshotRun && this.counters.logBytesOnDisk >= this.options.snapshotThresholdBytes;
  }

  /**
   * Writes a snapshot covering every record appended before this call, streamed item by item,
   * then deletes the segments it covers. `header` (e.g. `{lsn, epoch}`) comes back as
   * `snapshot.header` at open. The caller's items must reflect at least those records; records
   * appended while it streams are replayed after the snapshot, so replay must be idempotent.
   */
  async writeSnapshot(
    header: unknown,
    items: Iterable<unknown> | AsyncIterable<unknown>,
  ): Promise<{ coversSeq: number; itemCount: number; sizeBytes: number }> {
    const refusal = this.refusal();
    if (refusal) throw refusal;
    if (this.snapshotRun) throw new Error('a snapshot is already being written');
    const run = deferred();
    this.snapshotRun = run.promise;
    try {
      const coversSeq = this.nextSeq;
      const rolled = deferred();
      this.queue.push({ kind: 'roll', done: rolled });
      this.startWriter();
      await rolled.promise;
      const { fs, dir, maxRecordBytes } = this.options;
      const onWrite = (bytes: number) => (this.counters.bytesWritten += bytes);
      const written = await writeSnapshotFile({ fs, dir, coversSeq, maxRecordBytes, onWrite }, header, items);
      await this.deleteCovered(coversSeq);
      this.counters.snapshotsWritten += 1;
      return { coversSeq, ...written };
    } catch (error) {
      this.rethrowFailingIfFatal(error);
    } finally {
      this.snapshotRun = undefined;
      run.resolve();
    }
  }

  stats(): DiskLogStats {
    const { counters } = this;
    return {
      ...counters,
      recordsPerFsyncMean: counters.fsyncCount === 0 ? 0 : counters.recordsFsynced / counters.fsyncCount,
      segmentCount: this.segments.length,
      appendedRecords: this.nextSeq,
      writtenRecords: this.writtenSeq,
      durableRecords: this.durableSeq,
      queuedBytes: this.queuedBytes,
    };
  }

  /** Writes what is queued, fsyncs it (in every mode, as Redis does on shutdown), releases the lock. For SIGTERM. */
  close(): Promise<void> {
    this.closing ??= this.closeOnce();
    return this.closing;
  }

  private async closeOnce(): Promise<void> {
    await this.snapshotRun;
    while (this.writer) await this.writer;
    if (this.batchTimer !== undefined) this.options.clock.clearTimeout(this.batchTimer);
    await this.fsyncing;
    if (!this.failure && this.writtenSeq > this.durableSeq) {
      const target = this.writtenSeq;
      try {
        await syncOrFail(() => this.active.file.sync(), this.activePath());
        this.recordFsync(target);
      } catch (error) {
        this.fail(error as DiskLogError);
      }
    }
    await this.active.file.close().catch(() => undefined);
    await this.lock.release();
    if (this.failure) throw this.failure;
  }

  private refusal(): DiskLogError | undefined {
    if (this.failure) return this.failure;
    if (this.closing) return new DiskLogError('log_closed', 'the log is closed');
    return undefined;
  }

  private checkRecord(frame: Buffer): DiskLogError | undefined {
    const payloadBytes = frame.length - FRAME_OVERHEAD_BYTES;
    if (payloadBytes > this.options.maxRecordBytes) {
      return new DiskLogError('record_too_large', `a record of ${payloadBytes} bytes is over maxRecordBytes`, {
        payloadBytes,
        maxRecordBytes: this.options.maxRecordBytes,
      });
    }
    if (this.queuedBytes + frame.length > this.options.maxQueuedBytes) {
      return new DiskLogError('queue_full', `more than ${this.options.maxQueuedBytes} bytes wait to be written`);
    }
    return undefined;
  }

  private startWriter(): void {
    if (this.writer) return;
    const unexpected = (cause: unknown) =>
      this.fail(new DiskLogError('io_failed', 'the log writer failed', {}, { cause }));
    this.writer = this.runWriter()
      .catch(unexpected)
      .finally(() => {
        this.writer = undefined;
        if (this.queue.length > 0 && !this.failure) this.startWriter();
      });
  }

  /** The one writer: records in order, batched into writes, a new segment when one is full. */
  private async runWriter(): Promise<void> {
    for (let head = this.queue[0]; head && !this.failure; head = this.queue[0]) {
      const full = head.kind === 'record' && this.active.sizeBytes + head.frame.length > this.options.segmentBytes;
      if (head.kind === 'roll' || (full && this.active.sizeBytes > 0)) {
        if (head.kind === 'roll') this.queue.shift();
        try {
          await this.roll();
          if (head.kind === 'roll') head.done.resolve();
        } catch (error) {
          if (head.kind === 'roll') head.done.reject(error);
          if (error instanceof DiskLogError && !error.fatal) this.rejectQueued(error);
        }
        continue;
      }
      await this.writeBatch(this.takeBatch());
    }
  }

  private takeBatch(): QueuedRecord[] {
    const batch: QueuedRecord[] = [];
    let batchBytes = 0;
    for (const item of this.queue) {
      if (item.kind !== 'record') break;
      const bytes = batchBytes + item.frame.length;
      const fits = bytes <= this.options.maxWriteBytes && this.active.sizeBytes + bytes <= this.options.segmentBytes;
      if (batch.length > 0 && !fits) break;
      batch.push(item);
      batchBytes = bytes;
    }
    this.queue.splice(0, batch.length);
    this.queuedBytes -= batchBytes;
    return batch;
  }

  private async writeBatch(batch: QueuedRecord[]): Promise<void> {
    const position = this.active.sizeBytes;
    const frames = batch.map((record) => record.frame);
    const batchBytes = frames.reduce((sum, frame) => sum + frame.length, 0);
    let failure: unknown;
    try {
      const bytesWritten = await this.active.file.writev(frames, position);
      if (bytesWritten !== batchBytes) failure = Object.assign(new Error('short write'), { code: 'ENOSPC' });
    } catch (error) {
      failure = error;
    }
    if (failure !== undefined) {
      await this.undoWrite(batch, position, failure);
      return;
    }
    this.active.sizeBytes += batchBytes;
    const state = activeSegmentState(this.segments);
    state.sizeBytes = this.active.sizeBytes;
    state.recordCount += batch.length;
    this.counters.logBytesOnDisk += batchBytes;
    this.counters.bytesWritten += batchBytes;
    this.counters.recordsWritten += batch.length;
    this.counters.writeCount += 1;
    for (const record of batch) {
      this.writtenSeq = record.seq + 1;
      record.written.resolve();
    }
    this.maybeStartFsync();
  }

  /**
   * A failed write may have left part of the batch in the file: cut it back to where the batch
   * began, so no half record sits before later ones. ENOSPC fails this batch and everything
   * queued behind it (nothing acknowledged is touched; later appends may succeed); any other
   * write error, or a failed cut, is fatal.
   */
  private async undoWrite(batch: QueuedRecord[], position: number, cause: unknown): Promise<void> {
    let error: DiskLogError;
    try {
      await this.active.file.truncate(position);
      error = isDiskFullErrno(cause)
        ? new DiskLogError('disk_full', `no space left on the device of ${this.options.dir}`, {}, { cause })
        : new DiskLogError('io_failed', `write to ${this.activePath()} failed`, {}, { cause });
    } catch (truncateError) {
      const message = `could not cut a failed write in ${this.activePath()}`;
      error = new DiskLogError('io_failed', message, {}, { cause: truncateError });
    }
    for (const record of batch) record.written.reject(error);
    if (error.fatal) this.fail(error);
    else this.rejectQueued(error);
  }

  /** Fails everything not yet written; seqs are given again from the last written record. */
  private rejectQueued(error: DiskLogError): void {
    for (const item of this.queue.splice(0)) {
      if (item.kind === 'roll') item.done.reject(error);
      else item.written.reject(error);
    }
    this.queuedBytes = 0;
    this.nextSeq = this.writtenSeq;
    this.waiters.clampTo(this.nextSeq);
    this.settleDurable();
    this.maybeStartFsync();
  }

  /**
   * Closes the full segment and starts the next. The old one is fsynced first, in every mode, so
   * only the last segment can ever have a torn tail; the new name is fsynced into the directory.
   */
  private async roll(): Promise<void> {
    const { fs, dir } = this.options;
    if (this.active.sizeBytes === 0) return;
    const firstSeq = this.writtenSeq;
    this.rolling = true;
    try {
      await this.fsyncing;
      await syncOrFail(() => this.active.file.sync(), this.activePath());
      this.recordFsync(firstSeq);
      let file: LogFile;
      try {
        file = await fs.open(join(dir, segmentFileName(firstSeq)), 'create-exclusive');
      } catch (error) {
        if (!isDiskFullErrno(error))
          throw new DiskLogError('io_failed', `could not create a segment`, {}, { cause: error });
        throw new DiskLogError('disk_full', `no space left for a new segment in ${dir}`, {}, { cause: error });
      }
      await syncOrFail(() => fs.syncDir(dir), dir).catch(async (error: unknown) => {
        await file.close();
        throw error;
      });
      await this.active.file.close();
      this.active = { firstSeq, file, sizeBytes: 0 };
      this.segments.push({ firstSeq, recordCount: 0, sizeBytes: 0 });
    } catch (error) {
      this.rethrowFailingIfFatal(error);
    } finally {
      this.rolling = false;
    }
    this.maybeStartFsync();
  }

  private async deleteCovered(coversSeq: number): Promise<void> {
    const { fs, dir } = this.options;
    for (
      let segment = this.segments[0];
      segment && this.segments.length > 1 && segment.firstSeq < coversSeq;
      segment = this.segments[0]
    ) {
      this.segments.shift();
      await fs.unlink(join(dir, segmentFileName(segment.firstSeq)));
      this.counters.logBytesOnDisk -= segment.sizeBytes;
    }
    if (this.snapshotCoversSeq !== undefined && this.snapshotCoversSeq !== coversSeq) {
      await fs.unlink(join(dir, snapshotFileName(this.snapshotCoversSeq)));
    }
    this.snapshotCoversSeq = coversSeq;
    await syncOrFail(() => fs.syncDir(dir), dir);
  }

  /** Group commit: an fsync starts when records wait for one and none is running; it covers all written so far. */
  private maybeStartFsync(): void {
    if (this.fsyncing || this.rolling || this.failure || this.writtenSeq <= this.durableSeq) return;
    if (this.options.fsync === 'always' || this.waiters.fsyncWanted(this.durableSeq)) this.startFsync();
  }

  private startFsync(): void {
    const target = this.writtenSeq;
    const file = this.active.file;
    const path = this.activePath();
    this.fsyncing = syncOrFail(() => file.sync(), path)
      .then(
        () => this.recordFsync(target),
        (error: DiskLogError) => this.fail(error),
      )
      .finally(() => {
        this.fsyncing = undefined;
        this.maybeStartFsync();
      });
  }

  private scheduleBatchFsync(): void {
    this.batchTimer = this.options.clock.setTimeout(() => {
      this.batchTimer = undefined;
      if (this.failure || this.closing) return;
      if (!this.fsyncing && !this.rolling && this.writtenSeq > this.durableSeq) this.startFsync();
      this.scheduleBatchFsync();
    }, this.options.fsyncIntervalMs);
  }

  private recordFsync(targetSeq: number): void {
    const covered = targetSeq - this.durableSeq;
    if (covered <= 0) return;
    this.counters.fsyncCount += 1;
    this.counters.recordsFsynced += covered;
    this.counters.recordsPerFsyncLast = covered;
    this.counters.recordsPerFsyncMax = Math.max(this.counters.recordsPerFsyncMax, covered);
    this.durableSeq = targetSeq;
    this.settleDurable();
  }

  private settleDurable(): void {
    this.waiters.settle(this.durableSeq);
  }

  /** A fatal error: everything waiting fails with it, and the log refuses all from now on. */
  /** Rethrows `error`, failing the log first if it is fatal (what is on disk is then no longer known). */
  private rethrowFailingIfFatal(error: unknown): never {
    if (error instanceof DiskLogError && error.fatal) this.fail(error);
    throw error;
  }

  private fail(error: DiskLogError): void {
    if (this.failure) return;
    this.failure = error;
    this.rejectQueued(error);
    this.waiters.rejectAll(error);
    if (this.batchTimer !== undefined) this.options.clock.clearTimeout(this.batchTimer);
  }

  private activePath(): string {
    return join(this.options.dir, segmentFileName(this.active.firstSeq));
  }
}

/** The state of the segment being appended to: the last one, and the log always has one. */
function activeSegmentState(segments: SegmentState[]): SegmentState {
  const state = segments.at(-1);
  if (state === undefined) throw new Error('disk log invariant broken: no segment to append to');
  return state;
}
