/**
 * Arbitraries of hostile requests to a follower's `POST /replication/entries` (issue #5), and a
 * model of what an accepted request does (the follower's ordered apply: entries stored at once,
 * applied strictly in LSN order, early ones buffered, a stored LSN never replaced).
 */
import fc from 'fast-check';
import { DEFAULT_LIMITS, WIRE_LIMITS, jsonEqual, type AckMode, type JsonValue } from '@quorum-kv/replication-protocol';
import { storeEntries, throughJson } from '../support/hostile-answers';

/** One entry, its LSN relative to the follower's applied LSN when the request is sent. */
export interface EntrySpec {
  offset: number;
  op: 'put' | 'delete';
  key: string;
  value: JsonValue;
  epoch: number;
  leaderTimeMs: number;
}

export interface BatchSpec {
  entries: EntrySpec[];
  ackMode: AckMode;
  /** Always set in `applied` mode and small, so an answer waiting on a gap comes back quickly. */
  applyWaitMs: number | undefined;
}

/** What a follower receives, as the leader would send it. */
export interface WireEntry {
  lsn: number;
  epoch: number;
  op: 'put' | 'delete';
  key: string;
  value?: JsonValue;
  leaderTimeMs: number;
}

const keyArb = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.constantFrom(
      'k0',
      'k1',
      'k2',
      '__proto__',
      'constructor',
      '..',
      '.',
      'k'.repeat(DEFAULT_LIMITS.maxKeyLength),
    ),
  },
  { weight: 1, arbitrary: fc.stringMatching(/^[A-Za-z0-9_.:~-]{1,12}$/) },
);

function entryArb(offset: fc.Arbitrary<number>): fc.Arbitrary<EntrySpec> {
  return fc.record({
    offset,
    op: fc.constantFrom<'put' | 'delete'>('put', 'put', 'delete'),
    key: keyArb,
    value: fc
      .oneof(fc.jsonValue({ maxDepth: 3 }), fc.string({ unit: 'binary', maxLength: 40 }))
      .map((v) => v as JsonValue),
    // One epoch: since issue #10 epochs mean something (a newer one replaces, an older one is
    // refused, log matching compares them); mixed epochs are the protocol library's unit tests.
    epoch: fc.constant(1),
    leaderTimeMs: fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })),
  });
}

const ackArb = fc.oneof(
  fc.record({
    ackMode: fc.constant<'received'>('received'),
    applyWaitMs: fc.option(fc.integer({ min: 0, max: 20 }), { nil: undefined }),
  }),
  fc.record({ ackMode: fc.constant<'applied'>('applied'), applyWaitMs: fc.integer({ min: 0, max: 20 }) }),
);

/** The follower's next entries, in order or reversed: accepted, they would surely change its state. */
export const nextBatchArb: fc.Arbitrary<BatchSpec> = fc
  .tuple(fc.array(entryArb(fc.constant(0)), { minLength: 1, maxLength: 4 }), fc.boolean(), ackArb)
  .map(([entries, reversed, ack]) => {
    const numbered = entries.map((e, i) => ({ ...e, offset: i + 1 }));
    return { entries: reversed ? numbered.reverse() : numbered, ...ack };
  });

/** Any valid batch: already applied LSNs, the next ones, gaps (buffered), repeated LSNs. */
export const anyBatchArb: fc.Arbitrary<BatchSpec> = fc
  .tuple(fc.array(entryArb(fc.integer({ min: -3, max: 6 })), { minLength: 1, maxLength: 6 }), ackArb)
  .map(([entries, ack]) => ({ entries, ...ack }));

export function wireEntries(spec: BatchSpec, appliedLsn: number): WireEntry[] {
  return spec.entries.map((e) => ({
    lsn: Math.max(1, appliedLsn + e.offset),
    epoch: e.epoch,
    op: e.op,
    key: e.key,
    ...(e.op === 'put' && { value: e.value }),
    leaderTimeMs: e.leaderTimeMs,
  }));
}

/** The cluster id the standalone follower is started with (the cluster's own followers have a random one). */
export const STANDALONE_CLUSTER_ID = 'hostile-input-cluster';

/** The body of a replication request, as a plain object (mutations work on a copy). */
export function replicationBody(
  spec: BatchSpec,
  leaderId: string,
  appliedLsn: number,
  clusterId = STANDALONE_CLUSTER_ID,
): Record<string, unknown> {
  const firstLsn = Math.min(...wireEntries(spec, appliedLsn).map((e) => e.lsn));
  return {
    leaderId,
    clusterId,
    epoch: 1,
    prevLsn: firstLsn - 1,
    prevEpoch: firstLsn === 1 ? 0 : 1,
    ackMode: spec.ackMode,
    ...(spec.applyWaitMs !== undefined && { applyWaitMs: spec.applyWaitMs }),
    entries: wireEntries(spec, appliedLsn),
  };
}

const nestedArrays = (depth: number): JsonValue => (depth === 0 ? 1 : [nestedArrays(depth - 1)]);

/** A change that makes a replication body invalid for the wire schema, whatever else it holds. */
export interface Malformation {
  label: string;
  /** Returns the new body; `entry` is the index of the entry to spoil (taken modulo the count). */
  apply(body: Record<string, unknown>, entry: number): unknown;
}

const DELETE = Symbol('delete');
type FieldValue = unknown | typeof DELETE;

function setField(target: Record<string, unknown>, field: string, value: FieldValue): void {
  if (value === DELETE) delete target[field];
  else target[field] = value;
}

const topLevel = (field: string, values: FieldValue[]): Malformation[] =>
  values.map((value) => ({
    label: `${field} ${value === DELETE ? 'missing' : JSON.stringify(value)?.slice(0, 30)}`,
    apply: (body) => {
      setField(body, field, value);
      return body;
    },
  }));

const inEntry = (field: string, values: FieldValue[], forcePut = false): Malformation[] =>
  values.map((value) => ({
    label: `entry ${field} ${value === DELETE ? 'missing' : JSON.stringify(value)?.slice(0, 30)}`,
    apply: (body, index) => {
      const entries = body['entries'] as Array<Record<string, unknown>>;
      const entry = entries[index % entries.length] as Record<string, unknown>;
      if (forcePut) entry['op'] = 'put';
      setField(entry, field, value);
      return body;
    },
  }));

export const MALFORMATIONS: readonly Malformation[] = [
  ...topLevel('leaderId', ['', 'x'.repeat(129), 42, null, DELETE]),
  ...topLevel('ackMode', ['sometimes', '', 'Applied', null, 1, DELETE]),
  ...topLevel('applyWaitMs', [-1, 1.5, 60_001, '10', null]),
  ...topLevel('entries', [[], {}, 'x', null, [[]], DELETE]),
  ...inEntry('lsn', [0, -1, 1.5, '1', null, 2 ** 53, 1e21, DELETE]),
  ...inEntry('epoch', [0, -1, 1.5, '1', null, DELETE]),
  ...inEntry('op', ['upsert', 'PUT', '', null, DELETE]),
  ...inEntry('key', ['', 'a/b', 'k'.repeat(WIRE_LIMITS.maxKeyLength + 1), 'ключ', 'a b', '%2F', 1, null, DELETE]),
  ...inEntry('value', [DELETE, nestedArrays(WIRE_LIMITS.maxValueDepth + 1)], true),
  ...inEntry('leaderTimeMs', ['0', null, true, DELETE]),
  ...[null, 1, 'x', []].map((bad) => ({
    label: `entry replaced by ${JSON.stringify(bad)}`,
    apply: (body: Record<string, unknown>, index: number) => {
      const entries = body['entries'] as unknown[];
      entries[index % entries.length] = bad;
      return body;
    },
  })),
  ...[[], 'entries', 1, null, true].map((bad) => ({ label: `body is ${JSON.stringify(bad)}`, apply: () => bad })),
];

/**
 * Authorization headers that must not pass: missing, other schemes, malformed Bearer, and
 * tokens that are wrong (also of the right length). Node trims a header value's surrounding
 * spaces, so a trailing space after the right token is no hostile input and is not drawn.
 */
export function badAuthorizationArb(token: string): fc.Arbitrary<string | undefined> {
  const printable = fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 });
  const sameLengthWrong = fc
    .tuple(fc.nat({ max: token.length - 1 }), fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 1 }))
    .map(([i, c]) => token.slice(0, i) + c + token.slice(i + 1));
  const b64 = (text: string) => Buffer.from(text).toString('base64');
  return fc
    .oneof(
      fc.constantFrom(
        undefined,
        '',
        'Bearer',
        'Bearer ',
        `Bearer  ${token}`,
        `Bearer\t${token}`,
        `Basic ${b64(token)}`,
        `Basic ${b64(`user:${token}`)}`,
        token,
        `Token ${token}`,
        `Bearer${token}`,
        `Bearer ${token.slice(0, -1)}`,
        `Bearer ${token}x`,
        `Bearer ${token.toUpperCase()}`,
        `Bearer "${token}"`,
        `Bearer ${token} ${token}`,
        `Bearer ${token},Bearer ${token}`,
        `Bearer ${b64(token)}`,
      ),
      sameLengthWrong.map((t) => `Bearer ${t}`),
      fc.string({ unit: 'grapheme-ascii', minLength: token.length, maxLength: token.length }).map((t) => `Bearer ${t}`),
      printable.map((t) => `Bearer ${t}`),
      printable,
    )
    .filter((header) => header === undefined || header.replace(/^[ \t]+|[ \t]+$/g, '') !== `Bearer ${token}`);
}

/** Leader ids other than `accepted` (and than any id the process runtime draws), all schema-valid. */
export function foreignLeaderIdArb(accepted: string): fc.Arbitrary<string> {
  return fc
    .oneof(
      fc.constantFrom(
        accepted.toUpperCase(),
        `${accepted} `,
        ` ${accepted}`,
        `${accepted}x`,
        accepted.slice(0, -1),
        accepted.replace(/-/g, '_'),
        'leader',
        'leader-00000000x',
      ),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 60 }),
      fc.stringMatching(/^leader-[0-9a-f]{1,12}$/),
    )
    .filter((id) => id !== accepted && id.length >= 1 && id.length <= 128 && !/^leader-[0-9a-f]{8}$/.test(id));
}

/**
 * A follower's ordered apply, as the test expects it. An entry at an LSN already stored is
 * acked again only when it matches what is stored there, epoch included (the follower keeps its
 * applied entries, up to 100,000, far more than these tests send); one that differs is refused,
 * and a buffered entry it contradicts is dropped (issue #12). (The bound on how far ahead it
 * buffers, 100,000 LSNs by default, is far beyond the offsets these tests send.)
 */
export class FollowerModel {
  lsn = 0;
  private readonly store = new Map<string, { value: JsonValue; lsn: number }>();
  private readonly buffer = new Map<number, WireEntry>();
  private readonly applied = new Map<number, WireEntry>();

  /** Stores what it can of `entries`; returns the LSNs refused, in LSN order. */
  receive(entries: readonly WireEntry[]): number[] {
    const refused: number[] = [];
    for (const entry of [...entries].sort((a, b) => a.lsn - b.lsn)) {
      if (entry.lsn <= this.lsn || this.buffer.has(entry.lsn)) {
        if (this.contradicts(entry)) refused.push(entry.lsn);
      } else if (entry.lsn === this.lsn + 1) this.apply(entry);
      else this.buffer.set(entry.lsn, entry);
    }
    return refused;
  }

  /** What `/debug/store` and `/health` must say, in the form the test compares. */
  state(): { lsn: number; entries: Array<[string, unknown]>; bufferedCount: number } {
    const plain = Object.fromEntries([...this.store].map(([key, stored]) => [key, stored.value]));
    return { lsn: this.lsn, entries: storeEntries(plain), bufferedCount: this.buffer.size };
  }

  private contradicts(entry: WireEntry): boolean {
    const buffered = this.buffer.get(entry.lsn);
    if (buffered) {
      const same = sameEntry(buffered, entry);
      if (!same) this.buffer.delete(entry.lsn);
      return !same;
    }
    const applied = this.applied.get(entry.lsn);
    return applied === undefined || !sameEntry(applied, entry);
  }

  private apply(first: WireEntry): void {
    for (let entry: WireEntry | undefined = first; entry; entry = this.buffer.get(this.lsn + 1)) {
      this.buffer.delete(entry.lsn);
      this.applied.set(entry.lsn, entry);
      if (entry.op === 'put')
        this.store.set(entry.key, { value: throughJson(entry.value) as JsonValue, lsn: entry.lsn });
      else this.store.delete(entry.key);
      this.lsn = entry.lsn;
    }
  }
}

function sameEntry(a: WireEntry, b: WireEntry): boolean {
  return (
    a.op === b.op &&
    a.key === b.key &&
    a.epoch === b.epoch &&
    a.leaderTimeMs === b.leaderTimeMs &&
    (a.op === 'delete' || jsonEqual(throughJson(a.value) as JsonValue, throughJson(b.value) as JsonValue))
  );
}
