import { crc32 } from 'node:zlib';

/**
 * One record on disk is a frame:
 *
 *   offset 0  u32 LE  length of the body (kind byte + payload), in bytes
 *   offset 4  u32 LE  CRC-32 (IEEE, node:zlib) of the 4 length bytes, then of the body
 *   offset 8  u8      kind (what the payload is; a frame of another kind in a file is damage)
 *   offset 9  ...     payload: UTF-8 JSON
 *
 * The checksum covers the length too, so a flipped length bit is caught like a flipped payload
 * bit. A frame longer than the reader's `maxRecordBytes` is damage, not a reason to allocate.
 */
export const FRAME_HEADER_BYTES = 8;
/** Header and kind byte: a frame is this much longer than its payload. */
export const FRAME_OVERHEAD_BYTES = FRAME_HEADER_BYTES + 1;

export enum FrameKind {
  Record = 1,
  SnapshotHeader = 2,
  SnapshotItem = 3,
  SnapshotEnd = 4,
}

export function encodeFrame(kind: FrameKind, payload: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + 1 + payload.length);
  frame.writeUInt32LE(1 + payload.length, 0);
  frame.writeUInt8(kind, FRAME_HEADER_BYTES);
  payload.copy(frame, FRAME_HEADER_BYTES + 1);
  frame.writeUInt32LE(frameChecksum(frame, 1 + payload.length), 4);
  return frame;
}

/** JSON in a frame. `undefined` is refused: it has no JSON form and would read back as something else. */
export function encodeJsonFrame(kind: FrameKind, value: unknown): Buffer {
  const json = JSON.stringify(value);
  if (json === undefined)
    throw new TypeError('a record must be a JSON value (undefined, functions and symbols are not)');
  return encodeFrame(kind, Buffer.from(json, 'utf8'));
}

function frameChecksum(frame: Buffer, bodyBytes: number): number {
  return crc32(frame.subarray(FRAME_HEADER_BYTES, FRAME_HEADER_BYTES + bodyBytes), crc32(frame.subarray(0, 4)));
}

export type FrameProblem = 'truncated' | 'bad_length' | 'bad_checksum' | 'bad_kind' | 'bad_json';

export type DecodedFrame =
  | { ok: true; kind: FrameKind; payload: Buffer; frameBytes: number }
  | { ok: false; problem: FrameProblem; frameBytes: number | undefined };

/**
 * Decodes the frame at the start of `bytes`. `truncated` means the bytes end inside the frame
 * (a torn write, or the caller must read more); `frameBytes` is then the frame's declared size
 * when the header is whole, so a reader knows how much more to read.
 */
export function decodeFrame(bytes: Buffer, maxRecordBytes: number): DecodedFrame {
  if (bytes.length < FRAME_HEADER_BYTES) return { ok: false, problem: 'truncated', frameBytes: undefined };
  const bodyBytes = bytes.readUInt32LE(0);
  if (bodyBytes < 1 || bodyBytes > maxRecordBytes + 1) {
    return { ok: false, problem: 'bad_length', frameBytes: undefined };
  }
  const frameBytes = FRAME_HEADER_BYTES + bodyBytes;
  if (bytes.length < frameBytes) return { ok: false, problem: 'truncated', frameBytes };
  // The kind byte first: it is one read, and it rejects most garbage before a checksum is computed.
  const kind = bytes.readUInt8(FRAME_HEADER_BYTES);
  if (!(kind in FrameKind)) return { ok: false, problem: 'bad_kind', frameBytes };
  if (frameChecksum(bytes, bodyBytes) !== bytes.readUInt32LE(4)) {
    return { ok: false, problem: 'bad_checksum', frameBytes };
  }
  return { ok: true, kind, payload: bytes.subarray(FRAME_HEADER_BYTES + 1, frameBytes), frameBytes };
}

export function parsePayload(payload: Buffer): unknown {
  return JSON.parse(payload.toString('utf8'));
}
