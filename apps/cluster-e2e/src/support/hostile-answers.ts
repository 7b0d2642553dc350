/**
 * The checks of the hostile-input properties (DESIGN §3, "Bad input"): which statuses a node may
 * answer at all, what every refusal looks like, and store comparisons that survive keys such as
 * `__proto__` (compared as sorted entry lists, never by assigning into a plain object).
 */
import { ERROR_CATALOGUE, type ErrorCode } from '@quorum-kv/replication-protocol';
import { ERROR_STATUS } from '@quorum-kv/http-edge';
import type { StoreDump } from '@quorum-kv/bench';
import type { RawAnswer } from './raw-http';
import { hasStackTrace } from './error-answers';

/** The only 5xx a node may answer: a quorum not reached, which is indefinite (the write stays on the leader). */
export const INDEFINITE_QUORUM_STATUSES: readonly number[] = [
  ERROR_STATUS.quorum_unreachable,
  ERROR_STATUS.quorum_timeout,
];

/** A dump's map as `[key, value]` pairs sorted by key: equal stores give equal lists. */
export function storeEntries(store: Record<string, unknown>): Array<[string, unknown]> {
  return sortByKey(Object.entries(store));
}

function sortByKey(entries: Array<[string, unknown]>): Array<[string, unknown]> {
  return entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** A dump in a form `toEqual` compares safely (no prototype games with a `__proto__` key). */
export function comparableDump(dump: StoreDump): { lsn: number; entries: Array<[string, unknown]> } {
  return { lsn: dump.lsn, entries: storeEntries(dump.store) };
}

/** What a JSON value is once it has been through JSON text: what a node stores and sends back. */
export function throughJson(value: unknown): unknown {
  const text = JSON.stringify(value);
  return text === undefined ? undefined : JSON.parse(text);
}

/** The store of `before` with one key written (`value`) or deleted (`value` undefined). */
export function withKey(
  before: StoreDump,
  lsn: number,
  key: string,
  value: unknown,
): { lsn: number; entries: Array<[string, unknown]> } {
  const entries = storeEntries(before.store).filter(([k]) => k !== key);
  if (value !== undefined) entries.push([key, value]);
  return { lsn, entries: sortByKey(entries) };
}

/**
 * A refusal as DESIGN §3 wants it: a 4xx, `Content-Type: application/json`, the body
 * `{error, message, definite: true}` with `error` from the catalogue and the catalogue's status,
 * and no stack trace. A HEAD answer has no body by definition; only its status and content type
 * are checked. Returns the error code (undefined for HEAD).
 */
export function expectDefiniteRefusal(answer: RawAnswer, method: string): ErrorCode | undefined {
  if (answer.status < 400 || answer.status > 499)
    throw new Error(`expected a 4xx, got ${answer.status}: ${answer.text.slice(0, 300)}`);
  expect(answer.headers['content-type']).toMatch(/^application\/json\b/);
  if (method.toUpperCase() === 'HEAD') {
    expect(answer.text).toBe('');
    return undefined;
  }
  expect(hasStackTrace(answer.text)).toBe(false);
  const body = answer.json as Record<string, unknown> | undefined;
  expect(body).toEqual(
    expect.objectContaining({ error: expect.any(String), message: expect.any(String), definite: true }),
  );
  const code = (body as Record<string, unknown>)['error'] as string;
  expect(Object.keys(ERROR_CATALOGUE)).toContain(code);
  expect({ code, status: answer.status }).toEqual({ code, status: ERROR_STATUS[code as ErrorCode] });
  expect(((body as Record<string, unknown>)['message'] as string).length).toBeGreaterThan(0);
  return code as ErrorCode;
}

/** A 503/504: the quorum was not reached in time; indefinite, naming the LSN the write got. */
export function expectIndefiniteQuorumError(answer: RawAnswer): number {
  expect(INDEFINITE_QUORUM_STATUSES).toContain(answer.status);
  expect(hasStackTrace(answer.text)).toBe(false);
  const body = answer.json as Record<string, unknown>;
  expect(body).toEqual(
    expect.objectContaining({
      error: expect.stringMatching(/^quorum_(timeout|unreachable)$/),
      definite: false,
      lsn: expect.any(Number),
    }),
  );
  return body['lsn'] as number;
}
