import { createRng, type Rng } from './random';
import { BatchRequestSchema, BatchResponseSchema, ReplicateRequestSchema, type Entry } from './wire';
import { isWireEntry, parseBatchRequest, parseBatchResponse, parseReplicateRequest } from './wire-fast';
import { WIRE_LIMITS } from './limits';

const put = (lsn: number): Entry => ({
  lsn,
  epoch: 1,
  op: 'put',
  key: `k${lsn}`,
  value: { a: [lsn] },
  leaderTimeMs: 1_000,
});
const batch = () => ({
  protocolVersion: 2,
  leaderId: 'leader',
  clusterId: 'c-1',
  epoch: 1,
  prevLsn: 0,
  prevEpoch: 0,
  ackMode: 'received',
  entries: [
    put(1),
    { lsn: 2, epoch: 1, op: 'delete', key: 'k1', leaderTimeMs: 2 },
    { lsn: 3, epoch: 1, op: 'noop', leaderTimeMs: 3 },
    { lsn: 4, epoch: 1, op: 'put', key: 'k4', value: 'text', leaderTimeMs: 4 },
    { lsn: 5, epoch: 1, op: 'put', key: 'k5', value: null, leaderTimeMs: 4 },
  ] as unknown[],
});
const answer = () => ({
  followerId: 'f1-abc',
  appliedLsn: 3,
  refusedLsns: [],
  bufferedCount: 1,
  epoch: 1,
  appliedEpoch: 1,
  protocolVersion: 2,
  ack: { upToLsn: 3, beyondLsns: [5] },
});

// Values a field can be replaced with: good, bad, and the edges zod and a hand check may read apart.
const nested = (depth: number): unknown => (depth === 0 ? 1 : [nested(depth - 1)]);
const REPLACEMENTS: unknown[] = [
  undefined,
  null,
  true,
  0,
  -1,
  1,
  1.5,
  2 ** 53,
  2 ** 53 - 1,
  60_000,
  60_001,
  '',
  '1',
  'k',
  'bad key',
  'x'.repeat(129),
  'k'.repeat(WIRE_LIMITS.maxKeyLength + 1),
  'put',
  'delete',
  'noop',
  'applied',
  'fsync',
  [],
  [1],
  [0],
  {},
  { upToLsn: 1, beyondLsns: [] },
  nested(WIRE_LIMITS.maxValueDepth),
  nested(WIRE_LIMITS.maxValueDepth + 1),
  Number.POSITIVE_INFINITY,
  Number.NaN,
];

/** A copy of `value` with one field somewhere in it replaced (or removed, or one added). */
function mutate(value: unknown, rng: Rng): unknown {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rng.next() * items.length)] as T;
  if (typeof value !== 'object' || value === null) return pick(REPLACEMENTS);
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...value };
  const keys = Object.keys(copy);
  const roll = rng.next();
  // What JSON can say: an array grows or shrinks, an object gains or loses a key.
  if (roll < 0.1 && Array.isArray(copy)) copy.push(pick(REPLACEMENTS));
  else if (roll < 0.1) (copy as Record<string, unknown>)['extra'] = 1;
  else if (roll < 0.2 && Array.isArray(copy)) copy.splice(Math.floor(rng.next() * copy.length), 1);
  else if (roll < 0.2 && keys.length > 0) delete (copy as Record<string, unknown>)[pick(keys)];
  else if (keys.length > 0) {
    const key = pick(keys);
    const field = (copy as Record<string, unknown>)[key];
    (copy as Record<string, unknown>)[key] = rng.next() < 0.5 ? mutate(field, rng) : pick(REPLACEMENTS);
  }
  return copy;
}

describe('wire-fast: the same verdicts and results as the zod schemas', () => {
  // Each case: a parser, its schema and a good message; thousands of seeded mutations of it must
  // get the schema's verdict, the schema's result when good and the schema's message when bad.
  const cases = [
    { name: 'batch request', parse: parseBatchRequest, schema: BatchRequestSchema, good: batch },
    {
      name: 'replicate request (version 1)',
      parse: parseReplicateRequest,
      schema: ReplicateRequestSchema,
      good: () => {
        const { protocolVersion: _, ...rest } = batch();
        return { ...rest, ackMode: 'applied', applyWaitMs: 500 };
      },
    },
    { name: 'batch answer', parse: parseBatchResponse, schema: BatchResponseSchema, good: answer },
  ];

  test.each(cases)('$name', ({ parse, schema, good }) => {
    const seed = 11;
    const rng = createRng(seed);
    let accepted = 0;
    let fast = 0;
    for (let i = 0; i < 2000; i++) {
      let body: unknown = good();
      const mutations = Math.floor(rng.next() * 3);
      for (let m = 0; m < mutations; m++) body = mutate(body, rng);
      const ours = parse(body as never);
      const theirs = schema.safeParse(body);
      const context = `seed ${seed}, case ${i}: ${JSON.stringify(body)?.slice(0, 300)}`;
      expect([context, ours.success]).toEqual([context, theirs.success]);
      if (ours.success && theirs.success) {
        accepted++;
        if (ours.data === body) fast++;
        expect([context, ours.data]).toEqual([context, theirs.data]);
      } else if (!ours.success && !theirs.success) {
        expect(ours.error.issues).toEqual(theirs.error.issues);
      }
    }
    expect(accepted).toBeGreaterThan(200); // the good message and its harmless mutations
    expect(fast).toBeGreaterThan(150); // most of them taken by the fast check
  });

  it('takes a good message by the fast check, as the same object (no zod copy)', () => {
    const body = batch();
    const parsed = parseBatchRequest(body);
    expect(parsed.success && parsed.data).toBe(body);
    const reply = answer();
    const read = parseBatchResponse(reply);
    expect(read.success && read.data).toBe(reply);
  });

  // Each case: an entry the fast check leaves to zod, and why.
  test.each([
    { name: 'an unknown field (zod strips it: a copy)', entry: { ...put(1), extra: 1 } },
    { name: 'a value nested too deep', entry: { ...put(1), value: nested(WIRE_LIMITS.maxValueDepth + 1) } },
    { name: 'a non-finite number in the value', entry: { ...put(1), value: [Number.POSITIVE_INFINITY] } },
    { name: 'an lsn beyond 2^53', entry: { ...put(1), lsn: 2 ** 53 } },
    { name: 'a delete with a value', entry: { lsn: 1, epoch: 1, op: 'delete', key: 'k', value: 1, leaderTimeMs: 1 } },
  ])('leaves $name to the schema', ({ entry }) => {
    expect(isWireEntry(entry)).toBe(false);
  });
});
