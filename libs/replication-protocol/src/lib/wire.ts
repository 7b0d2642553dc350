/**
 * The wire format shared by leader and follower. One zod schema per message serves both
 * sides: the leader builds messages of these types, the follower validates them on arrival.
 */
import { z } from 'zod';
import { ApiError } from './errors';
import { DEFAULT_LIMITS, WIRE_LIMITS } from './limits';

/** Keys are short printable identifiers: letters, digits and `_ . : ~ -`. */
export const KEY_PATTERN = /^[A-Za-z0-9_.:~-]+$/;

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export const ACK_MODES = ['received', 'applied'] as const;
/**
 * `received`: the follower acks once the entry is stored in its log (buffered if early).
 * `applied`: the follower acks once the entry is applied in LSN order and visible to reads.
 */
export type AckMode = (typeof ACK_MODES)[number];
export const AckModeSchema = z.enum(ACK_MODES);

export const KeySchema = z
  .string()
  .min(1)
  .max(WIRE_LIMITS.maxKeyLength)
  .regex(KEY_PATTERN, 'keys use only letters, digits and _ . : ~ -');

/**
 * Values arrive through JSON.parse, so they are JSON already; what is checked is that one is
 * present, that it is not nested beyond the limit (deep nesting is how recursive code is made
 * to overflow its stack), and that every number is finite: JSON.parse reads 1e400 as Infinity,
 * which every JSON answer would then write as null.
 */
const JsonValueSchema = z.custom<JsonValue>(
  (v) => v !== undefined && jsonDepth(v, WIRE_LIMITS.maxValueDepth) <= WIRE_LIMITS.maxValueDepth,
  { message: `a JSON value nested at most ${WIRE_LIMITS.maxValueDepth} deep, with finite numbers only` },
);

/** One log entry. `epoch` is 1 until failover exists; it is carried now so the format need not change. */
export const EntrySchema = z.discriminatedUnion('op', [
  z.object({
    lsn: z.number().int().positive(),
    epoch: z.number().int().positive(),
    op: z.literal('put'),
    key: KeySchema,
    value: JsonValueSchema,
    leaderTimeMs: z.number(),
  }),
  z.object({
    lsn: z.number().int().positive(),
    epoch: z.number().int().positive(),
    op: z.literal('delete'),
    key: KeySchema,
    leaderTimeMs: z.number(),
  }),
]);
export type Entry = z.infer<typeof EntrySchema>;

/** Leader -> follower: `POST /replication/entries`. */
export const ReplicateRequestSchema = z.object({
  leaderId: z.string().min(1).max(128),
  ackMode: AckModeSchema,
  /** In `applied` mode, the longest the follower holds its answer waiting for the apply. */
  applyWaitMs: z.number().int().nonnegative().max(60_000).optional(),
  entries: z.array(EntrySchema).min(1),
});
export type ReplicateRequest = z.infer<typeof ReplicateRequestSchema>;

/** Leader -> follower: `POST /replication/snapshot`, the whole state at `lsn`. */
export const SnapshotRequestSchema = z.object({
  leaderId: z.string().min(1).max(128),
  lsn: z.number().int().positive(),
  items: z.array(z.tuple([KeySchema, JsonValueSchema, z.number().int().positive()])),
});
export type SnapshotRequest = z.infer<typeof SnapshotRequestSchema>;

/** Follower -> leader, the answer to a replication request (entries or snapshot). */
export const ReplicateResponseSchema = z.object({
  followerId: z.string(),
  /** Highest LSN such that every entry up to it is applied. */
  appliedLsn: z.number().int().nonnegative(),
  /** Entries of this request refused because the buffer was full; every other one is stored. */
  refusedLsns: z.array(z.number().int().positive()),
  bufferedCount: z.number().int().nonnegative(),
});
export type ReplicateResponse = z.infer<typeof ReplicateResponseSchema>;

/** Client -> leader: the body of `PUT /kv/:key`. */
export const WriteBodySchema = z.object({ value: JsonValueSchema }).strict();

/**
 * Nesting depth of a JSON value (a scalar is 0), counting no further than `stopAfter + 1`; a
 * value holding a non-finite number counts as too deep (Infinity), so one check refuses both.
 */
export function jsonDepth(value: unknown, stopAfter: number): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (typeof node === 'number' && !Number.isFinite(node)) return Infinity;
    if (typeof node !== 'object' || node === null) continue;
    const childDepth = depth + 1;
    if (childDepth > deepest) deepest = childDepth;
    if (deepest > stopAfter) return deepest;
    for (const child of Array.isArray(node) ? node : Object.values(node)) stack.push([child, childDepth]);
  }
  return deepest;
}

/** Validates a key from a URL, or throws `invalid_key`. */
export function parseKey(raw: unknown, maxKeyLength: number = DEFAULT_LIMITS.maxKeyLength): string {
  const parsed = KeySchema.safeParse(raw);
  const why = !parsed.success
    ? (parsed.error.issues[0]?.message ?? 'bad key')
    : parsed.data.length > maxKeyLength
      ? `longer than ${maxKeyLength} characters`
      : undefined;
  if (why !== undefined || !parsed.success) throw new ApiError('invalid_key', `invalid key: ${why}`, { maxKeyLength });
  return parsed.data;
}

/** Validates the body of a write, or throws `invalid_value`. */
export function parseWriteBody(
  raw: unknown,
  maxValueDepth: number = DEFAULT_LIMITS.maxValueDepth,
): { value: JsonValue } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || !('value' in raw)) {
    throw new ApiError('invalid_value', 'the body must be a JSON object {"value": <any JSON>}');
  }
  const parsed = WriteBodySchema.safeParse(raw);
  if (!parsed.success) {
    throw new ApiError('invalid_value', `invalid body: ${describeIssue(parsed.error)}`);
  }
  if (jsonDepth(parsed.data.value, maxValueDepth) > maxValueDepth) {
    throw new ApiError('invalid_value', `invalid body: value: a JSON value nested at most ${maxValueDepth} deep`, {
      maxValueDepth,
    });
  }
  return parsed.data;
}

/**
 * The write quorum of one request, from `?w=` or the `X-Write-Quorum` header, else the default.
 * Both given and different, or anything but one integer in 1..followerCount: `invalid_quorum`.
 */
export function parseQuorum(query: unknown, header: unknown, defaultW: number, followerCount: number): number {
  const sources = [query, header].filter((v) => v !== undefined);
  if (sources.length === 0) return defaultW;
  const values = sources.map((raw) => parseOneQuorum(raw, followerCount));
  if (values.length === 2 && values[0] !== values[1]) {
    throw new ApiError('invalid_quorum', `?w=${values[0]} and X-Write-Quorum: ${values[1]} disagree`);
  }
  return values[0] as number;
}

function parseOneQuorum(raw: unknown, followerCount: number): number {
  const text = Array.isArray(raw) ? (raw.length === 1 ? raw[0] : undefined) : raw;
  const w = typeof text === 'string' && /^[0-9]{1,3}$/.test(text) ? Number(text) : NaN;
  if (!Number.isInteger(w) || w < 1 || w > followerCount) {
    throw new ApiError('invalid_quorum', `w must be one integer from 1 to ${followerCount}`, {
      followerCount,
    });
  }
  return w;
}

export function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid';
  const where = issue.path.length > 0 ? issue.path.join('.') + ': ' : '';
  return where + issue.message;
}

/** One follower's row of the leader's `GET /status` (cf. PostgreSQL's pg_stat_replication). */
export interface FollowerStatus {
  url: string;
  /** Highest LSN the follower reported applied. */
  ackedLsn: number;
  lagEntries: number;
  /** Age of the oldest entry the follower has not applied (0 when caught up). */
  lagMs: number;
  state: 'streaming' | 'catching-up' | 'unreachable';
  /** It lacks entries the leader's log no longer holds: it will get a snapshot. */
  needsSnapshot: boolean;
  inFlight: number;
  consecutiveFailures: number;
  lastError: string | null;
}

/** The leader's `GET /status`. */
export interface LeaderStatus {
  role: 'leader';
  lsn: number;
  inFlightWrites: number;
  /** Every follower has applied the whole log. */
  drained: boolean;
  /** Index i is follower i + 1. */
  followers: FollowerStatus[];
}
