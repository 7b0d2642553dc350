/**
 * The wire format shared by leader and follower. One zod schema per message serves both
 * sides: the leader builds messages of these types, the follower validates them on arrival.
 */
import { z } from 'zod';
import { ApiError } from './errors';
import type { FollowerState } from './follower-progress';
import type { SnapshotTransferStatus } from './snapshot-transfer';
import { describeIssue } from './zod-error';
import { DEFAULT_LIMITS, WIRE_LIMITS } from './limits';

/** Keys are short printable identifiers: letters, digits and `_ . : ~ -`. */
export const KEY_PATTERN = /^[A-Za-z0-9_.:~-]+$/;

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export const ACK_MODES = ['received', 'flushed', 'applied'] as const;
/**
 * As PostgreSQL's synchronous_commit `remote_write`, `on` and `remote_apply`:
 * `received`: the follower acks once the entry is stored in its log (buffered if early; handed
 * to the OS when it has a DATA_DIR, no fsync waited for).
 * `flushed`: the follower acks once an fsync covering the entry is done (group commit); a
 * follower without DATA_DIR treats it as `received` and its `/status` says so.
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

/**
 * One log entry: `(epoch, lsn)` names it. A leader stamps every entry of its log with its own
 * epoch (recovery re-stamps what it adopts), so one epoch never holds two different entries at
 * one LSN. A `noop` fills an LSN that recovery found no responder holding.
 */
const lsn = z.number().int().positive();
const epoch = z.number().int().positive();
const leaderTimeMs = z.number();
export const EntrySchema = z.discriminatedUnion('op', [
  z.object({ lsn, epoch, op: z.literal('put'), key: KeySchema, value: JsonValueSchema, leaderTimeMs }),
  z.object({ lsn, epoch, op: z.literal('delete'), key: KeySchema, leaderTimeMs }),
  z.object({ lsn, epoch, op: z.literal('noop'), leaderTimeMs }),
]);
export type Entry = z.infer<typeof EntrySchema>;

const ClusterIdSchema = z.string().min(1).max(128);
const EpochSchema = z.number().int().positive();

/** Leader -> follower: `POST /replication/entries`. */
export const ReplicateRequestSchema = z.object({
  leaderId: z.string().min(1).max(128),
  /** The cluster the leader belongs to; a follower of another cluster refuses it. */
  clusterId: ClusterIdSchema,
  /** The leader's epoch; a follower that promised a higher one refuses it. */
  epoch: EpochSchema,
  /** Log matching (Raft): the (epoch, lsn) of the entry before the batch's lowest LSN; 0, 0 for none. */
  prevLsn: z.number().int().nonnegative(),
  prevEpoch: z.number().int().nonnegative(),
  ackMode: AckModeSchema,
  /** In `applied` mode, the longest the follower holds its answer waiting for the apply. */
  applyWaitMs: z.number().int().nonnegative().max(60_000).optional(),
  entries: z.array(EntrySchema).min(1),
});
export type ReplicateRequest = z.infer<typeof ReplicateRequestSchema>;

/**
 * A whole snapshot, as a follower installs it: the leader's state at `lsn`. The entry at `lsn`
 * and every one before it belong to the leader's log of `epoch`. It travels in chunks
 * (`SnapshotChunkRequestSchema`), which the follower stages and joins into this.
 */
export const SnapshotRequestSchema = z.object({
  leaderId: z.string().min(1).max(128),
  clusterId: ClusterIdSchema,
  epoch: EpochSchema,
  lsn: z.number().int().nonnegative(),
  items: z.array(z.tuple([KeySchema, JsonValueSchema, z.number().int().positive()])),
});
export type SnapshotRequest = z.infer<typeof SnapshotRequestSchema>;

/**
 * Leader -> follower: `POST /replication/snapshot`, one chunk of a snapshot. A snapshot taken at
 * `lsn` goes as chunks `seq` 0, 1, ... of one `snapshotId` (increasing per leader), each bounded
 * in bytes; the follower stages them and installs the whole at the chunk marked `last`. Every
 * chunk repeats the header, so each is judged on its own (cluster, epoch, log position).
 */
export const SnapshotChunkRequestSchema = SnapshotRequestSchema.extend({
  snapshotId: z.number().int().positive(),
  seq: z.number().int().nonnegative(),
  last: z.boolean(),
  /** Keys in the whole snapshot: the staged chunks must add up to it. */
  totalItems: z.number().int().nonnegative(),
  /** The leader's measure of the whole snapshot (its keys' entries as JSON), so a follower can refuse it up front. */
  totalBytes: z.number().int().nonnegative(),
});
export type SnapshotChunkRequest = z.infer<typeof SnapshotChunkRequestSchema>;

/** Follower -> leader, the answer to a replication request (entries or snapshot). */
export const ReplicateResponseSchema = z.object({
  followerId: z.string(),
  /** Highest LSN such that every entry up to it is applied. */
  appliedLsn: z.number().int().nonnegative(),
  /** Entries of this request refused because the buffer was full; every other one is stored. */
  refusedLsns: z.array(z.number().int().positive()),
  bufferedCount: z.number().int().nonnegative(),
  /** The highest epoch the follower has promised. */
  epoch: z.number().int().nonnegative(),
  /** Epoch of the entry at `appliedLsn` (0 when nothing is applied). */
  appliedEpoch: z.number().int().nonnegative(),
});
export type ReplicateResponse = z.infer<typeof ReplicateResponseSchema>;

/**
 * Leader -> follower: `POST /replication/batch` (protocol version 2): the entries of one
 * follower's outbox that were ready together, in LSN order but not necessarily contiguous
 * (each entry has its own injected delay). `prevLsn`/`prevEpoch` name the entry before the
 * lowest. The follower checks `protocolVersion` before anything else.
 */
export const BatchRequestSchema = ReplicateRequestSchema.extend({
  protocolVersion: z.number().int().positive(),
});
export type BatchRequest = z.infer<typeof BatchRequestSchema>;

/** Bound on the out-of-order LSNs one ack lists: a message carries at most this many entries. */
export const MAX_ACK_BEYOND_LSNS = 100_000;

/**
 * A cumulative ack: every LSN up to `upToLsn` (the follower's applied LSN, so of its
 * `appliedEpoch`), plus the LSNs of this message stored beyond a gap. One ack covers every
 * write it names, whichever message carried it.
 */
export const CumulativeAckSchema = z.object({
  upToLsn: z.number().int().nonnegative(),
  beyondLsns: z.array(z.number().int().positive()).max(MAX_ACK_BEYOND_LSNS),
});

/** Follower -> leader, the answer to a batch: the usual answer, the follower's protocol version and the cumulative ack. */
export const BatchResponseSchema = ReplicateResponseSchema.extend({
  protocolVersion: z.number().int().positive(),
  ack: CumulativeAckSchema,
});
export type BatchResponse = z.infer<typeof BatchResponseSchema>;

/**
 * Leader -> follower: `POST /replication/recover`, the one recovery step (Raft's vote, Paxos'
 * prepare): a follower that has promised nothing >= `epoch` promises it and answers with its
 * log in the same step.
 */
export const RecoverRequestSchema = z.object({
  leaderId: z.string().min(1).max(128),
  clusterId: ClusterIdSchema,
  epoch: EpochSchema,
});
export type RecoverRequest = z.infer<typeof RecoverRequestSchema>;

/**
 * What a follower holds: its state at `baseLsn` (a snapshot it installed, or empty at 0), then
 * `entries`: every entry after the base it applied, and every one it buffers beyond a gap.
 */
export const FollowerLogSchema = z.object({
  baseLsn: z.number().int().nonnegative(),
  baseEpoch: z.number().int().nonnegative(),
  items: z.array(z.tuple([KeySchema, JsonValueSchema, z.number().int().positive()])),
  entries: z.array(EntrySchema),
});
export type FollowerLog = z.infer<typeof FollowerLogSchema>;

/** Follower -> leader: the promise and the log, in one answer. */
export const RecoverResponseSchema = z.object({
  followerId: z.string(),
  epoch: EpochSchema,
  appliedLsn: z.number().int().nonnegative(),
  appliedEpoch: z.number().int().nonnegative(),
  log: FollowerLogSchema,
});
export type RecoverResponse = z.infer<typeof RecoverResponseSchema>;

/** Client -> leader: the body of `PUT /kv/:key`. */
export const WriteBodySchema = z.object({ value: JsonValueSchema }).strict();

/**
 * Nesting depth of a JSON value (a scalar is 0), counting no further than `stopAfter + 1`; a
 * value holding a non-finite number counts as too deep (Infinity), so one check refuses both.
 */
export function jsonDepth(value: unknown, stopAfter: number): number {
  if (typeof value !== 'object' || value === null)
    return typeof value === 'number' && !Number.isFinite(value) ? Infinity : 0;
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
  // The accepted case, checked exactly as KeySchema does without its parse; a refusal gets its words.
  if (
    typeof raw === 'string' &&
    raw.length <= Math.min(maxKeyLength, WIRE_LIMITS.maxKeyLength) &&
    KEY_PATTERN.test(raw)
  )
    return raw;
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
  // The accepted case, checked exactly as WriteBodySchema does (only `value`, defined, not too
  // deep) without its parse and copy; a refusal gets the schema's words.
  const value = (raw as { value?: unknown }).value;
  if (value !== undefined && hasOnlyKey(raw, 'value')) {
    const depth = jsonDepth(value, maxValueDepth);
    if (depth <= maxValueDepth && depth <= WIRE_LIMITS.maxValueDepth) return { value: value as JsonValue };
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

function hasOnlyKey(object: object, key: string): boolean {
  let count = 0;
  for (const own in object) {
    if (own !== key || !Object.hasOwn(object, own)) return false;
    count++;
  }
  return count === 1;
}

/** One follower's row of the leader's `GET /status` (cf. PostgreSQL's pg_stat_replication). */
export interface FollowerStatus {
  url: string;
  /** The leader's tracker state of this follower (as etcd raft's probe / replicate / snapshot). */
  progress: 'probe' | 'replicate' | 'snapshot';
  /** Highest LSN the follower reported applied. */
  ackedLsn: number;
  lagEntries: number;
  /** Age of the oldest entry the follower has not applied (0 when caught up). */
  lagMs: number;
  state: FollowerState;
  /** It lacks entries the leader's log no longer holds: it will get a snapshot. */
  needsSnapshot: boolean;
  inFlight: number;
  consecutiveFailures: number;
  lastError: string | null;
  /** The snapshot on its way to it, chunk by chunk, or null. */
  snapshot: SnapshotTransferStatus | null;
  /**
   * Snapshots to it started again: its staging was lost (it restarted), or the log no longer
   * held the entry after the snapshot's LSN when it was done (MAX_LOG_BYTES or MAX_LOG_ENTRIES
   * too small for the time a snapshot takes: see the README).
   */
  snapshotRestarts: number;
}

/** A leader recovers, then serves until a higher epoch fences it. */
export const LEADER_STATES = ['recovering', 'serving', 'fenced'] as const;
export type LeaderState = (typeof LEADER_STATES)[number];

/** What the last recovery did, for `/status`. */
export interface RecoveryStatus {
  /** Attempts so far (each proposes a higher epoch). */
  attempts: number;
  /** Followers (1-based) whose promise and log the recovery used. */
  answered: number[];
  /** Follower (1-based) whose state at its base LSN the recovered log starts from (0: the leader's own log on disk), or null. */
  baseFrom: number | null;
  baseLsn: number;
  /** Per follower (1-based; `leader`: the leader's own log on disk), how many entries of the recovered log came from it. */
  adopted: Record<string, number>;
  /** LSNs no responder held, filled with no-ops. */
  holesFilled: number;
  /** The recovered log runs to this LSN. */
  lastLsn: number;
  /** Followers (1-based) that refused with a higher epoch in the last attempt. */
  refusedBy: number[];
  done: boolean;
}

/** The leader's `GET /status`. */
export interface LeaderStatus {
  role: 'leader';
  state: LeaderState;
  epoch: number;
  /** Set once fenced: the newer epoch a follower reported. */
  fencedBy: number | null;
  recoveryQuorum: number;
  /** W values with W + R <= N: outside the durability promise for this R. */
  wOutsidePromise: number[];
  recovery: RecoveryStatus | null;
  lsn: number;
  inFlightWrites: number;
  /** Every follower has applied the whole log. */
  drained: boolean;
  /** Index i is follower i + 1. */
  followers: FollowerStatus[];
}
