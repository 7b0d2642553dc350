import type {
  BatchRequest,
  BatchResponse,
  PreparedChunk,
  RecoverRequest,
  RecoverResponse,
  ReplicateRequest,
  ReplicateResponse,
} from '@quorum-kv/replication-protocol';

/** How the coordinator reaches follower `follower` (0-based); HTTP in the app, in memory in tests. */
export interface ReplicationTransport {
  send(follower: number, request: ReplicateRequest, timeoutMs: number): Promise<ReplicateResponse>;
  /**
   * One message of the follower's outbox (protocol version 2), answered with a cumulative ack.
   * A follower that answers with another protocol version is refused: FollowerRefusal
   * `protocol_version_mismatch`.
   */
  sendBatch(follower: number, request: BatchRequest, timeoutMs: number): Promise<BatchResponse>;
  /**
   * One chunk of a snapshot replacing the follower's state with the leader's (a follower behind
   * the trimmed log, or of another epoch). The body is sent as it is: serialised once, by the
   * caller, however often it is retried.
   */
  sendSnapshotChunk(follower: number, chunk: PreparedChunk, timeoutMs: number): Promise<ReplicateResponse>;
  /** The recovery step: the follower promises the epoch and answers with its log. */
  recover(follower: number, request: RecoverRequest, timeoutMs: number): Promise<RecoverResponse>;
  /** Closes idle connections; called on shutdown. */
  close(): void;
}

/**
 * Nothing listens at the follower's address (connection refused): it is down for sure, and
 * new writes stop waiting for it at once (fail fast). Any other failure (a timeout, a reset, an
 * error status) may come from a follower that is only busy.
 */
export class FollowerUnreachable extends Error {
  override name = 'FollowerUnreachable';
}

/** Codes with which a follower refuses a message on purpose (it is reachable and said no). */
export type RefusalCode =
  'stale_epoch' | 'log_mismatch' | 'cluster_mismatch' | 'protocol_version_mismatch' | 'snapshot_interrupted';

/**
 * A follower's definite refusal, with its JSON body: `stale_epoch` names `promisedEpoch`,
 * `log_mismatch` the LSN and both epochs. Transports reject with it; anything else is a failure.
 */
export class FollowerRefusal extends Error {
  override name = 'FollowerRefusal';

  constructor(
    readonly code: RefusalCode,
    message: string,
    readonly body: Record<string, unknown>,
  ) {
    super(message);
  }

  get promisedEpoch(): number {
    return typeof this.body['promisedEpoch'] === 'number' ? this.body['promisedEpoch'] : 0;
  }
}

const REFUSAL_CODES: readonly string[] = [
  'stale_epoch',
  'log_mismatch',
  'cluster_mismatch',
  'protocol_version_mismatch',
  'snapshot_interrupted',
];

/** The refusal an error body describes, or undefined when it is no refusal of ours. */
export function refusalFrom(status: number, body: unknown): FollowerRefusal | undefined {
  if (status !== 409 || typeof body !== 'object' || body === null) return undefined;
  const { error, message } = body as { error?: unknown; message?: unknown };
  if (typeof error !== 'string' || !REFUSAL_CODES.includes(error)) return undefined;
  return new FollowerRefusal(
    error as RefusalCode,
    typeof message === 'string' ? message : error,
    body as Record<string, unknown>,
  );
}
