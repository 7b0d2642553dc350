/**
 * Arbitraries of `PUT /kv/:key` bodies for the hostile-input properties (issue #5): valid ones
 * (any JSON value, unicode, long strings, nesting exactly at the limit, extreme numbers), wrong
 * shapes, bad JSON text, an oversized body, no body, and a few the design leaves open.
 */
import fc from 'fast-check';
import { DEFAULT_LIMITS } from '@quorum-kv/replication-protocol';

/** Whether one part of a request is valid, invalid, or something the design leaves open. */
export type Validity = 'valid' | 'invalid' | 'unknown';

export interface Part<T = string> {
  value: T;
  validity: Validity;
  label: string;
}

export interface BodyPart extends Part<string | Buffer | undefined> {
  kind: string;
}

const nested = (depth: number, open = '[', close = ']') => `{"value":${open.repeat(depth)}${close.repeat(depth)}}`;
const nestedObjects = (depth: number) => `{"value":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
const parses = (text: string) => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

/**
 * True when JSON `text` holds an integer literal beyond ±(2^53 − 1): the leader refuses those
 * rather than store them rounded (issue #12), so they are no good values. JSON.stringify of a
 * double writes integers up to 1e21 as plain digits.
 */
export function holdsUnsafeInteger(text: string): boolean {
  const numbers = text.replace(/"(?:[^"\\]|\\.)*"/g, '""').match(/-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g) ?? [];
  return numbers.some((literal) => /^-?\d+$/.test(literal) && !Number.isSafeInteger(Number(literal)));
}

const goodValueArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 5, arbitrary: fc.jsonValue({ maxDepth: 4 }).filter((v) => !holdsUnsafeInteger(JSON.stringify(v))) },
  {
    weight: 2,
    arbitrary: fc
      .jsonValue({ maxDepth: 3, stringUnit: 'binary' })
      .filter((v) => !holdsUnsafeInteger(JSON.stringify(v))),
  },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1_000, max: 100_000 }).map((n) => 'x'.repeat(n)) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(1e308, -1e308, 5e-324, Number.MAX_SAFE_INTEGER, -0, 0.1 + 0.2, null, true, '', {}, []),
  },
);

export const validBodyArb: fc.Arbitrary<BodyPart> = fc.oneof(
  {
    weight: 10,
    arbitrary: goodValueArb.map((v): BodyPart => ({
      value: JSON.stringify({ value: v }),
      validity: 'valid',
      kind: 'good',
      label: 'body {value}',
    })),
  },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom(
        nested(DEFAULT_LIMITS.maxValueDepth),
        nestedObjects(DEFAULT_LIMITS.maxValueDepth),
        '  {"value" : 1 }\n',
        '{"value":{"__proto__":{"polluted":true}}}',
        '{"value":{"constructor":{"prototype":{"polluted":true}}}}',
        '{"value":"\\ud800"}',
      )
      .map((text): BodyPart => ({ value: text, validity: 'valid', kind: 'edge', label: `body ${text.slice(0, 40)}` })),
  },
);

/** Numbers JSON.parse would change: refused with 400 rather than stored rounded (issue #12). */
const inexactBodyArb: fc.Arbitrary<BodyPart> = fc
  .constantFrom(
    '{"value":123456789012345678901234567890}',
    '{"value":9007199254740993}',
    '{"value":1e-400}',
    '{"value":[-0]}',
  )
  .map((text): BodyPart => ({ value: text, validity: 'invalid', kind: 'inexact number', label: `body ${text}` }));

export const bodyArb: fc.Arbitrary<BodyPart> = fc.oneof(
  { weight: 12, arbitrary: validBodyArb },
  { weight: 1, arbitrary: inexactBodyArb },
  {
    weight: 4,
    arbitrary: fc
      .oneof(
        fc
          .jsonValue({ maxDepth: 2 })
          .filter((v) => typeof v !== 'object' || v === null || Array.isArray(v))
          .map((v) => JSON.stringify(v)),
        fc
          .record({ value: fc.jsonValue({ maxDepth: 2 }), extra: fc.jsonValue({ maxDepth: 1 }) })
          .map((o) => JSON.stringify(o)),
        fc.constantFrom(
          '{}',
          '{"val":1}',
          '{"Value":1}',
          '{"__proto__":{"value":1}}',
          '{"value":1,"__proto__":{}}',
          JSON.stringify({ value: undefined }),
          '',
        ),
        fc.integer({ min: DEFAULT_LIMITS.maxValueDepth + 1, max: 300 }).map((d) => nested(d)),
        fc.constantFrom(nested(100_000), nestedObjects(DEFAULT_LIMITS.maxValueDepth + 1)),
      )
      .map((text): BodyPart => ({
        value: text,
        validity: 'invalid',
        kind: 'wrong shape',
        label: `body ${text.slice(0, 40)}`,
      })),
  },
  {
    weight: 3,
    arbitrary: fc
      .oneof(
        fc.tuple(goodValueArb, fc.nat()).map(([v, cut]) => {
          const text = JSON.stringify({ value: v });
          return text.slice(0, cut % text.length);
        }),
        fc.constantFrom(
          "{'value':1}",
          '{"value":NaN}',
          '{"value":Infinity}',
          '{"value":undefined}',
          '{"value":1,}',
          '\uFEFF{"value":1}',
          '{"value":01}',
          '{"value":"\u0001"}',
          '{"value":1}}',
          '{"value":1}{"value":2}',
        ),
        fc.string({ maxLength: 30 }),
      )
      .filter((text) => !parses(text))
      .map((text): BodyPart => ({
        value: text,
        validity: 'invalid',
        kind: 'bad JSON',
        label: `bad JSON ${JSON.stringify(text.slice(0, 40))}`,
      })),
  },
  {
    weight: 1,
    arbitrary: fc.constant<BodyPart>({
      value: JSON.stringify({ value: 'x'.repeat(DEFAULT_LIMITS.maxBodyBytes) }),
      validity: 'invalid',
      kind: 'too large',
      label: 'body over the limit',
    }),
  },
  {
    weight: 1,
    arbitrary: fc.constant<BodyPart>({ value: undefined, validity: 'invalid', kind: 'none', label: 'no body' }),
  },
  {
    // Open questions, not pinned here: a repeated member (JSON.parse keeps the last), bytes that
    // are not UTF-8 (refused with 400 invalid_utf8 since issue #12), and a number beyond double range.
    weight: 1,
    arbitrary: fc
      .constantFrom<string | Buffer>(
        '{"value":1,"value":2}',
        Buffer.concat([Buffer.from('{"value":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('"}')]),
        '{"value":1e400}',
        '{"value":-1e400}',
      )
      .map((body): BodyPart => ({
        value: body,
        validity: 'unknown',
        kind: 'open question',
        label: `body ${Buffer.from(body).toString('utf8').slice(0, 40)}`,
      })),
  },
);
