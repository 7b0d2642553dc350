/**
 * Body parsing for JSON routes: the content type must be JSON and the body uncompressed UTF-8
 * (else 415), the size is bounded (413, before reading when Content-Length says so), and bad
 * JSON or UTF-8 is a 400. An empty body leaves `req.body` undefined. Optionally: the bytes of
 * bodies in flight are bounded (429 before reading), a body that stops arriving is dropped
 * (408), and numbers JSON.parse would round are refused (400) rather than stored changed.
 *
 * Why not express.json(): this is on the hot path of every write and every replication RPC,
 * and body-parser's general machinery (content-type and charset parsing, iconv decoding
 * streams, inflation) costs a measurable share of that path's budget (the README has the
 * figure). This reads the stream, concatenates and JSON.parses; nothing else.
 */
import type { Request, RequestHandler } from 'express';
import { isUtf8 } from 'node:buffer';
import { ApiError } from '@quorum-kv/replication-protocol';
import type { BodyBudget } from './body-budget';
import { findInexactNumber } from './exact-numbers';

function isJsonType(req: Request): boolean {
  const type = req.headers['content-type'];
  if (type === 'application/json' || type === 'application/json; charset=utf-8') return true;
  return Boolean(req.is('application/json'));
}

function unreadableReason(req: Request): string | undefined {
  const encoding = req.headers['content-encoding'];
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity')
    return `Content-Encoding ${encoding} is not accepted; send the body uncompressed`;
  const charset = /;\s*charset=("?)([^";]+)\1/i.exec(req.headers['content-type'] ?? '')?.[2]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8')
    return `charset ${charset} is not accepted; send UTF-8`;
  return undefined;
}

/**
 * Reads and drops the rest of a refused body before answering, as body-parser does: a client
 * still sending would otherwise see its connection reset (EPIPE) instead of reading the 413.
 * The server's request timeout bounds how long a client can keep this going.
 */
function discardThen(req: Request, answer: () => void): void {
  let answered = false;
  const once = () => {
    if (!answered) {
      answered = true;
      answer();
    }
  };
  req.once('end', once);
  req.once('close', once);
  req.once('error', once);
  req.resume();
}

export interface JsonBodyOptions {
  /** Shared bound on the bytes of bodies being read at once; beyond it, 429 before reading. */
  budget?: BodyBudget;
  /** A body not fully arrived this long after its route started reading it is dropped (408, connection closed). */
  bodyTimeoutMs?: number;
  /** Refuse numbers JSON.parse would change (beyond ±(2^53 − 1), -0, underflow to 0) instead of rounding them. */
  exactNumbers?: boolean;
  /** Seconds a refused client is told to wait (Retry-After) when the budget is spent. */
  retryAfterS?: number;
}

export function jsonBody(limitBytes: number, options: JsonBodyOptions = {}): RequestHandler {
  const { budget, bodyTimeoutMs, exactNumbers = false, retryAfterS = 1 } = options;
  const tooLarge = () =>
    new ApiError('payload_too_large', `the body is larger than ${limitBytes} bytes`, { limitBytes });
  return (req, res, next) => {
    if (!isJsonType(req))
      return next(new ApiError('unsupported_media_type', 'send the body as Content-Type: application/json'));
    const unreadable = unreadableReason(req);
    if (unreadable) return next(new ApiError('unsupported_media_type', unreadable));
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > limitBytes) return discardThen(req, () => next(tooLarge()));

    // A body that declares no length may be as large as the limit: it reserves that much.
    const reservedBytes = Number.isFinite(declared) ? declared : limitBytes;
    if (budget && !budget.tryReserve(reservedBytes)) {
      res.setHeader('Retry-After', String(retryAfterS));
      res.setHeader('Connection', 'close'); // the body stays unread, so the connection can't be reused
      return next(
        new ApiError(
          'too_many_bodies',
          `request bodies being read already hold ${budget.inFlightBytes} of ${budget.maxBytes} bytes; retry later`,
          { maxBodyBytesInFlight: budget.maxBytes },
        ),
      );
    }

    const chunks: Buffer[] = [];
    let received = 0;
    let done = false;
    let timer: NodeJS.Timeout | undefined;
    const finish = (error?: ApiError) => {
      if (done) return;
      done = true;
      if (timer !== undefined) clearTimeout(timer);
      budget?.release(reservedBytes);
      req.off('data', onData);
      if (error) return next(error);
      if (received === 0) return next();
      const bytes = Buffer.concat(chunks, received);
      chunks.length = 0;
      const parsed = parse(bytes, exactNumbers);
      if (parsed instanceof ApiError) return next(parsed);
      req.body = parsed.value;
      next();
    };
    // Past the limit the rest is still read (and dropped) so the client gets to read the 413.
    const onData = (chunk: Buffer) => {
      received += chunk.length;
      if (received <= limitBytes) chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => finish(received > limitBytes ? tooLarge() : undefined));
    req.once('error', () => finish(new ApiError('invalid_request', 'the request body could not be read')));
    req.once('aborted', () => finish(new ApiError('invalid_request', 'the request body was cut off')));
    if (bodyTimeoutMs !== undefined) {
      timer = setTimeout(() => {
        res.setHeader('Connection', 'close'); // the rest of the body is never read
        finish(
          new ApiError(
            'request_timeout',
            `the body did not arrive within ${bodyTimeoutMs} ms (${received} bytes came); send it at once`,
            { bodyTimeoutMs },
          ),
        );
      }, bodyTimeoutMs);
    }
  };
}

/** The body as JSON, or the reason it is refused: invalid UTF-8, invalid JSON, an inexact number. */
function parse(bytes: Buffer, exactNumbers: boolean): { value: unknown } | ApiError {
  if (!isUtf8(bytes)) return new ApiError('invalid_utf8', 'the body is not valid UTF-8');
  const text = bytes.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return new ApiError('invalid_json', 'the body is not valid JSON');
  }
  const inexact = exactNumbers ? findInexactNumber(text) : undefined;
  if (inexact !== undefined) return new ApiError('invalid_value', `a number would not be stored exactly: ${inexact}`);
  return { value };
}
