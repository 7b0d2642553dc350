import { decodeFrame, type DecodedFrame } from './frame';
import type { LogFile } from './file-system';

/** The read buffer's starting size; it grows only as far as one frame needs (at most `maxRecordBytes` + header). */
export const READ_CHUNK_BYTES = 64 * 1024;

export interface FrameAt {
  /** Byte offset of the frame in the file. */
  offset: number;
  frame: DecodedFrame;
}

/**
 * Reads the frames of one file from `fromOffset` up to `endOffset`, one at a time, with a
 * buffer bounded by the largest frame allowed. Stops after the first bad frame (yielded, so the
 * caller decides whether it is a torn tail or damage). A payload yielded is only valid until the
 * next frame is read: parse or copy it first.
 */
export async function* readFrames(
  file: LogFile,
  fromOffset: number,
  endOffset: number,
  maxRecordBytes: number,
): AsyncGenerator<FrameAt> {
  let buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  let start = 0; // first unread byte in buffer
  let end = 0; // end of the valid bytes in buffer
  let fileOffset = fromOffset; // file offset of buffer[end]
  for (;;) {
    const available = buffer.subarray(start, end);
    const frame = decodeFrame(available, maxRecordBytes);
    const frameOffset = fileOffset - (end - start);
    if (frame.ok) {
      yield { offset: frameOffset, frame };
      start += frame.frameBytes;
      continue;
    }
    if (frame.problem !== 'truncated' || fileOffset >= endOffset) {
      if (available.length > 0) yield { offset: frameOffset, frame };
      return;
    }
    // The frame continues past the buffer: keep its bytes, grow if one frame needs more, read on.
    const needBytes = frame.frameBytes ?? READ_CHUNK_BYTES;
    if (needBytes > buffer.length) {
      const bigger = Buffer.allocUnsafe(needBytes);
      available.copy(bigger);
      buffer = bigger;
    } else {
      available.copy(buffer);
    }
    end = available.length;
    start = 0;
    const bytesRead = await file.read(buffer, end, Math.min(buffer.length - end, endOffset - fileOffset), fileOffset);
    if (bytesRead === 0) {
      yield { offset: frameOffset, frame };
      return;
    }
    end += bytesRead;
    fileOffset += bytesRead;
  }
}
