import { join } from 'node:path';
import { DiskLogError } from './errors';
import type { LogFile, LogFileSystem } from './file-system';
import { classifyFileNames, segmentFileName, snapshotFileName, SNAPSHOT_TEMP_FILE } from './file-names';
import { decodeFrame, FRAME_HEADER_BYTES, FrameKind, parsePayload, type FrameProblem } from './frame';
import { readFrames } from './frame-reader';

export type RepairMode = 'none' | 'truncate';

/** Something open found and handled; the node logs it at warn. */
export interface DiskLogWarning {
  event: 'torn_tail' | 'repaired' | 'stale_lock' | 'leftover_file';
  message: string;
  file: string;
  offsetBytes?: number;
  droppedBytes?: number;
  droppedRecords?: number;
  problem?: FrameProblem | 'missing_records';
}

export interface SegmentState {
  firstSeq: number;
  recordCount: number;
  sizeBytes: number;
}

export interface RecoveredState {
  /** The snapshot to load first, if any: it covers every record with seq < `coversSeq`. */
  snapshot: { coversSeq: number; header: unknown; itemCount: number } | undefined;
  /** Segments left after the scan, oldest first; the last one is appended to. */
  segments: SegmentState[];
  /** Where replay starts: records with a lower seq are in the snapshot. */
  replayFromSeq: number;
}

export interface RecoveryOptions {
  fs: LogFileSystem;
  dir: string;
  maxRecordBytes: number;
  segmentBytes: number;
  repair: RepairMode;
  onWarn: (warning: DiskLogWarning) => void;
}

/**
 * Scans the directory at open, without keeping records in memory: verifies the newest
 * snapshot whole, every segment frame by frame, and that the seqs run on without a hole.
 *
 * A bad frame in the last segment with no good frame after it is a torn tail (a write cut by
 * a crash, or garbage after it): it is reported and cut off. Any other bad frame is damage: open
 * fails with one message, unless `repair: 'truncate'` cuts the log there (redis-check-aof --fix)
 * and reports what went. Nothing past a cut is ever returned.
 */
export async function recoverDataDir(options: RecoveryOptions): Promise<RecoveredState> {
  const { fs, dir } = options;
  await fs.mkdir(dir);
  const listing = classifyFileNames(await fs.readdir(dir));
  if (listing.hasSnapshotTemp) {
    await fs.unlink(join(dir, SNAPSHOT_TEMP_FILE));
    options.onWarn({
      event: 'leftover_file',
      file: join(dir, SNAPSHOT_TEMP_FILE),
      message: 'deleted a snapshot that was being written when the node stopped',
    });
  }
  const snapshot = await verifyNewestSnapshot(options, listing.snapshotSeqs);
  const replayFromSeq = snapshot?.coversSeq ?? 0;
  for (const older of listing.snapshotSeqs.filter((seq) => seq !== replayFromSeq)) {
    await fs.unlink(join(dir, snapshotFileName(older)));
  }
  const segmentSeqs = await deleteCoveredSegments(options, listing.segmentSeqs, replayFromSeq);
  let segments = await scanSegments(options, segmentSeqs, replayFromSeq);
  const last = segments[segments.length - 1];
  if (last && last.firstSeq + last.recordCount < replayFromSeq) {
    // Every record left is older than the snapshot (a repair cut into what it covers): appending
    // after them would give new records seqs the snapshot claims, and replay would skip them.
    for (const segment of segments) await fs.unlink(join(dir, segmentFileName(segment.firstSeq)));
    segments = [];
  }
  await fs.syncDir(dir);
  return { snapshot, segments, replayFromSeq };
}

async function verifyNewestSnapshot(
  options: RecoveryOptions,
  snapshotSeqs: number[],
): Promise<RecoveredState['snapshot']> {
  const coversSeq = snapshotSeqs.at(-1);
  if (coversSeq === undefined) return undefined;
  const path = join(options.dir, snapshotFileName(coversSeq));
  const damaged = (why: string) =>
    new DiskLogError('snapshot_corrupt', `snapshot ${path} is damaged (${why}); it cannot be repaired here`, {
      file: path,
    });
  const file = await options.fs.open(path, 'read');
  try {
    let header: unknown;
    let itemCount = 0;
    let index = 0;
    for await (const { offset, frame } of readFrames(file, 0, await file.sizeBytes(), options.maxRecordBytes)) {
      if (!frame.ok) throw damaged(`${frame.problem} at byte ${offset}`);
      if (index === 0) {
        if (frame.kind !== FrameKind.SnapshotHeader) throw damaged('no header');
        const parsed = parsePayload(frame.payload) as { coversSeq: number; header: unknown };
        if (parsed.coversSeq !== coversSeq) throw damaged(`header says seq ${parsed.coversSeq}`);
        header = parsed.header;
      } else if (frame.kind === FrameKind.SnapshotItem) {
        itemCount += 1;
      } else if (frame.kind === FrameKind.SnapshotEnd) {
        const end = parsePayload(frame.payload) as { itemCount: number };
        if (end.itemCount !== itemCount) throw damaged(`${itemCount} items, the end says ${end.itemCount}`);
        return { coversSeq, header, itemCount };
      } else {
        throw damaged(`unexpected frame at byte ${offset}`);
      }
      index += 1;
    }
    throw damaged('no end record');
  } finally {
    await file.close();
  }
}

/** Segments whose every record the snapshot covers are deleted (a crash may have left them). */
async function deleteCoveredSegments(options: RecoveryOptions, seqs: number[], replayFromSeq: number) {
  const covered = seqs.filter((_seq, i) => (seqs[i + 1] ?? Infinity) <= replayFromSeq);
  for (const seq of covered) await options.fs.unlink(join(options.dir, segmentFileName(seq)));
  return seqs.slice(covered.length);
}

interface Damage {
  segmentIndex: number;
  /** The first seq of the damaged segment: its file name. */
  segmentSeq: number;
  offsetBytes: number;
  problem: FrameProblem | 'missing_records';
}

async function scanSegments(
  options: RecoveryOptions,
  segmentSeqs: number[],
  replayFromSeq: number,
): Promise<SegmentState[]> {
  const firstSeq = segmentSeqs[0];
  if (firstSeq !== undefined && firstSeq > replayFromSeq) {
    const path = join(options.dir, segmentFileName(firstSeq));
    throw new DiskLogError(
      'log_corrupt',
      `records ${replayFromSeq}..${firstSeq - 1} are missing before ${path}: the log has a hole and will not open`,
      { file: path },
    );
  }
  const segments: SegmentState[] = [];
  for (const [i, seq] of segmentSeqs.entries()) {
    const nextSegmentSeq = segmentSeqs[i + 1];
    const isLast = nextSegmentSeq === undefined;
    const scanned = await scanSegment(options, seq, isLast);
    segments.push(scanned.segment);
    let damage: Damage | undefined =
      scanned.damageAt === undefined ? undefined : { segmentIndex: i, segmentSeq: seq, ...scanned.damageAt };
    const nextSeq = scanned.segment.firstSeq + scanned.segment.recordCount;
    if (!damage && !isLast && nextSegmentSeq !== nextSeq) {
      damage = { segmentIndex: i + 1, segmentSeq: nextSegmentSeq, offsetBytes: 0, problem: 'missing_records' };
    }
    if (damage) {
      await handleDamage(options, segmentSeqs, segments, damage);
      break;
    }
  }
  return segments;
}

interface ScannedSegment {
  segment: SegmentState;
  /** Where damage (not a torn tail, which is cut here) starts. */
  damageAt?: { offsetBytes: number; problem: FrameProblem };
}

async function scanSegment(options: RecoveryOptions, firstSeq: number, isLast: boolean): Promise<ScannedSegment> {
  const path = join(options.dir, segmentFileName(firstSeq));
  const file = await options.fs.open(path, 'read-write');
  try {
    const fileBytes = await file.sizeBytes();
    let recordCount = 0;
    for await (const { offset, frame } of readFrames(file, 0, fileBytes, options.maxRecordBytes)) {
      const problem = frame.ok ? (frame.kind === FrameKind.Record ? undefined : 'bad_kind') : frame.problem;
      if (problem === undefined) {
        recordCount += 1;
        continue;
      }
      const segment = { firstSeq, recordCount, sizeBytes: offset };
      const tornTail =
        isLast && (problem === 'truncated' || !(await anyGoodFrameAfter(options, file, offset, fileBytes)));
      if (!tornTail) return { segment, damageAt: { offsetBytes: offset, problem } };
      await file.truncate(offset);
      await file.sync();
      options.onWarn({
        event: 'torn_tail',
        file: path,
        offsetBytes: offset,
        droppedBytes: fileBytes - offset,
        problem,
        message: `cut a torn tail of ${fileBytes - offset} bytes (${problem}) at byte ${offset} of ${path}`,
      });
      return { segment };
    }
    return { segment: { firstSeq, recordCount, sizeBytes: fileBytes } };
  } finally {
    await file.close();
  }
}

/**
 * Whether a good frame starts anywhere after a bad one in the last segment: then the bad one is
 * damage in the middle, not a torn tail. The rest of the last segment is at most a segment and a
 * record long, so reading it is bounded; a longer rest is not a tail this log wrote.
 */
async function anyGoodFrameAfter(options: RecoveryOptions, file: LogFile, badOffset: number, fileBytes: number) {
  const restBytes = fileBytes - badOffset - 1;
  if (restBytes > options.segmentBytes + options.maxRecordBytes + FRAME_HEADER_BYTES + 1) return true;
  const rest = Buffer.allocUnsafe(Math.max(0, restBytes));
  let filled = 0;
  while (filled < rest.length) {
    const bytesRead = await file.read(rest, filled, rest.length - filled, badOffset + 1 + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  for (let at = 0; at + FRAME_HEADER_BYTES < filled; at += 1) {
    if (decodeFrame(rest.subarray(at, filled), options.maxRecordBytes).ok) return true;
  }
  return false;
}

async function handleDamage(options: RecoveryOptions, segmentSeqs: number[], segments: SegmentState[], damage: Damage) {
  const damagedPath = join(options.dir, segmentFileName(damage.segmentSeq));
  const dropped = await countFromDamage(options, segmentSeqs, damage);
  const where = `${damagedPath} at byte ${damage.offsetBytes} (${damage.problem})`;
  if (options.repair !== 'truncate') {
    throw new DiskLogError(
      'log_corrupt',
      `damaged record in ${where}, ${dropped.records} records and ${dropped.bytes} bytes before the end; ` +
        `the log will not open on a guess: restore the directory, or start with REPAIR=truncate to cut the log there`,
      { file: damagedPath, offsetBytes: damage.offsetBytes, problem: damage.problem, droppedRecords: dropped.records },
    );
  }
  const insideScannedSegment = damage.segmentIndex < segments.length;
  if (insideScannedSegment) {
    const file = await options.fs.open(damagedPath, 'read-write');
    try {
      await file.truncate(damage.offsetBytes);
      await file.sync();
    } finally {
      await file.close();
    }
  }
  // The damaged segment, cut, stays as the one to append to; every later one goes.
  for (const seq of segmentSeqs.slice(damage.segmentIndex + (insideScannedSegment ? 1 : 0))) {
    await options.fs.unlink(join(options.dir, segmentFileName(seq)));
  }
  options.onWarn({
    event: 'repaired',
    file: damagedPath,
    offsetBytes: damage.offsetBytes,
    droppedRecords: dropped.records,
    droppedBytes: dropped.bytes,
    problem: damage.problem,
    message: `REPAIR=truncate cut the log at ${where}: ${dropped.records} records (${dropped.bytes} bytes) went`,
  });
}

/**
 * What a cut at the damage drops: the frames from there on, walked by their declared lengths
 * (a damaged frame with a readable length counts as one), and every later segment's frames.
 */
async function countFromDamage(options: RecoveryOptions, segmentSeqs: number[], damage: Damage) {
  let records = 0;
  let bytes = 0;
  for (const [i, seq] of segmentSeqs.entries()) {
    if (i < damage.segmentIndex) continue;
    const file = await options.fs.open(join(options.dir, segmentFileName(seq)), 'read');
    try {
      const fileBytes = await file.sizeBytes();
      let offset = i === damage.segmentIndex ? damage.offsetBytes : 0;
      bytes += fileBytes - offset;
      while (offset < fileBytes) {
        let next: number | undefined;
        for await (const scanned of readFrames(file, offset, fileBytes, options.maxRecordBytes)) {
          records += 1;
          next = scanned.frame.frameBytes === undefined ? undefined : scanned.offset + scanned.frame.frameBytes;
          if (!scanned.frame.ok) break;
        }
        if (next === undefined || next <= offset || next > fileBytes) break; // no length to walk on
        offset = next;
      }
    } finally {
      await file.close();
    }
  }
  return { records, bytes };
}
