/**
 * An in-memory ReplicationTransport for tests (cf. etcd raft's in-memory network): every send is
 * recorded, and each follower either answers from its own OrderedApplier (`auto`), waits for the
 * test to resolve or reject it by hand (`manual`), or fails every send (`down`). No sockets, no
 * timers: answers arrive as promise callbacks, so a test flushes microtasks after each step.
 */
import {
  ApiError,
  DelaySampler,
  OrderedApplier,
  PROTOCOL_VERSION,
  SnapshotChunkRequestSchema,
  SnapshotStaging,
  followerAnswer,
  judgeLeaderMessage,
  judgeProposal,
  parseDelayPlan,
  type BatchRequest,
  type BatchResponse,
  type Clock,
  type Entry,
  type RecoverRequest,
  type RecoverResponse,
  type ReplicateRequest,
  type PreparedChunk,
  type ReplicateResponse,
  type SnapshotChunkRequest,
} from '@quorum-kv/replication-protocol';
import type { CoordinatorOptions } from './replication-coordinator';
import { NO_EVENTS } from './replication-events';
import { FollowerRefusal, FollowerUnreachable, type ReplicationTransport } from './transport';

export type FollowerMode = 'auto' | 'manual' | 'down';

/** One recorded send; `answer`/`fail` settle it by hand (only meaningful in `manual` mode). */
export interface SentRpc {
  follower: number;
  request: ReplicateRequest;
  timeoutMs: number;
  /** The clock's time when the coordinator called `send`. */
  atMs: number;
  lsns: number[];
  settled: boolean;
  /** Answers from the follower's applier as an `auto` follower would. */
  answer(): void;
  /** Answers with exactly this response. */
  respond(response: ReplicateResponse): void;
  /** Fails it: with `reason`, as a timeout or reset would (a busy follower); without, connection refused (a down one). */
  fail(reason?: string): void;
}

/** One recorded snapshot chunk; settled by hand in `manual` mode, as a SentRpc. */
export interface SentChunk {
  follower: number;
  /** What was sent, byte for byte (the same object on a retry when the sender reuses it). */
  chunk: PreparedChunk;
  /** The body as the follower reads it. */
  request: SnapshotChunkRequest;
  atMs: number;
  settled: boolean;
  answer(): void;
  fail(reason?: string): void;
}

interface FollowerSim {
  mode: FollowerMode;
  applier: OrderedApplier;
  staging: SnapshotStaging;
  instanceId: string;
  restarts: number;
  /** The follower's promise, judged as a real follower judges it. */
  promisedEpoch: number;
}

export class InMemoryTransport implements ReplicationTransport {
  readonly sent: SentRpc[] = [];
  readonly followerCount: number;
  closed = false;
  private readonly sims: FollowerSim[];

  constructor(
    followerCount: number,
    private readonly clock: Pick<Clock, 'now'> = { now: () => 0 },
    mode: FollowerMode = 'auto',
    private readonly maxBufferedEntries = 100_000,
  ) {
    this.followerCount = followerCount;
    this.sims = Array.from({ length: followerCount }, (_, i) => ({
      mode,
      applier: new OrderedApplier(maxBufferedEntries),
      staging: new SnapshotStaging(),
      instanceId: `f${i + 1}-a`,
      restarts: 0,
      promisedEpoch: 0,
    }));
  }

  setMode(follower: number, mode: FollowerMode): void {
    this.sim(follower).mode = mode;
  }

  /** The follower's applied state (what a read on it would show). */
  applier(follower: number): OrderedApplier {
    return this.sim(follower).applier;
  }

  /** The follower restarts empty, with a new instance id. */
  restart(follower: number): void {
    const sim = this.sim(follower);
    sim.restarts += 1;
    sim.applier = new OrderedApplier(this.maxBufferedEntries);
    sim.staging = new SnapshotStaging();
    sim.promisedEpoch = 0;
    sim.instanceId = `f${follower + 1}-${String.fromCharCode(97 + sim.restarts)}`;
  }

  instanceId(follower: number): string {
    return this.sim(follower).instanceId;
  }

  sentTo(follower: number): SentRpc[] {
    return this.sent.filter((rpc) => rpc.follower === follower);
  }

  /** Sends not yet answered, optionally of one follower. */
  unsettled(follower?: number): SentRpc[] {
    return this.sent.filter((rpc) => !rpc.settled && (follower === undefined || rpc.follower === follower));
  }

  send(follower: number, request: ReplicateRequest, timeoutMs: number): Promise<ReplicateResponse> {
    return this.record(follower, request, timeoutMs, (response) => response);
  }

  /** Recorded in `sent` as `send` is; answered as the follower's batch route does, with a cumulative ack. */
  sendBatch(follower: number, request: BatchRequest, timeoutMs: number): Promise<BatchResponse> {
    const lsns = request.entries.map((e: Entry) => e.lsn);
    return this.record(follower, request, timeoutMs, (response) => {
      const refused = new Set(response.refusedLsns);
      const upToLsn = response.appliedLsn;
      const beyondLsns = lsns.filter((lsn) => !refused.has(lsn) && lsn > upToLsn);
      return { ...response, protocolVersion: PROTOCOL_VERSION, ack: { upToLsn, beyondLsns } };
    });
  }

  private record<T>(
    follower: number,
    request: ReplicateRequest,
    timeoutMs: number,
    toAnswer: (response: ReplicateResponse) => T,
  ): Promise<T> {
    const sim = this.sim(follower);
    return new Promise<T>((resolve, reject) => {
      const rpc: SentRpc = {
        follower,
        request: structuredClone(request),
        timeoutMs,
        atMs: this.clock.now(),
        lsns: request.entries.map((e: Entry) => e.lsn),
        settled: false,
        answer: () => {
          try {
            rpc.respond(this.deliver(follower, rpc.request));
          } catch (error) {
            if (!(error instanceof FollowerRefusal)) throw error;
            rpc.settled = true;
            reject(error);
          }
        },
        respond: (response) => {
          if (rpc.settled) throw new Error(`rpc to follower ${follower} answered twice`);
          rpc.settled = true;
          resolve(toAnswer(response));
        },
        fail: (reason?: string) => {
          if (rpc.settled) throw new Error(`rpc to follower ${follower} answered twice`);
          rpc.settled = true;
          reject(reason === undefined ? new FollowerUnreachable('connection refused') : new Error(reason));
        },
      };
      this.sent.push(rpc);
      if (sim.mode === 'auto') rpc.answer();
      else if (sim.mode === 'down') rpc.fail();
    });
  }

  /** Snapshot chunks sent, in order, retries included. */
  readonly chunks: SentChunk[] = [];

  /** The first chunk of every snapshot sent (retries included): one per snapshot attempt. */
  get snapshots(): SentChunk[] {
    return this.chunks.filter((c) => c.request.seq === 0);
  }

  private readonly heldChunks = new Set<number>();

  /** While held, chunks to `follower` wait for the test to `answer` or `fail` them (else they answer at once). */
  holdSnapshotChunks(follower: number, held: boolean): void {
    if (held) this.heldChunks.add(follower);
    else this.heldChunks.delete(follower);
  }

  /**
   * A `down` follower refuses chunks; one whose chunks are held waits for the test; any other
   * stages each at once as a real follower does (same checks, same staging) and installs at the last.
   */
  sendSnapshotChunk(follower: number, chunk: PreparedChunk, _timeoutMs: number): Promise<ReplicateResponse> {
    const sim = this.sim(follower);
    const request = SnapshotChunkRequestSchema.parse(JSON.parse(new TextDecoder().decode(chunk.body)));
    return new Promise<ReplicateResponse>((resolve, reject) => {
      const sent: SentChunk = {
        follower,
        chunk,
        request,
        atMs: this.clock.now(),
        settled: false,
        answer: () => {
          if (sent.settled) throw new Error(`chunk to follower ${follower} answered twice`);
          sent.settled = true;
          try {
            resolve(this.stage(this.sim(follower), request, chunk.body.byteLength));
          } catch (error) {
            reject(error as Error);
          }
        },
        fail: (reason = 'connection refused') => {
          if (sent.settled) throw new Error(`chunk to follower ${follower} answered twice`);
          sent.settled = true;
          reject(sim.mode === 'down' ? new FollowerUnreachable(reason) : new Error(reason));
        },
      };
      this.chunks.push(sent);
      if (sim.mode === 'down') sent.fail('follower down');
      else if (!this.heldChunks.has(follower)) sent.answer();
    });
  }

  /** What a follower does with a chunk (follower-node.ts's receiveSnapshotChunk). */
  private stage(sim: FollowerSim, request: SnapshotChunkRequest, bodyBytes: number): ReplicateResponse {
    this.admit(sim, request.epoch);
    sim.staging.abortBelow(sim.promisedEpoch);
    if (sim.applier.holdsSnapshotPoint(request.lsn, request.epoch)) {
      sim.staging.discard(request.epoch, request.snapshotId);
      return followerAnswer(sim, []);
    }
    try {
      const outcome = sim.staging.receive(request, bodyBytes, this.clock.now());
      if (outcome.kind === 'complete') {
        const { items, lsn, epoch } = outcome.snapshot;
        sim.applier.installSnapshot(items, lsn, epoch);
      }
    } catch (error) {
      if (error instanceof ApiError && error.code === 'snapshot_interrupted')
        throw new FollowerRefusal('snapshot_interrupted', error.message, error.toBody());
      throw error;
    }
    return followerAnswer(sim, []);
  }

  /** Recovery proposals received, in order. */
  readonly proposals: Array<{ follower: number; request: RecoverRequest }> = [];

  /** A `down` (or `manual`: never answered) follower gives no promise; any other judges the epoch as a follower does. */
  recover(follower: number, request: RecoverRequest, _timeoutMs: number): Promise<RecoverResponse> {
    const sim = this.sim(follower);
    this.proposals.push({ follower, request: structuredClone(request) });
    if (sim.mode === 'down') return Promise.reject(new Error('follower down'));
    if (sim.mode === 'manual') return new Promise(() => undefined);
    const judged = judgeProposal(sim, request.epoch);
    if (!judged.ok) return Promise.reject(staleEpoch(judged.promisedEpoch, request.epoch));
    sim.promisedEpoch = judged.promisedEpoch;
    return Promise.resolve({
      followerId: sim.instanceId,
      epoch: sim.promisedEpoch,
      appliedLsn: sim.applier.appliedLsn,
      appliedEpoch: sim.applier.appliedEpoch,
      log: sim.applier.exportLog(),
    });
  }

  /** Sets the follower's promise, as if a newer leader had recovered through it. */
  promise(follower: number, epoch: number): void {
    this.sim(follower).promisedEpoch = epoch;
  }

  promisedEpoch(follower: number): number {
    return this.sim(follower).promisedEpoch;
  }

  private admit(sim: FollowerSim, epoch: number): void {
    const judged = judgeLeaderMessage(sim, epoch);
    if (!judged.ok) throw staleEpoch(judged.promisedEpoch, epoch);
    sim.promisedEpoch = judged.promisedEpoch;
  }

  close(): void {
    this.closed = true;
  }

  /** What a follower does with a request (`received` semantics; `applied` answers at once too). */
  private deliver(follower: number, request: ReplicateRequest): ReplicateResponse {
    const sim = this.sim(follower);
    this.admit(sim, request.epoch);
    const result = sim.applier.receive(request.entries, { lsn: request.prevLsn, epoch: request.prevEpoch });
    if (result.mismatch) {
      throw new FollowerRefusal('log_mismatch', `log mismatch at lsn ${result.mismatch.lsn}`, { ...result.mismatch });
    }
    return followerAnswer(sim, result.refusedLsns);
  }

  private sim(follower: number): FollowerSim {
    const sim = this.sims[follower];
    if (!sim) throw new RangeError(`no follower ${follower}`);
    return sim;
  }
}

/** Lets pending promise callbacks run; no time passes on a FakeClock. */
export const flushMicrotasks = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function staleEpoch(promisedEpoch: number, requestEpoch: number): FollowerRefusal {
  return new FollowerRefusal('stale_epoch', `epoch ${requestEpoch} refused: promised ${promisedEpoch}`, {
    promisedEpoch,
    requestEpoch,
  });
}

/** How a test's coordinator differs from the usual one: any option, and the delay plan and seed of its sampler. */
export type CoordinatorOverrides = Partial<CoordinatorOptions> & { delayPlan?: string; seed?: number };

/**
 * A coordinator's options for a test: one follower per follower of `transport`, delays drawn from
 * `delayPlan` (default `constant:0`) with `seed` (default 1), no events, the wall clock at the
 * fake clock's time, and the usual limits; `overrides` replace any of them.
 */
export function coordinatorOptions(
  transport: InMemoryTransport,
  clock: Clock,
  { delayPlan = 'constant:0', seed = 1, ...overrides }: CoordinatorOverrides = {},
): CoordinatorOptions {
  const n = transport.followerCount;
  return {
    leaderId: 'leader-1',
    followerUrls: Array.from({ length: n }, (_, i) => `http://follower-${i + 1}.test:8080`),
    replicationTimeoutMs: 2000,
    catchUpIntervalMs: 10,
    maxCatchUpEntries: 512,
    maxInFlightWrites: 1000,
    sampler: new DelaySampler(parseDelayPlan(delayPlan, n), seed),
    transport,
    clock,
    wallClockMs: () => clock.now(),
    events: NO_EVENTS,
    ...overrides,
  };
}
