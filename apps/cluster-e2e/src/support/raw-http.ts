/**
 * A bare HTTP request, for the bad-input tests: every byte of the method, path, headers and
 * body is the test's own (no client library fixes a content type or encodes a path). A fresh
 * connection each time, so a request the server refuses cannot disturb the next one.
 */
import http from 'node:http';

export interface RawRequest {
  method: string;
  /** Sent as is: encode it yourself. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Send the body with `Transfer-Encoding: chunked` (no Content-Length). */
  chunked?: boolean;
}

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
  /** The parsed body, or undefined when it is not JSON. */
  json: unknown;
}

const RAW_TIMEOUT_MS = 10_000;
const CHUNK_BYTES = 64 * 1024;

export function rawRequest(baseUrl: string, request: RawRequest): Promise<RawAnswer> {
  const url = new URL(baseUrl);
  const body = request.body === undefined ? undefined : Buffer.from(request.body);
  const headers: Record<string, string> = { ...request.headers };
  if (body && !request.chunked) headers['content-length'] = String(body.length);
  return new Promise((resolve, reject) => {
    let answered = false;
    const req = http.request({
      host: url.hostname,
      port: url.port,
      method: request.method,
      path: request.path,
      headers,
      agent: false,
    });
    req.setTimeout(RAW_TIMEOUT_MS, () => req.destroy(new Error(`no answer within ${RAW_TIMEOUT_MS} ms`)));
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: parseJson(text) });
      });
    });
    // A server may answer (413) and close before the whole body is sent: that is not an error.
    req.on('error', (err) => {
      if (!answered) reject(err);
    });
    if (body) {
      for (let offset = 0; offset < body.length; offset += CHUNK_BYTES)
        req.write(body.subarray(offset, offset + CHUNK_BYTES));
    }
    req.end();
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
