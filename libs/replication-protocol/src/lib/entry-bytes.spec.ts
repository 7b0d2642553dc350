import fc from 'fast-check';
import { ENTRY_OVERHEAD_BYTES, entryBytes, jsonBytes, rememberEntryBytes, utf8Length } from './entry-bytes';
import type { Entry, JsonValue } from './wire';

describe('utf8Length', () => {
  it('equals the length of the UTF-8 encoding for any string, lone surrogates included', () => {
    // Lone surrogates encode as U+FFFD (3 bytes), which is what a JSON body would carry.
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(utf8Length(text)).toBe(new TextEncoder().encode(text).length);
      }),
      { seed: 7, numRuns: 200 },
    );
  });
});

describe('entryBytes', () => {
  test.each([
    { why: 'a put counts its key and its value as JSON', entry: put('k', 'abc'), bytes: ENTRY_OVERHEAD_BYTES + 1 + 5 },
    { why: 'a delete counts its key only', entry: del('key'), bytes: ENTRY_OVERHEAD_BYTES + 3 },
    { why: 'multi-byte characters count as bytes', entry: put('k', 'é'), bytes: ENTRY_OVERHEAD_BYTES + 1 + 4 },
  ])('$why', ({ entry, bytes }) => {
    expect(entryBytes(entry)).toBe(bytes);
  });

  it('is never less than the JSON of the entry itself', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const entry = put('key', JSON.parse(JSON.stringify(value)));
        expect(entryBytes(entry)).toBeGreaterThanOrEqual(new TextEncoder().encode(JSON.stringify(entry)).length);
      }),
      { seed: 8, numRuns: 300 },
    );
  });

  it('keeps its measure out of sight: JSON, spreads, keys and deep equality see the entry unchanged', () => {
    const entry = put('k', { a: [1, 'b'] });
    const before = JSON.stringify(entry);
    entryBytes(entry);
    expect(JSON.stringify(entry)).toBe(before);
    expect(Object.keys(entry)).toEqual(['lsn', 'epoch', 'op', 'key', 'value', 'leaderTimeMs']);
    expect({ ...entry }).toStrictEqual(put('k', { a: [1, 'b'] }));
    expect(entry).toStrictEqual(put('k', { a: [1, 'b'] }));
  });

  it('measures once: a remembered measure is what it answers, a frozen entry included', () => {
    const entry = put('k', 'abc');
    rememberEntryBytes(entry, 1234);
    expect(entryBytes(entry)).toBe(1234);
    const frozen = Object.freeze(put('k', 'abc'));
    expect(entryBytes(frozen)).toBe(ENTRY_OVERHEAD_BYTES + 1 + 5);
    rememberEntryBytes(frozen, 99);
    expect(entryBytes(frozen)).toBe(99);
  });

  it('jsonBytes is the UTF-8 length of the JSON', () => {
    expect(jsonBytes({ a: 'é' })).toBe(new TextEncoder().encode('{"a":"é"}').length);
  });
});

function put(key: string, value: JsonValue): Entry {
  return {
    lsn: 9007199254740991,
    epoch: 9007199254740991,
    op: 'put',
    key,
    value,
    leaderTimeMs: -1.7976931348623157e308,
  };
}

function del(key: string): Entry {
  return { lsn: 1, epoch: 1, op: 'delete', key, leaderTimeMs: 1 };
}
