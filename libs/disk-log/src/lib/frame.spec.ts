import { crc32 } from 'node:zlib';
import { decodeFrame, encodeFrame, encodeJsonFrame, FRAME_OVERHEAD_BYTES, FrameKind, parsePayload } from './frame';

const MAX_RECORD_BYTES = 1024;

describe('frame encoding', () => {
  it('uses CRC-32 (IEEE), whose check value for "123456789" is 0xCBF43926', () => {
    expect(crc32('123456789')).toBe(0xcbf43926);
  });

  const values: { name: string; value: unknown }[] = [
    { name: 'a number', value: 42 },
    { name: 'a string with non-ASCII characters (UTF-8 bytes counted, not characters)', value: 'ключ ✓ 🔑' },
    {
      name: 'a log entry as the nodes will write it',
      value: { epoch: 3, lsn: 17, key: 'k1', value: { a: [1, null] } },
    },
    { name: 'null, a JSON value like any other', value: null },
    { name: 'an empty object', value: {} },
  ];
  it.each(values)('round-trips $name', ({ value }) => {
    const frame = encodeJsonFrame(FrameKind.Record, value);
    const decoded = decodeFrame(frame, MAX_RECORD_BYTES);
    expect(decoded.ok).toBe(true);
    if (!decoded.ok) return;
    expect(decoded.kind).toBe(FrameKind.Record);
    expect(decoded.frameBytes).toBe(frame.length);
    expect(parsePayload(decoded.payload)).toEqual(value);
  });

  it('refuses undefined, which has no JSON form', () => {
    expect(() => encodeJsonFrame(FrameKind.Record, undefined)).toThrow(TypeError);
  });

  it('decodes only the first frame of several and says how long it was', () => {
    const first = encodeJsonFrame(FrameKind.Record, 'first');
    const both = Buffer.concat([first, encodeJsonFrame(FrameKind.Record, 'second')]);
    const decoded = decodeFrame(both, MAX_RECORD_BYTES);
    expect(decoded.ok && parsePayload(decoded.payload)).toBe('first');
    expect(decoded.frameBytes).toBe(first.length);
  });
});

describe('frame damage', () => {
  const good = encodeJsonFrame(FrameKind.Record, { epoch: 1, lsn: 1, key: 'k', value: 'v' });
  const damaged = (change: (frame: Buffer) => Buffer) => change(Buffer.from(good));
  const withLength = (length: number) =>
    damaged((frame) => {
      frame.writeUInt32LE(length, 0);
      return frame;
    });
  const flip = (offset: number) =>
    damaged((frame) => {
      frame.writeUInt8(frame.readUInt8(offset) ^ 0x01, offset);
      return frame;
    });

  const cases: { name: string; bytes: Buffer; problem: string }[] = [
    { name: 'no bytes: nothing written yet', bytes: Buffer.alloc(0), problem: 'truncated' },
    { name: 'half a header: a write cut early', bytes: good.subarray(0, 5), problem: 'truncated' },
    {
      name: 'the header and half the payload: a torn write',
      bytes: good.subarray(0, good.length - 3),
      problem: 'truncated',
    },
    { name: 'length 0: zeros a crash left at the end of a file', bytes: Buffer.alloc(16), problem: 'bad_length' },
    {
      name: 'a length over maxRecordBytes: never allocated, damage',
      bytes: withLength(MAX_RECORD_BYTES + 2),
      problem: 'bad_length',
    },
    { name: 'a payload bit flipped', bytes: flip(FRAME_OVERHEAD_BYTES + 3), problem: 'bad_checksum' },
    { name: 'a checksum bit flipped', bytes: flip(5), problem: 'bad_checksum' },
    {
      name: 'a length bit flipped: the checksum covers the length',
      bytes: withLength(good.length - 9),
      problem: 'bad_checksum',
    },
    { name: 'an unknown kind byte', bytes: flip(8).fill(0x7f, 8, 9), problem: 'bad_kind' },
    {
      name: 'a known kind in place of another: the checksum covers the kind',
      bytes: damaged((frame) => frame.fill(FrameKind.SnapshotItem, 8, 9)),
      problem: 'bad_checksum',
    },
  ];
  it.each(cases)('$name → $problem', ({ bytes, problem }) => {
    const decoded = decodeFrame(bytes, MAX_RECORD_BYTES);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.problem).toBe(problem);
  });

  it('reports a truncated frame with its declared size once the header is whole, so a reader knows what to read', () => {
    const frame = encodeFrame(FrameKind.Record, Buffer.from('"abcdef"'));
    const decoded = decodeFrame(frame.subarray(0, 10), MAX_RECORD_BYTES);
    expect(decoded).toEqual({ ok: false, problem: 'truncated', frameBytes: frame.length });
  });
});
