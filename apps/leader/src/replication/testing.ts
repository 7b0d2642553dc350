/**
 * An in-memory ReplicationTransport for tests (cf. etcd raft's in-memory network): every send is
 * recorded, and each follower either answers from its own OrderedApplier (`auto`), waits for the
 * test to resolve or reject it by hand (`manual`), or fails every send (`down`). No sockets, no
 * timers: answers arrive as promise callbacks, so a test flushes microtasks after each step.
 */
import {
  OrderedApplier,
  type Clock,
  type Entry,
  type ReplicateRequest,
  type ReplicateResponse,
  type SnapshotRequest,
} from '@quorum-kv/replication-protocol';
import type { ReplicationTransport } from './transport';

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
  fail(reason?: string): void;
}

interface FollowerSim {
  mode: FollowerMode;
  applier: OrderedApplier;
  instanceId: string;
  restarts: number;
}

export class InMemoryTransport implements ReplicationTransport {
  readonly sent: SentRpc[] = [];
  closed = false;
  private readonly sims: FollowerSim[];

  constructor(
    followerCount: number,
    private readonly clock: Pick<Clock, 'now'> = { now: () => 0 },
    mode: FollowerMode = 'auto',
    private readonly maxBufferedEntries = 100_000,
  ) {
    this.sims = Array.from({ length: followerCount }, (_, i) => ({
      mode,
      applier: new OrderedApplier(maxBufferedEntries),
      instanceId: `f${i + 1}-a`,
      restarts: 0,
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
    const sim = this.sim(follower);
    return new Promise<ReplicateResponse>((resolve, reject) => {
      const rpc: SentRpc = {
        follower,
        request: structuredClone(request),
        timeoutMs,
        atMs: this.clock.now(),
        lsns: request.entries.map((e: Entry) => e.lsn),
        settled: false,
        answer: () => rpc.respond(this.deliver(follower, rpc.request)),
        respond: (response) => {
          if (rpc.settled) throw new Error(`rpc to follower ${follower} answered twice`);
          rpc.settled = true;
          resolve(response);
        },
        fail: (reason = 'connection refused') => {
          if (rpc.settled) throw new Error(`rpc to follower ${follower} answered twice`);
          rpc.settled = true;
          reject(new Error(reason));
        },
      };
      this.sent.push(rpc);
      if (sim.mode === 'auto') rpc.answer();
      else if (sim.mode === 'down') rpc.fail('follower down');
    });
  }

  /** Snapshots sent, in order. A `down` follower refuses them; any other installs and answers at once. */
  readonly snapshots: Array<{ follower: number; request: SnapshotRequest; atMs: number }> = [];

  sendSnapshot(follower: number, request: SnapshotRequest, _timeoutMs: number): Promise<ReplicateResponse> {
    const sim = this.sim(follower);
    this.snapshots.push({ follower, request: structuredClone(request), atMs: this.clock.now() });
    if (sim.mode === 'down') return Promise.reject(new Error('follower down'));
    sim.applier.installSnapshot(request.items, request.lsn);
    return Promise.resolve({
      followerId: sim.instanceId,
      appliedLsn: sim.applier.appliedLsn,
      refusedLsns: [],
      bufferedCount: sim.applier.bufferedCount,
    });
  }

  close(): void {
    this.closed = true;
  }

  /** What a follower does with a request (`received` semantics; `applied` answers at once too). */
  private deliver(follower: number, request: ReplicateRequest): ReplicateResponse {
    const sim = this.sim(follower);
    const result = sim.applier.receive(request.entries);
    return {
      followerId: sim.instanceId,
      appliedLsn: sim.applier.appliedLsn,
      refusedLsns: result.refusedLsns,
      bufferedCount: sim.applier.bufferedCount,
    };
  }

  private sim(follower: number): FollowerSim {
    const sim = this.sims[follower];
    if (!sim) throw new RangeError(`no follower ${follower}`);
    return sim;
  }
}

/** Lets pending promise callbacks run; no time passes on a FakeClock. */
export const flushMicrotasks = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
