/**
 * A bare HTTP request, for the bad-input and hostile-input tests: every byte of the method, path,
 * headers and body is the test's own (no client library fixes a content type or encodes a path),
 * and a header may be given several times (`?w=` has a header twin, `X-Write-Quorum`, which a
 * hostile client can repeat). A fresh connection each time, so a request the server refuses
 * cannot disturb the next one. The answer keeps whatever the server sent, even an empty body
 * (HEAD, or node's own HTTP parser refusing a request before express sees it).
 */
import http from 'node:http';
import net from 'node:net';

export interface RawRequest {
  method: string;
  /** Sent as is: encode it yourself. */
  path: string;
  /** A list sends the header once per item, in order. */
  headers?: Record<string, string | string[]>;
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

const RAW_TIMEOUT_MS = 15_000;
const CHUNK_BYTES = 64 * 1024;

export function rawRequest(baseUrl: string, request: RawRequest): Promise<RawAnswer> {
  const url = new URL(baseUrl);
  const body = request.body === undefined ? undefined : Buffer.from(request.body);
  const headers: Record<string, string | string[]> = { ...request.headers };
  // Framing named explicitly: node only chunks PUT/POST-like bodies by default, and a DELETE body
  // sent with neither header would reach the server as the start of a second request.
  if (body)
    headers[request.chunked ? 'transfer-encoding' : 'content-length'] = request.chunked
      ? 'chunked'
      : String(body.length);
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
    req.setTimeout(RAW_TIMEOUT_MS, () =>
      req.destroy(new Error(`no answer within ${RAW_TIMEOUT_MS} ms to ${describeRequest(request)}`)),
    );
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
    // A server may answer (413, 415) and close before the whole body is sent: not an error.
    req.on('error', (err) => {
      if (!answered) reject(new Error(`${describeRequest(request)}: ${err.message}`));
    });
    if (body) {
      for (let offset = 0; offset < body.length; offset += CHUNK_BYTES)
        req.write(body.subarray(offset, offset + CHUNK_BYTES));
    }
    req.end();
  });
}

/**
 * Writes `bytes` on a fresh TCP connection as they are (malformed framing no HTTP client would
 * send) and resolves with the status line's code and everything the server sent before closing
 * or going quiet.
 */
export function sendRawBytes(baseUrl: string, bytes: string): Promise<{ status: number; text: string }> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port) });
    const chunks: Buffer[] = [];
    const done = () => {
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      resolve({ status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0), text });
    };
    socket.setTimeout(2000, done);
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('end', done);
    socket.on('error', (err) => (chunks.length > 0 ? done() : reject(err)));
    socket.write(bytes, 'latin1');
  });
}

/** One short line for failure messages: method, path and body, each cut to a readable length. */
export function describeRequest(request: RawRequest): string {
  const cut = (text: string, max: number) =>
    text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
  const body =
    request.body === undefined ? '' : ` body=${JSON.stringify(cut(Buffer.from(request.body).toString('utf8'), 160))}`;
  return `${request.method} ${cut(request.path, 160)} headers=${JSON.stringify(request.headers ?? {})}${request.chunked ? ' chunked' : ''}${body}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
