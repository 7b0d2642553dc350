/**
 * Cheap exact checks of the messages on the replication hot path (a batch of entries, and the
 * follower's answer to it), for the zod schemas of wire.ts: those stay the one definition.
 *
 * Invariant, first: a fast check accepts only what its schema accepts, and returns it as the
 * schema would (the same object, which has no key the schema would strip). Anything else (an
 * unknown key, a value out of range, a shape it does not know) is left to the schema, which
 * then accepts it after all or refuses it with its usual message. So the follower refuses bad
 * input exactly as before, and a good message costs a few property reads per entry instead of
 * zod's walk (wire-fast.spec.ts checks the two against each other).
 */
import type { z } from 'zod';
import { WIRE_LIMITS } from './limits';
import {
  ACK_MODES,
  BatchRequestSchema,
  BatchResponseSchema,
  KEY_PATTERN,
  MAX_ACK_BEYOND_LSNS,
  ReplicateRequestSchema,
  jsonDepth,
  type BatchRequest,
  type BatchResponse,
  type Entry,
  type ReplicateRequest,
} from './wire';

type Plain = Record<string, unknown>;

const isObject = (v: unknown): v is Plain => typeof v === 'object' && v !== null && !Array.isArray(v);
const isPositiveInt = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) > 0;
const isNonNegativeInt = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isBoundedString = (v: unknown, max: number): v is string =>
  typeof v === 'string' && v.length >= 1 && v.length <= max;

/** Own enumerable keys of `o`, counted without allocating. */
function keyCount(o: Plain): number {
  let n = 0;
  for (const key in o) if (Object.prototype.hasOwnProperty.call(o, key)) n++;
  return n;
}

function isKey(v: unknown): boolean {
  return isBoundedString(v, WIRE_LIMITS.maxKeyLength) && KEY_PATTERN.test(v);
}

/** EntrySchema's check, for an entry with exactly its op's fields. */
export function isWireEntry(v: unknown): v is Entry {
  if (!isObject(v) || !isPositiveInt(v['lsn']) || !isPositiveInt(v['epoch'])) return false;
  const leaderTimeMs = v['leaderTimeMs'];
  if (typeof leaderTimeMs !== 'number' || !Number.isFinite(leaderTimeMs)) return false;
  switch (v['op']) {
    case 'put': {
      const value = v['value'];
      if (value === undefined || !isKey(v['key']) || keyCount(v) !== 6) return false;
      // A scalar needs no walk (a non-finite number cannot come out of JSON.parse as a value here, but is refused anyway).
      if (typeof value !== 'object' || value === null) return typeof value !== 'number' || Number.isFinite(value);
      return jsonDepth(value, WIRE_LIMITS.maxValueDepth) <= WIRE_LIMITS.maxValueDepth;
    }
    case 'delete':
      return isKey(v['key']) && keyCount(v) === 5;
    case 'noop':
      return keyCount(v) === 4;
    default:
      return false;
  }
}

const REQUEST_KEYS = 7; // leaderId clusterId epoch prevLsn prevEpoch ackMode entries

/** ReplicateRequestSchema's check (`withVersion`: BatchRequestSchema's), for a request with exactly its fields. */
function isReplicateRequest(v: unknown, withVersion: boolean): boolean {
  if (!isObject(v)) return false;
  if (!isBoundedString(v['leaderId'], 128) || !isBoundedString(v['clusterId'], 128)) return false;
  if (!isPositiveInt(v['epoch']) || !isNonNegativeInt(v['prevLsn']) || !isNonNegativeInt(v['prevEpoch'])) return false;
  if (!(ACK_MODES as readonly unknown[]).includes(v['ackMode'])) return false;
  let keys = REQUEST_KEYS;
  if ('applyWaitMs' in v) {
    const applyWaitMs = v['applyWaitMs'];
    if (!isNonNegativeInt(applyWaitMs) || applyWaitMs > 60_000) return false;
    keys++;
  }
  if (withVersion) {
    if (!isPositiveInt(v['protocolVersion'])) return false;
    keys++;
  }
  const entries = v['entries'];
  if (!Array.isArray(entries) || entries.length === 0 || keyCount(v) !== keys) return false;
  for (let i = 0; i < entries.length; i++) if (!isWireEntry(entries[i])) return false;
  return true;
}

/** What a parse gives: the message, or zod's error (only for input the fast check left to zod). */
export type WireParse<T> = { success: true; data: T } | { success: false; error: z.ZodError };

/** The fast check, else the schema (for its verdict and its message). */
function fastOrSchema<T>(body: unknown, fast: (v: unknown) => boolean, schema: z.ZodType<T>): WireParse<T> {
  if (fast(body)) return { success: true, data: body as T };
  const parsed = schema.safeParse(body);
  return parsed.success ? { success: true, data: parsed.data } : { success: false, error: parsed.error };
}

/** ReplicateRequestSchema.safeParse, cheaply for a good request. */
export function parseReplicateRequest(body: unknown): WireParse<ReplicateRequest> {
  return fastOrSchema(body, (v) => isReplicateRequest(v, false), ReplicateRequestSchema);
}

/** BatchRequestSchema.safeParse, cheaply for a good batch. */
export function parseBatchRequest(body: unknown): WireParse<BatchRequest> {
  return fastOrSchema(body, (v) => isReplicateRequest(v, true), BatchRequestSchema);
}

const RESPONSE_KEYS = 8; // followerId appliedLsn refusedLsns bufferedCount epoch appliedEpoch protocolVersion ack

function isLsnList(v: unknown, max: number): boolean {
  if (!Array.isArray(v) || v.length > max) return false;
  for (let i = 0; i < v.length; i++) if (!isPositiveInt(v[i])) return false;
  return true;
}

/** BatchResponseSchema's check, for an answer with exactly its fields. */
function isBatchResponse(v: unknown): boolean {
  if (!isObject(v) || typeof v['followerId'] !== 'string') return false;
  if (!isNonNegativeInt(v['appliedLsn']) || !isNonNegativeInt(v['bufferedCount'])) return false;
  if (!isNonNegativeInt(v['epoch']) || !isNonNegativeInt(v['appliedEpoch'])) return false;
  if (!isPositiveInt(v['protocolVersion']) || !isLsnList(v['refusedLsns'], Infinity)) return false;
  const ack = v['ack'];
  if (!isObject(ack) || !isNonNegativeInt(ack['upToLsn']) || !isLsnList(ack['beyondLsns'], MAX_ACK_BEYOND_LSNS))
    return false;
  return keyCount(ack) === 2 && keyCount(v) === RESPONSE_KEYS;
}

/** BatchResponseSchema.safeParse, cheaply for a good answer. */
export function parseBatchResponse(body: unknown): WireParse<BatchResponse> {
  return fastOrSchema(body, isBatchResponse, BatchResponseSchema);
}
