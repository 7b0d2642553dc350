import { SAMPLE_BATCH_REQUEST, SAMPLE_BATCH_RESPONSE, apiErrorOf } from '../testing';
import { ApiError } from './errors';
import { DEFAULT_LIMITS, WIRE_LIMITS } from './limits';
import {
  BatchRequestSchema,
  BatchResponseSchema,
  EntrySchema,
  MAX_ACK_BEYOND_LSNS,
  ReplicateRequestSchema,
  ReplicateResponseSchema,
  jsonDepth,
  parseKey,
  parseWriteBody,
} from './wire';

/** A value nested `depth` arrays deep around a scalar (depth 0 is the scalar). */
function nested(depth: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { v: value };
  return value;
}

describe('parseKey', () => {
  const maxKey = 'k'.repeat(DEFAULT_LIMITS.maxKeyLength);
  // Keys the workload and users write.
  test.each(['k0', 'k9', 'a', 'A_b.c:d~e-f', '0', maxKey])('accepts %p', (key) => {
    expect(parseKey(key)).toBe(key);
  });

  const invalid: Array<{ key: unknown; why: string }> = [
    { key: '', why: 'empty' },
    { key: maxKey + 'k', why: 'one over the length limit' },
    { key: 'a/b', why: 'a slash would change the route' },
    { key: 'ключ', why: 'non-ASCII letters' },
    { key: 'café', why: 'accented letter' },
    { key: '🔑', why: 'emoji (astral plane)' },
    { key: 'a b', why: 'inner space' },
    { key: ' k0', why: 'leading space' },
    { key: 'k0\n', why: 'trailing newline ($ must not match before it)' },
    { key: 'a%2Fb', why: 'percent sign' },
    { key: undefined, why: 'absent' },
    { key: 5, why: 'not a string' },
    { key: ['k0'], why: 'array from a repeated parameter' },
  ];
  // A refused key is a definite 400 naming the limit, and nothing is written.
  test.each(invalid)('rejects $key ($why)', ({ key }) => {
    const error = apiErrorOf(() => parseKey(key));
    expect(error.code).toBe('invalid_key');
    expect(error.definite).toBe(true);
    expect(error.toBody().maxKeyLength).toBe(DEFAULT_LIMITS.maxKeyLength);
  });
});

describe('jsonDepth', () => {
  const tests: Array<{ value: unknown; want: number }> = [
    // Scalars, including null, have no nesting.
    { value: 1, want: 0 },
    { value: null, want: 0 },
    { value: 'x', want: 0 },
    // An empty container is one level.
    { value: [], want: 1 },
    { value: {}, want: 1 },
    { value: [[1]], want: 2 },
    // The deepest branch counts, not the first one.
    { value: { a: 1, b: { c: [1] } }, want: 3 },
    { value: [1, [2, [3, [4]]], 5], want: 4 },
  ];
  test.each(tests)('jsonDepth($value) = $want', ({ value, want }) => {
    expect(jsonDepth(value, 64)).toBe(want);
  });

  it('stops counting past the limit', () => {
    // The check must be cheap on a hostile 100k-deep value: it returns just past the limit.
    expect(jsonDepth(nested(100_000), 64)).toBe(65);
  });
});

describe('parseWriteBody', () => {
  const accepted: Array<{ body: unknown; why: string }> = [
    { body: { value: null }, why: 'null is a value (not a delete)' },
    { body: { value: false }, why: 'falsy scalar' },
    { body: { value: 0 }, why: 'zero' },
    { body: { value: '' }, why: 'empty string' },
    { body: { value: { a: [1, { b: 'c' }], d: null } }, why: 'nested objects and arrays' },
    { body: { value: nested(DEFAULT_LIMITS.maxValueDepth) }, why: 'exactly the depth limit' },
  ];
  test.each(accepted)('accepts $why', ({ body }) => {
    expect(parseWriteBody(body)).toEqual(body);
  });

  const rejected: Array<{ body: unknown; why: string }> = [
    { body: {}, why: 'missing value' },
    { body: { val: 1 }, why: 'misspelt field' },
    { body: { value: 1, extra: 2 }, why: 'extra field' },
    { body: JSON.parse('{"value":1,"__proto__":{"x":1}}'), why: 'extra __proto__ field from JSON' },
    { body: [{ value: 1 }], why: 'array body' },
    { body: [], why: 'empty array body' },
    { body: null, why: 'null body' },
    { body: undefined, why: 'no body' },
    { body: 'value', why: 'string body' },
    { body: 5, why: 'number body' },
    { body: { value: nested(DEFAULT_LIMITS.maxValueDepth + 1) }, why: 'one level too deep' },
    { body: { value: nested(10_000) }, why: 'far too deep' },
  ];
  // Every bad body is a definite 400 invalid_value: nothing is written.
  test.each(rejected)('rejects $why', ({ body }) => {
    const error = apiErrorOf(() => parseWriteBody(body));
    expect(error.code).toBe('invalid_value');
    expect(error.definite).toBe(true);
  });
});

describe('ReplicateRequestSchema', () => {
  const put = { lsn: 1, epoch: 1, op: 'put', key: 'k0', value: { a: 1 }, leaderTimeMs: 1700000000000 };
  const del = { lsn: 2, epoch: 1, op: 'delete', key: 'k0', leaderTimeMs: 1700000000001 };
  const request = {
    leaderId: 'leader-1',
    clusterId: 'c1',
    epoch: 1,
    prevLsn: 0,
    prevEpoch: 0,
    ackMode: 'received',
    entries: [put, del],
  };

  it('accepts a well-formed request', () => {
    // What the leader sends must pass the follower's own check, or nothing replicates.
    expect(ReplicateRequestSchema.parse(request)).toEqual(request);
    expect(ReplicateRequestSchema.parse({ ...request, ackMode: 'applied', applyWaitMs: 2000 }).applyWaitMs).toBe(2000);
  });

  it('accepts a put of null', () => {
    // null is a stored value, distinct from a delete.
    expect(EntrySchema.safeParse({ ...put, value: null }).success).toBe(true);
  });

  const badEntries: Array<{ entry: unknown; why: string }> = [
    { entry: { ...put, lsn: 0 }, why: 'LSNs start at 1' },
    { entry: { ...put, lsn: -1 }, why: 'negative LSN' },
    { entry: { ...put, lsn: 1.5 }, why: 'fractional LSN' },
    { entry: { ...put, lsn: '1' }, why: 'LSN as a string' },
    { entry: { ...put, epoch: 0 }, why: 'epoch starts at 1' },
    { entry: { ...put, op: 'patch' }, why: 'unknown op' },
    { entry: { lsn: 1, epoch: 1, op: 'put', key: 'k0', leaderTimeMs: 0 }, why: 'put without value' },
    { entry: { ...put, key: 'a/b' }, why: 'bad key' },
    { entry: { ...put, key: '' }, why: 'empty key' },
    { entry: { ...put, value: nested(WIRE_LIMITS.maxValueDepth + 1) }, why: 'value deeper than the wire allows' },
    { entry: { lsn: 1, epoch: 1, op: 'put', key: 'k0', value: 1 }, why: 'missing leaderTimeMs' },
    { entry: { ...del, leaderTimeMs: Number.NaN }, why: 'NaN time' },
    { entry: null, why: 'null entry' },
  ];
  // A follower must refuse a malformed entry rather than apply something the leader never wrote.
  test.each(badEntries)('rejects an entry with $why', ({ entry }) => {
    expect(ReplicateRequestSchema.safeParse({ ...request, entries: [put, entry] }).success).toBe(false);
  });

  const badRequests: Array<{ body: unknown; why: string }> = [
    { body: { ...request, entries: [] }, why: 'no entries' },
    { body: { ...request, entries: undefined }, why: 'entries missing' },
    { body: { ...request, ackMode: 'sync' }, why: 'unknown ack mode' },
    { body: { ...request, leaderId: '' }, why: 'empty leaderId' },
    { body: { ...request, applyWaitMs: 60_001 }, why: 'applyWaitMs over the bound' },
    { body: { ...request, applyWaitMs: -1 }, why: 'negative applyWaitMs' },
    { body: { ...request, applyWaitMs: 1.5 }, why: 'fractional applyWaitMs' },
  ];
  test.each(badRequests)('rejects a request with $why', ({ body }) => {
    expect(ReplicateRequestSchema.safeParse(body).success).toBe(false);
  });
});

describe('ReplicateResponseSchema', () => {
  it('accepts a response and rejects a negative appliedLsn or a refused LSN 0', () => {
    // The leader trusts appliedLsn for acks in applied mode; garbage must not count as an ack.
    const ok = {
      followerId: 'f1-abc',
      appliedLsn: 0,
      refusedLsns: [3, 4],
      bufferedCount: 2,
      epoch: 1,
      appliedEpoch: 0,
    };
    expect(ReplicateResponseSchema.safeParse(ok).success).toBe(true);
    expect(ReplicateResponseSchema.safeParse({ ...ok, appliedLsn: -1 }).success).toBe(false);
    expect(ReplicateResponseSchema.safeParse({ ...ok, refusedLsns: [0] }).success).toBe(false);
    expect(ReplicateResponseSchema.safeParse({ ...ok, bufferedCount: undefined }).success).toBe(false);
  });
});

describe('values with numbers beyond double range', () => {
  // JSON.parse reads 1e400 as Infinity; stored, every JSON answer would show it as null.
  test.each(['{"value":1e400}', '{"value":-1e400}', '{"value":[1,{"a":1e999}]}'])('refuses %s', (text) => {
    expect(() => parseWriteBody(JSON.parse(text))).toThrow(ApiError);
  });

  it('still takes the largest finite double', () => {
    expect(parseWriteBody(JSON.parse('{"value":1.7976931348623157e308}')).value).toBe(Number.MAX_VALUE);
  });
});

describe('configured key and depth limits', () => {
  it('takes the configured key length, up to the wire limit', () => {
    expect(() => parseKey('k'.repeat(9), 8)).toThrow(ApiError);
    expect(parseKey('k'.repeat(8), 8)).toBe('kkkkkkkk');
    expect(parseKey('k'.repeat(1000), 1000)).toHaveLength(1000);
    expect(() => parseKey('k'.repeat(WIRE_LIMITS.maxKeyLength + 1), WIRE_LIMITS.maxKeyLength + 1)).toThrow(ApiError);
  });

  it('takes the configured depth, and says which limit was hit', () => {
    const nest = (levels: number): unknown => (levels === 0 ? 1 : [nest(levels - 1)]);
    expect(() => parseWriteBody({ value: nest(3) }, 2)).toThrow(/at most 2 deep/);
    expect(parseWriteBody({ value: nest(100) }, 100).value).toEqual(nest(100));
  });
});

describe('the batch messages (protocol version 2)', () => {
  const request = SAMPLE_BATCH_REQUEST;
  const response = SAMPLE_BATCH_RESPONSE;
  // Each case: a change to a valid message, and whether it still parses.
  test.each([
    { name: 'a valid batch', schema: BatchRequestSchema, body: request, ok: true },
    {
      name: 'a batch without its version',
      schema: BatchRequestSchema,
      body: { ...request, protocolVersion: undefined },
      ok: false,
    },
    { name: 'a batch with no entries', schema: BatchRequestSchema, body: { ...request, entries: [] }, ok: false },
    { name: 'a valid answer', schema: BatchResponseSchema, body: response, ok: true },
    {
      name: 'an answer without its ack',
      schema: BatchResponseSchema,
      body: { ...response, ack: undefined },
      ok: false,
    },
    {
      name: 'an ack listing more LSNs than a message carries',
      schema: BatchResponseSchema,
      body: {
        ...response,
        ack: { upToLsn: 0, beyondLsns: Array.from({ length: MAX_ACK_BEYOND_LSNS + 1 }, (_, i) => i + 1) },
      },
      ok: false,
    },
    {
      name: 'an ack with a negative LSN',
      schema: BatchResponseSchema,
      body: { ...response, ack: { upToLsn: -1, beyondLsns: [] } },
      ok: false,
    },
  ])('$name: parses $ok', ({ schema, body, ok }) => {
    expect(schema.safeParse(body).success).toBe(ok);
  });
});
