/**
 * The size of entries and stored values in bytes, as the wire carries them: the UTF-8 length
 * of their JSON. Memory bounds (MAX_LOG_BYTES, MAX_STORE_BYTES) and catch-up batch bounds are
 * counted in these bytes. Each entry is measured once; the measure is remembered beside it.
 */
import type { Entry, JsonValue } from './wire';

/** What an entry carries besides its key and value: lsn, epoch, op, leaderTimeMs and the field names, at their longest. */
export const ENTRY_OVERHEAD_BYTES = 128;

/**
 * Where an entry's measure is kept: a non-enumerable symbol property of the entry itself, which
 * JSON, spreads and deep equality all skip. Not a WeakMap: every live key of a WeakMap costs each
 * young-generation GC an ephemeron pass, and every entry of the log is live: the WeakMap cost the
 * store ~7% of its writes per second at W=3 (alternated runs, README "Throughput"). Entries that
 * cannot take a property (frozen) fall back to one.
 */
const BYTES = Symbol('entryBytes');
type Measured = Entry & { [BYTES]?: number };
const measuredFrozen = new WeakMap<Entry, number>();

function recall(entry: Entry): number | undefined {
  return (entry as Measured)[BYTES] ?? measuredFrozen.get(entry);
}

function remember(entry: Entry, bytes: number): void {
  if (Object.isExtensible(entry)) Object.defineProperty(entry, BYTES, { value: bytes, writable: true });
  else measuredFrozen.set(entry, bytes);
}

/** UTF-8 length of `text` without encoding it. */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) bytes += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        bytes += 2; // a surrogate pair: 2 UTF-16 units, 4 UTF-8 bytes
        i++;
      } else bytes += 2;
    } else bytes += 2;
  }
  return bytes;
}

/** Bytes of `value` written as JSON. */
export function jsonBytes(value: JsonValue): number {
  return utf8Length(JSON.stringify(value));
}

/** Bytes a put of `value` at `key` takes in the log, on the wire and in the store. */
export function putBytes(key: string, valueBytes: number): number {
  return ENTRY_OVERHEAD_BYTES + utf8Length(key) + valueBytes;
}

/** Bytes of `entry` on the wire (remembered after the first call). */
export function entryBytes(entry: Entry): number {
  let bytes = recall(entry);
  if (bytes === undefined) {
    if (entry.op === 'put') bytes = putBytes(entry.key, jsonBytes(entry.value));
    else if (entry.op === 'delete') bytes = ENTRY_OVERHEAD_BYTES + utf8Length(entry.key);
    else bytes = ENTRY_OVERHEAD_BYTES; // a noop carries no key
    remember(entry, bytes);
  }
  return bytes;
}

/** Records a measure taken before the entry existed, so it is not taken again. */
export function rememberEntryBytes(entry: Entry, bytes: number): void {
  remember(entry, bytes);
}
