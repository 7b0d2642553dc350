/**
 * Replication over HTTP with node's own client: one keep-alive agent per follower with Nagle
 * off, so an entry costs one write on an open socket. (This is the hot path of every write; a
 * general-purpose client adds milliseconds here, see the README's fidelity notes.)
 */
import http from 'node:http';
import { z } from 'zod';
import {
  BatchResponseSchema,
  PROTOCOL_VERSION,
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

export class ReplicationRpcError extends Error {
  override name = 'ReplicationRpcError';
}

export class HttpReplicationTransport implements ReplicationTransport {
  private readonly agents: http.Agent[];
  private readonly entriesUrls: URL[];
  private readonly batchUrls: URL[];
  private readonly snapshotUrls: URL[];
  private readonly recoverUrls: URL[];

  constructor(
    followerUrls: string[],
    private readonly clusterToken: string,
    maxSocketsPerFollower: number,
  ) {
    this.entriesUrls = followerUrls.map((url) => new URL('/replication/entries', url));
    this.batchUrls = followerUrls.map((url) => new URL('/replication/batch', url));
    this.snapshotUrls = followerUrls.map((url) => new URL('/replication/snapshot', url));
    this.recoverUrls = followerUrls.map((url) => new URL('/replication/recover', url));
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
    return this.post(follower, this.entriesUrls[follower], request, timeoutMs, ReplicateResponseSchema);
  }

  async sendBatch(follower: number, request: BatchRequest, timeoutMs: number): Promise<BatchResponse> {
    const response = await this.post(follower, this.batchUrls[follower], request, timeoutMs, BatchResponseSchema);
    const check = checkProtocolVersion(PROTOCOL_VERSION, response.protocolVersion, 'follower');
    if (!check.ok) throw new FollowerRefusal(check.code, check.message, { ...check });
    return response;
  }

  sendSnapshotChunk(follower: number, chunk: PreparedChunk, timeoutMs: number): Promise<ReplicateResponse> {
    return this.postBody(follower, this.snapshotUrls[follower], chunk.body, timeoutMs, ReplicateResponseSchema);
  }

  recover(follower: number, request: RecoverRequest, timeoutMs: number): Promise<RecoverResponse> {
    return this.post(follower, this.recoverUrls[follower], request, timeoutMs, RecoverResponseSchema);
  }

  private post<T>(
    follower: number,
    target: URL | undefined,
    request: ReplicateRequest | BatchRequest | RecoverRequest,
    timeoutMs: number,
    schema: z.ZodType<T>,
  ): Promise<T> {
    return this.postBody(follower, target, JSON.stringify(request), timeoutMs, schema);
  }

  /** POSTs a body already serialised (a snapshot chunk's is, once, for all its retries). */
  private postBody<T>(
    follower: number,
    target: URL | undefined,
    body: string | Uint8Array,
    timeoutMs: number,
    schema: z.ZodType<T>,
  ): Promise<T> {
    const agent = this.agents[follower];
    if (!target || !agent) return Promise.reject(new ReplicationRpcError(`no follower ${follower}`));
    return new Promise((resolve, reject) => {
      const req = http.request(
        target,
        {
          method: 'POST',
          agent,
          timeout: timeoutMs,
          headers: {
            'content-type': 'application/json',
            'content-length': typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength,
            authorization: `Bearer ${this.clusterToken}`,
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
              const parsed = schema.safeParse(JSON.parse(text));
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
  }
}

function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
