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
import type { NextFunction, Request, RequestHandler, Response } from 'express';
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
  const settings: BodySettings = { limitBytes, budget, bodyTimeoutMs, exactNumbers, tooLarge };
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
    readBody(req, res, next, settings, reservedBytes);
  };
}

interface BodySettings {
  limitBytes: number;
  budget: BodyBudget | undefined;
  bodyTimeoutMs: number | undefined;
  exactNumbers: boolean;
  tooLarge: () => ApiError;
}

/**
 * One body being read. The stream's listeners are shared by every request (they find this on
 * the request), so reading a body allocates this record and its chunks, no closures.
 */
interface BodyRead {
  settings: BodySettings;
  res: Response;
  next: NextFunction;
  reservedBytes: number;
  first: Buffer | undefined;
  more: Buffer[] | undefined;
  received: number;
  done: boolean;
  timer: NodeJS.Timeout | undefined;
}

const BODY_READ = Symbol('quorum-kv.body-read');
type ReadingRequest = Request & { [BODY_READ]?: BodyRead };

function readBody(req: Request, res: Response, next: NextFunction, settings: BodySettings, reservedBytes: number) {
  const read: BodyRead = {
    settings,
    res,
    next,
    reservedBytes,
    first: undefined,
    more: undefined,
    received: 0,
    done: false,
    timer: undefined,
  };
  (req as ReadingRequest)[BODY_READ] = read;
  req.on('data', onBodyData);
  req.on('end', onBodyEnd);
  req.on('error', onBodyError);
  req.on('aborted', onBodyAborted);
  // Once node has the whole body, it cannot stop arriving. A small body comes with its headers
  // and is read within this turn of the event loop, so the timer waits for the turn's end: a
  // timer per request costs node a timer list made and deleted per request (the leader's profile).
  if (settings.bodyTimeoutMs !== undefined && !req.complete) setImmediate(armBodyTimer, req);
}

/** The body timer, for a body still arriving at the end of the turn its request came in. */
function armBodyTimer(req: ReadingRequest): void {
  const read = req[BODY_READ] as BodyRead;
  if (read.done || read.settings.bodyTimeoutMs === undefined) return;
  read.timer = setTimeout(onBodyTimeout, read.settings.bodyTimeoutMs, req);
}

// Past the limit the rest is still read (and dropped) so the client gets to read the 413.
function onBodyData(this: ReadingRequest, chunk: Buffer): void {
  const read = this[BODY_READ] as BodyRead;
  read.received += chunk.length;
  if (read.received > read.settings.limitBytes) return;
  if (read.first === undefined) read.first = chunk;
  else (read.more ??= []).push(chunk);
}

function onBodyEnd(this: ReadingRequest): void {
  const read = this[BODY_READ] as BodyRead;
  finishBody(this, read.received > read.settings.limitBytes ? read.settings.tooLarge() : undefined);
}

function onBodyError(this: ReadingRequest): void {
  finishBody(this, new ApiError('invalid_request', 'the request body could not be read'));
}

function onBodyAborted(this: ReadingRequest): void {
  finishBody(this, new ApiError('invalid_request', 'the request body was cut off'));
}

function onBodyTimeout(req: ReadingRequest): void {
  const read = req[BODY_READ] as BodyRead;
  read.res.setHeader('Connection', 'close'); // the rest of the body is never read
  const { bodyTimeoutMs } = read.settings;
  finishBody(
    req,
    new ApiError(
      'request_timeout',
      `the body did not arrive within ${bodyTimeoutMs} ms (${read.received} bytes came); send it at once`,
      { bodyTimeoutMs },
    ),
  );
}

function finishBody(req: ReadingRequest, error?: ApiError): void {
  const read = req[BODY_READ];
  if (read === undefined || read.done) return;
  read.done = true;
  if (read.timer !== undefined) clearTimeout(read.timer);
  read.settings.budget?.release(read.reservedBytes);
  req.off('data', onBodyData);
  const { next, first, more, received } = read;
  read.first = read.more = undefined;
  if (error) return next(error);
  if (received === 0 || first === undefined) return next();
  const bytes = more === undefined ? first : Buffer.concat([first, ...more], received);
  const parsed = parse(bytes, read.settings.exactNumbers);
  if (parsed instanceof ApiError) return next(parsed);
  req.body = parsed.value;
  next();
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
