/**
 * What every error answer must look like (DESIGN §3): the catalogue's status for its code, a
 * JSON body `{error, message, definite, ...}`, and never a stack trace.
 */
import { ERROR_CATALOGUE, type ErrorCode } from '@quorum-kv/replication-protocol';
import { ERROR_STATUS } from '@quorum-kv/http-edge';
import type { RawAnswer } from './raw-http';

/**
 * A V8 stack frame ("    at fn (file.js:1:2)", also with the newline escaped as in JSON text),
 * a source path with a line number, or a `stack` field.
 */
const STACK_FRAME = /(^|\n|\\n)\s*at \S|\bat \S+ \(|\.[cm]?[jt]s:\d+:\d+|"stack"\s*:/;

export function hasStackTrace(text: string): boolean {
  return STACK_FRAME.test(text);
}

export interface ExpectedError {
  /** One code, or the codes a correct answer may use. */
  error: ErrorCode | ErrorCode[];
}

/**
 * Asserts an error body: `error` is one of the expected codes, `status` is that code's status
 * at the edge, `message` is a non-empty sentence, `definite` is the catalogue's. Returns
 * the body for further checks.
 */
export function expectErrorBody(status: number, body: unknown, expected: ExpectedError): Record<string, unknown> {
  const codes = Array.isArray(expected.error) ? expected.error : [expected.error];
  expect(body).toEqual(expect.objectContaining({ error: expect.any(String), message: expect.any(String) }));
  const record = body as Record<string, unknown>;
  const code = record['error'] as ErrorCode;
  expect(codes).toContain(code);
  const entry = ERROR_CATALOGUE[code];
  expect({ status, definite: record['definite'] }).toEqual({ status: ERROR_STATUS[code], definite: entry.definite });
  expect((record['message'] as string).length).toBeGreaterThan(0);
  return record;
}

/** `expectErrorBody` for a raw answer, plus: a 4xx, JSON content type, no stack trace in the text. */
export function expectClientError(answer: RawAnswer, expected: ExpectedError): Record<string, unknown> {
  if (answer.status < 400 || answer.status >= 500) {
    throw new Error(`expected a 4xx answer, got ${answer.status}: ${answer.text.slice(0, 300)}`);
  }
  expect(answer.headers['content-type']).toMatch(/^application\/json\b/);
  expect(hasStackTrace(answer.text)).toBe(false);
  return expectErrorBody(answer.status, answer.json, expected);
}
