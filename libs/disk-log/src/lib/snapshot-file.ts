import { join } from 'node:path';
import { DiskLogError, isDiskFullErrno } from './errors';
import type { LogFile, LogFileSystem } from './file-system';
import { snapshotFileName, SNAPSHOT_TEMP_FILE } from './file-names';
import { encodeJsonFrame, FRAME_OVERHEAD_BYTES, FrameKind, parsePayload } from './frame';
import { readFrames } from './frame-reader';

/** Frames are gathered up to this many bytes before one write: the snapshot never sits whole in memory. */
export const SNAPSHOT_WRITE_CHUNK_BYTES = 256 * 1024;

export interface SnapshotWriteOptions {
  fs: LogFileSystem;
  dir: string;
  coversSeq: number;
  maxRecordBytes: number;
  /** Called with the bytes of each write, for the counters. */
  onWrite: (bytes: number) => void;
}

/**
 * Writes a snapshot atomically, item by item: to `snapshot.tmp`, fsync, rename to its final
 * name, fsync the directory. A crash at any point leaves either the old state or the new one
 * (open deletes a leftover temp file). ENOSPC is `disk_full` and leaves no file behind; an
 * fsync error is `fsync_failed`.
 */
export async function writeSnapshotFile(
  options: SnapshotWriteOptions,
  header: unknown,
  items: Iterable<unknown> | AsyncIterable<unknown>,
): Promise<{ itemCount: number; sizeBytes: number }> {
  const { fs, dir } = options;
  const tempPath = join(dir, SNAPSHOT_TEMP_FILE);
  const file = await openTemp(fs, tempPath);
  let sizeBytes = 0;
  let itemCount = 0;
  let chunk: Buffer[] = [];
  let chunkBytes = 0;
  const writeChunk = async () => {
    const written = await file.writev(chunk, sizeBytes);
    if (written !== chunkBytes) throw Object.assign(new Error('short write'), { code: 'ENOSPC' });
    sizeBytes += chunkBytes;
    options.onWrite(chunkBytes);
    chunk = [];
    chunkBytes = 0;
  };
  const add = async (kind: FrameKind, value: unknown) => {
    const frame = encodeJsonFrame(kind, value);
    if (frame.length - FRAME_OVERHEAD_BYTES > options.maxRecordBytes) {
      throw new DiskLogError('record_too_large', `a snapshot item of ${frame.length} bytes is over maxRecordBytes`);
    }
    chunk.push(frame);
    chunkBytes += frame.length;
    if (chunkBytes >= SNAPSHOT_WRITE_CHUNK_BYTES) await writeChunk();
  };
  try {
    await add(FrameKind.SnapshotHeader, { coversSeq: options.coversSeq, header });
    for await (const item of items) {
      await add(FrameKind.SnapshotItem, item);
      itemCount += 1;
    }
    await add(FrameKind.SnapshotEnd, { itemCount });
    if (chunkBytes > 0) await writeChunk();
  } catch (error) {
    await file.close().catch(() => undefined);
    await fs.unlink(tempPath).catch(() => undefined);
    if (isDiskFullErrno(error)) {
      throw new DiskLogError('disk_full', `no space left for the snapshot in ${dir}`, {}, { cause: error });
    }
    throw error;
  }
  try {
    await syncOrFail(() => file.sync(), tempPath);
  } finally {
    await file.close();
  }
  const finalPath = join(dir, snapshotFileName(options.coversSeq));
  await fs.rename(tempPath, finalPath);
  await syncOrFail(() => fs.syncDir(dir), dir);
  return { itemCount, sizeBytes };
}

async function openTemp(fs: LogFileSystem, tempPath: string): Promise<LogFile> {
  await fs.unlink(tempPath).catch(() => undefined); // a failed earlier attempt's leftover
  return fs.open(tempPath, 'create-exclusive');
}

export async function syncOrFail(sync: () => Promise<void>, path: string): Promise<void> {
  try {
    await sync();
  } catch (error) {
    throw new DiskLogError(
      'fsync_failed',
      `fsync of ${path} failed: what is on disk is unknown, the node must stop`,
      { file: path },
      { cause: error },
    );
  }
}

/** The snapshot's items, one at a time. The file was verified at open; damage now is an I/O failure. */
export async function* readSnapshotItems(
  fs: LogFileSystem,
  dir: string,
  coversSeq: number,
  maxRecordBytes: number,
): AsyncGenerator<unknown> {
  const path = join(dir, snapshotFileName(coversSeq));
  const file = await fs.open(path, 'read');
  try {
    for await (const { offset, frame } of readFrames(file, 0, await file.sizeBytes(), maxRecordBytes)) {
      if (!frame.ok) {
        throw new DiskLogError('io_failed', `${path} changed after it was verified (${frame.problem} at ${offset})`);
      }
      if (frame.kind === FrameKind.SnapshotItem) yield parsePayload(frame.payload);
    }
  } finally {
    await file.close();
  }
}
