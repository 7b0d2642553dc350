/**
 * The leader's end of `POST /replication/stream` to one follower: batches go out as lines of
 * one long-lived chunked request, acks come back as lines of its response, matched by id. A
 * batch so costs one line each way instead of an HTTP exchange, and an ack never waits behind
 * the request that carried its entries.
 *
 * Failures keep the meaning they have with one request per batch: connection refused is
 * FollowerUnreachable, a refusal line is the FollowerRefusal the route would have answered, and
 * anything else (a reset, a batch unanswered within its timeout, a stream that ends) fails every
 * batch still waiting on that stream, which is then dropped; the next batch opens a new one.
 * A stream is retired after STREAM_MAX_AGE_MS (its last answers still arrive), well inside the
 * follower's request timeout.
 */
import http from 'node:http';
import {
  PROTOCOL_VERSION,
  SequenceMap,
  checkProtocolVersion,
  describeIssue,
  parseBatchResponse,
  type BatchRequest,
  type BatchResponse,
} from '@quorum-kv/replication-protocol';
import { NdjsonLines } from '@quorum-kv/http-edge';
import { FollowerRefusal, FollowerUnreachable, refusalFrom } from './transport';
import { ReplicationRpcError as StreamRpcError } from './rpc-error';

export const STREAM_PATH = '/replication/stream';
export const PROTOCOL_VERSION_HEADER = 'x-replication-protocol';
/** A stream is replaced after this long (the follower's server ends requests older than 300 s). */
export const STREAM_MAX_AGE_MS = 60_000;
/** Longest answer line read back (an ack lists at most a batch's LSNs). */
const MAX_ANSWER_LINE_BYTES = 16 * 1024 * 1024;

interface Waiting {
  resolve: (response: BatchResponse) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export interface StreamTarget {
  protocol: string;
  hostname: string;
  port: string;
}

/** One open stream: its request, and the batches written on it that wait for their answer. */
class StreamConnection {
  readonly openedAtMs = performance.now();
  private readonly waiting = new SequenceMap<Waiting>(); // message id -> its answer's callbacks
  private nextId = 1;
  private readonly req: http.ClientRequest;
  private closed = false;

  constructor(
    target: StreamTarget,
    authorization: string,
    private readonly onClosed: (c: StreamConnection) => void,
  ) {
    this.req = http.request({
      ...target,
      path: STREAM_PATH,
      method: 'POST',
      agent: false,
      headers: {
        'content-type': 'application/x-ndjson',
        authorization,
        [PROTOCOL_VERSION_HEADER]: String(PROTOCOL_VERSION),
      },
    });
    this.req.setNoDelay(true);
    this.req.on('response', (res) => this.onResponse(res));
    this.req.on('error', (err: NodeJS.ErrnoException) =>
      this.fail(err.code === 'ECONNREFUSED' ? new FollowerUnreachable(err.message) : new StreamRpcError(err.message)),
    );
    this.req.flushHeaders();
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  send(request: BatchRequest, timeoutMs: number): Promise<BatchResponse> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.fail(new StreamRpcError(`no answer within ${timeoutMs} ms`)), timeoutMs);
      this.waiting.set(id, { resolve, reject, timer });
      this.req.write(`{"id":${id},"batch":${JSON.stringify(request)}}\n`);
    });
  }

  /** No more batches on this stream; those written still get their answers. */
  retire(): void {
    if (this.closed) return;
    this.req.end();
    if (this.waiting.size === 0) this.fail(new StreamRpcError('stream retired'));
  }

  destroy(): void {
    this.fail(new StreamRpcError('transport closed'));
  }

  private onResponse(res: http.IncomingMessage): void {
    if (res.statusCode !== 200) return this.readRefusal(res);
    const version = checkProtocolVersion(PROTOCOL_VERSION, versionOf(res.headers[PROTOCOL_VERSION_HEADER]), 'follower');
    if (!version.ok) return this.fail(new FollowerRefusal(version.code, version.message, { ...version }));
    const lines = new NdjsonLines(MAX_ANSWER_LINE_BYTES);
    res.on('data', (chunk: Buffer) => {
      try {
        for (const line of lines.push(chunk)) this.onLine(line);
      } catch (error) {
        this.fail(new StreamRpcError(`bad answer line from follower: ${(error as Error).message}`));
      }
    });
    res.on('end', () => this.fail(new StreamRpcError('the follower ended the replication stream')));
    res.on('error', (err) => this.fail(new StreamRpcError(err.message)));
  }

  private onLine(text: string): void {
    const { id, status, body } = JSON.parse(text) as { id?: unknown; status?: unknown; body?: unknown };
    if (id === null) return this.fail(answerError(Number(status), body));
    const waiting = this.waiting.get(id as number);
    if (!waiting) return; // answered after its batch timed out: the stream is gone already
    this.waiting.delete(id as number);
    clearTimeout(waiting.timer);
    if (status !== 200) return waiting.reject(answerError(Number(status), body));
    const parsed = parseBatchResponse(body);
    if (!parsed.success)
      return waiting.reject(new StreamRpcError(`bad answer from follower: ${describeIssue(parsed.error)}`));
    const check = checkProtocolVersion(PROTOCOL_VERSION, parsed.data.protocolVersion, 'follower');
    if (!check.ok) return waiting.reject(new FollowerRefusal(check.code, check.message, { ...check }));
    waiting.resolve(parsed.data);
    if (this.waiting.size === 0 && this.req.writableEnded) this.fail(new StreamRpcError('stream retired'));
  }

  /** A stream refused when it opened (401, 409 protocol version): every batch on it fails with that answer. */
  private readRefusal(res: http.IncomingMessage): void {
    const chunks: Buffer[] = [];
    let bytes = 0;
    res.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (bytes <= 64 * 1024) chunks.push(chunk);
    });
    res.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        body = text;
      }
      this.fail(answerError(res.statusCode ?? 0, body));
    });
    res.on('error', (err) => this.fail(new StreamRpcError(err.message)));
  }

  /** Ends this stream: every batch still waiting fails with `error`. */
  private fail(error: Error): void {
    if (!this.closed) {
      this.closed = true;
      this.req.destroy();
      this.onClosed(this);
    }
    for (const waiting of this.waiting.values()) {
      clearTimeout(waiting.timer);
      waiting.reject(error);
    }
    this.waiting.clear();
  }
}

function versionOf(header: string | string[] | undefined): unknown {
  if (header === undefined) return undefined;
  const value = Number(header);
  return Number.isFinite(value) ? value : header;
}

function answerError(status: number, body: unknown): Error {
  return (
    refusalFrom(status, body) ??
    new StreamRpcError(
      `follower answered ${status}: ${(typeof body === 'string' ? body : (JSON.stringify(body) ?? '')).slice(0, 200)}`,
    )
  );
}

/** The stream to one follower, opened when a batch needs it and again after it ends. */
export class BatchStream {
  private current: StreamConnection | undefined;
  private readonly open = new Set<StreamConnection>();

  constructor(
    private readonly target: StreamTarget,
    private readonly authorization: string,
    private readonly maxAgeMs = STREAM_MAX_AGE_MS,
  ) {}

  send(request: BatchRequest, timeoutMs: number): Promise<BatchResponse> {
    let connection = this.current;
    if (connection && (!connection.isOpen || performance.now() - connection.openedAtMs >= this.maxAgeMs)) {
      connection.retire();
      connection = undefined;
    }
    if (!connection) {
      connection = new StreamConnection(this.target, this.authorization, (c) => {
        this.open.delete(c);
        if (this.current === c) this.current = undefined;
      });
      this.open.add(connection);
      this.current = connection;
    }
    return connection.send(request, timeoutMs);
  }

  close(): void {
    for (const connection of [...this.open]) connection.destroy();
  }
}
