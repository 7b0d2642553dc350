/**
 * Replication over HTTP with node's own client: one keep-alive agent per follower with Nagle
 * off, so an entry costs one write on an open socket. (This is the hot path of every write; a
 * general-purpose client adds milliseconds here, see the README's fidelity notes.)
 */
import http from 'node:http';
import { z } from 'zod';
import {
  PROTOCOL_VERSION,
  parseBatchResponse,
  type WireParse,
  checkProtocolVersion,
  RecoverResponseSchema,
  ReplicateResponseSchema,
  describeIssue,
  type BatchRequest,
  type BatchResponse,
  type RecoverRequest,
  type RecoverResponse,
  type ReplicateRequest,
  type PreparedChunk,
  type ReplicateResponse,
} from '@quorum-kv/replication-protocol';
import { FollowerRefusal, FollowerUnreachable, refusalFrom, type ReplicationTransport } from './transport';
import { BatchStream } from './batch-stream';
import { ReplicationRpcError } from './rpc-error';

/**
 * How batches (protocol version 2) travel: `requests`, one POST /replication/batch each on
 * kept-alive connections; `stream`, lines of one long-lived POST /replication/stream per
 * follower, acks on its response (batch-stream.ts). Catch-up, snapshots and recovery keep
 * their own requests either way.
 */
export const BATCH_TRANSPORTS = ['requests', 'stream'] as const;
export type BatchTransport = (typeof BATCH_TRANSPORTS)[number];

export { ReplicationRpcError };

/** Where one route of one follower is, read once from its URL (a URL per request costs a parse). */
interface Target {
  protocol: string;
  hostname: string;
  port: string;
  path: string;
}

function targetOf(base: string, path: string): Target {
  const url = new URL(path, base);
  // `hostname` keeps an IPv6 literal's brackets, which http.request must not get.
  return {
    protocol: url.protocol,
    hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port,
    path: url.pathname,
  };
}

/** What a response body becomes: a schema's check (the batch answer's cheap one, wire-fast.ts). */
type ReadAnswer<T> = (body: unknown) => WireParse<T>;
const bySchema =
  <T>(schema: z.ZodType<T>): ReadAnswer<T> =>
  (body) =>
    schema.safeParse(body);
const readReplicateResponse = bySchema(ReplicateResponseSchema);
const readRecoverResponse = bySchema(RecoverResponseSchema);

export class HttpReplicationTransport implements ReplicationTransport {
  private readonly agents: http.Agent[];
  private readonly entriesUrls: Target[];
  private readonly batchUrls: Target[];
  private readonly snapshotUrls: Target[];
  private readonly recoverUrls: Target[];
  private readonly authorization: string;

  private readonly streams: BatchStream[] | undefined;

  constructor(
    followerUrls: string[],
    clusterToken: string,
    maxSocketsPerFollower: number,
    batchTransport: BatchTransport = 'requests',
  ) {
    this.authorization = `Bearer ${clusterToken}`;
    if (batchTransport === 'stream')
      this.streams = followerUrls.map((url) => new BatchStream(targetOf(url, '/'), this.authorization));
    this.entriesUrls = followerUrls.map((url) => targetOf(url, '/replication/entries'));
    this.batchUrls = followerUrls.map((url) => targetOf(url, '/replication/batch'));
    this.snapshotUrls = followerUrls.map((url) => targetOf(url, '/replication/snapshot'));
    this.recoverUrls = followerUrls.map((url) => targetOf(url, '/replication/recover'));
    this.agents = followerUrls.map(
      () =>
        new http.Agent({
          keepAlive: true,
          keepAliveMsecs: 1000,
          maxSockets: maxSocketsPerFollower,
          noDelay: true,
        } as http.AgentOptions),
    );
  }

  send(follower: number, request: ReplicateRequest, timeoutMs: number): Promise<ReplicateResponse> {
    return this.post(follower, this.entriesUrls[follower], request, timeoutMs, readReplicateResponse);
  }

  async sendBatch(follower: number, request: BatchRequest, timeoutMs: number): Promise<BatchResponse> {
    if (this.streams) {
      const stream = this.streams[follower];
      if (!stream) throw new ReplicationRpcError(`no follower ${follower}`);
      return stream.send(request, timeoutMs);
    }
    const response = await this.post(follower, this.batchUrls[follower], request, timeoutMs, parseBatchResponse);
    const check = checkProtocolVersion(PROTOCOL_VERSION, response.protocolVersion, 'follower');
    if (!check.ok) throw new FollowerRefusal(check.code, check.message, { ...check });
    return response;
  }

  sendSnapshotChunk(follower: number, chunk: PreparedChunk, timeoutMs: number): Promise<ReplicateResponse> {
    return this.postBody(follower, this.snapshotUrls[follower], chunk.body, timeoutMs, readReplicateResponse);
  }

  recover(follower: number, request: RecoverRequest, timeoutMs: number): Promise<RecoverResponse> {
    return this.post(follower, this.recoverUrls[follower], request, timeoutMs, readRecoverResponse);
  }

  private post<T>(
    follower: number,
    target: Target | undefined,
    request: ReplicateRequest | BatchRequest | RecoverRequest,
    timeoutMs: number,
    read: ReadAnswer<T>,
  ): Promise<T> {
    return this.postBody(follower, target, JSON.stringify(request), timeoutMs, read);
  }

  /** POSTs a body already serialised (a snapshot chunk's is, once, for all its retries). */
  private postBody<T>(
    follower: number,
    target: Target | undefined,
    body: string | Uint8Array,
    timeoutMs: number,
    read: ReadAnswer<T>,
  ): Promise<T> {
    const agent = this.agents[follower];
    if (!target || !agent) return Promise.reject(new ReplicationRpcError(`no follower ${follower}`));
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          ...target,
          method: 'POST',
          agent,
          timeout: timeoutMs,
          headers: {
            'content-type': 'application/json',
            'content-length': typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength,
            authorization: this.authorization,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== 200) {
              const refusal = refusalFrom(res.statusCode ?? 0, parseOrUndefined(text));
              reject(refusal ?? new ReplicationRpcError(`follower answered ${res.statusCode}: ${text.slice(0, 200)}`));
              return;
            }
            try {
              const parsed = read(JSON.parse(text));
              if (parsed.success) resolve(parsed.data);
              else reject(new ReplicationRpcError(`bad answer from follower: ${describeIssue(parsed.error)}`));
            } catch {
              reject(new ReplicationRpcError('follower answered with invalid JSON'));
            }
          });
        },
      );
      req.on('timeout', () => req.destroy(new ReplicationRpcError(`no answer within ${timeoutMs} ms`)));
      req.on('error', (err: NodeJS.ErrnoException) => {
        if (err instanceof ReplicationRpcError) reject(err);
        else if (err.code === 'ECONNREFUSED') reject(new FollowerUnreachable(err.message));
        else reject(new ReplicationRpcError(err.message));
      });
      req.end(body);
    });
  }

  close(): void {
    for (const agent of this.agents) agent.destroy();
    for (const stream of this.streams ?? []) stream.close();
  }
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
