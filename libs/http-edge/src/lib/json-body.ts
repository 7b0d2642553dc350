/**
 * Body parsing for JSON routes: the content type must be JSON and the body uncompressed UTF-8
 * (else 415), the size is bounded (413, before reading when Content-Length says so), and bad
 * JSON is a 400. An empty body leaves `req.body` undefined.
 *
 * Why not express.json(): this is on the hot path of every write and every replication RPC,
 * and body-parser's general machinery (content-type and charset parsing, iconv decoding
 * streams, inflation) costs a measurable share of that path's budget (the README has the
 * figure). This reads the stream, concatenates and JSON.parses; nothing else.
 */
import type { Request, RequestHandler } from 'express';
import { ApiError } from '@quorum-kv/replication-protocol';

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

export function jsonBody(limitBytes: number): RequestHandler {
  const tooLarge = () =>
    new ApiError('payload_too_large', `the body is larger than ${limitBytes} bytes`, { limitBytes });
  return (req, _res, next) => {
    if (!isJsonType(req))
      return next(new ApiError('unsupported_media_type', 'send the body as Content-Type: application/json'));
    const unreadable = unreadableReason(req);
    if (unreadable) return next(new ApiError('unsupported_media_type', unreadable));
    const declared = Number(req.headers['content-length'] ?? NaN);
    if (declared > limitBytes) return discardThen(req, () => next(tooLarge()));

    const chunks: Buffer[] = [];
    let received = 0;
    let done = false;
    const finish = (error?: ApiError) => {
      if (done) return;
      done = true;
      req.off('data', onData);
      if (error) return next(error);
      if (received === 0) return next();
      try {
        req.body = JSON.parse(Buffer.concat(chunks, received).toString('utf8'));
      } catch {
        return next(new ApiError('invalid_json', 'the body is not valid JSON'));
      }
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
  };
}
