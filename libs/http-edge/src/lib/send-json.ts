/**
 * A JSON answer written straight to node's response: the headers express's `res.json` would
 * send (`application/json; charset=utf-8` and the length; no etag or x-powered-by, which the
 * app disables), without its per-call content-type parsing, charset rewriting and freshness
 * check. For the answers on the hot path of every write; everything else keeps `res.json`.
 */
import type { ServerResponse } from 'node:http';

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

export function sendJson(res: ServerResponse, body: unknown, status = 200): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': JSON_CONTENT_TYPE, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}
