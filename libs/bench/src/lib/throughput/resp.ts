/**
 * Just enough of Redis' wire protocol (RESP2) for the throughput benchmark: commands out as
 * arrays of bulk strings, replies in as they arrive, split across packets or many in one. Pure:
 * bytes in, values out; the socket lives in redis-connection.ts.
 */

export type RespValue = string | number | null | RespError | RespValue[];

export class RespError {
  constructor(readonly message: string) {}
}

export function encodeCommand(args: readonly (string | number)[]): Buffer {
  let text = `*${args.length}\r\n`;
  for (const arg of args) {
    const s = String(arg);
    text += `$${Buffer.byteLength(s)}\r\n${s}\r\n`;
  }
  return Buffer.from(text);
}

/** Not enough bytes yet for a whole reply. */
const INCOMPLETE = Symbol('incomplete');
type Parsed = { value: RespValue; end: number } | typeof INCOMPLETE;

/** Incremental reply parser: `push` bytes as they arrive, get back every reply they complete. */
export class RespParser {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): RespValue[] {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const replies: RespValue[] = [];
    let offset = 0;
    for (;;) {
      const parsed = parseAt(this.buffer, offset);
      if (parsed === INCOMPLETE) break;
      replies.push(parsed.value);
      offset = parsed.end;
    }
    this.buffer = this.buffer.subarray(offset);
    return replies;
  }
}

function parseAt(buf: Buffer, offset: number): Parsed {
  if (offset >= buf.length) return INCOMPLETE;
  const lineEnd = buf.indexOf('\r\n', offset);
  if (lineEnd < 0) return INCOMPLETE;
  const type = String.fromCharCode(buf[offset] as number);
  const line = buf.toString('utf8', offset + 1, lineEnd);
  const next = lineEnd + 2;
  switch (type) {
    case '+':
      return { value: line, end: next };
    case '-':
      return { value: new RespError(line), end: next };
    case ':':
      return { value: Number(line), end: next };
    case '$': {
      const length = Number(line);
      if (length < 0) return { value: null, end: next };
      if (buf.length < next + length + 2) return INCOMPLETE;
      return { value: buf.toString('utf8', next, next + length), end: next + length + 2 };
    }
    case '*': {
      const count = Number(line);
      if (count < 0) return { value: null, end: next };
      const items: RespValue[] = [];
      let end = next;
      for (let i = 0; i < count; i++) {
        const item = parseAt(buf, end);
        if (item === INCOMPLETE) return INCOMPLETE;
        items.push(item.value);
        end = item.end;
      }
      return { value: items, end };
    }
    default:
      throw new Error(`not a RESP reply: type byte ${JSON.stringify(type)}`);
  }
}
