/**
 * Test fakes for the durability sweep: records with plausible defaults, overridden per test.
 * Not exported from the library's index.
 */
import type { WriteAnswer } from '../cluster/kv-client';
import type {
  CrashRecord,
  DurabilityCell,
  DurabilityConfig,
  DurabilityWrite,
  LossCheckRow,
} from './durability-records';
import type { Clock, DurabilityTarget, LeaderHealth } from './durability-target';
import type { KeyRead } from './loss-check';

/** The command line's defaults (5 followers, W and R 1..5, 20 writes and 2 crashes per cell), writing under tmp/. */
export function fakeDurabilityConfig(overrides: Partial<DurabilityConfig> = {}): DurabilityConfig {
  return {
    runtime: 'process',
    followers: 5,
    quorums: [1, 2, 3, 4, 5],
    recoveryQuorums: [1, 2, 3, 4, 5],
    writes: 20,
    crashes: 2,
    concurrency: 4,
    delay: 'uniform:0:50',
    replicationTimeoutMs: 2000,
    recoveryTimeoutMs: 10_000,
    ackMode: 'received',
    seed: 1,
    out: 'tmp/durability-test',
    ...overrides,
  };
}

export function fakeDurabilityWrite(overrides: Partial<DurabilityWrite> = {}): DurabilityWrite {
  const w = overrides.w ?? 2;
  const r = overrides.r ?? 2;
  const seq = overrides.seq ?? 0;
  return {
    w,
    r,
    seq,
    key: `d-w${w}-r${r}-${seq}`,
    value: `v-${seq}`,
    beforeCrash: 0,
    cutFollowers: [],
    startMs: 0,
    latencyMs: 1,
    outcome: 'ok',
    httpStatus: 200,
    error: null,
    lsn: seq + 1,
    epoch: 1,
    acks: w,
    ...overrides,
  };
}

export function fakeCrash(overrides: Partial<CrashRecord> = {}): CrashRecord {
  return {
    w: 2,
    r: 2,
    index: 0,
    cutBefore: [3, 4, 5],
    holders: [1, 2],
    recoveryCut: [1, 2],
    adversarial: true,
    writesBefore: 5,
    acknowledgedBefore: 5,
    killedAtMs: 100,
    recoveredUnderCut: true,
    recovered: true,
    recoveryMs: 50,
    epoch: 2,
    recovery: null,
    ...overrides,
  };
}

export function fakeCheck(overrides: Partial<LossCheckRow> = {}): LossCheckRow {
  return { w: 2, r: 2, key: 'd-w2-r2-0', seq: 0, finding: 'present', httpStatus: 200, ...overrides };
}

export function fakeCell(w: number, r: number, overrides: Partial<DurabilityCell> = {}): DurabilityCell {
  const followers = overrides.followers ?? 5;
  return {
    w,
    r,
    followers,
    writes: 20,
    acknowledged: 20,
    lost: 0,
    unreadable: 0,
    lostFraction: 0,
    crashes: 2,
    adversarialCrashes: w + r <= followers ? 2 : 0,
    recoveries: 2,
    modelVerdict: w + r > followers ? 'no loss' : 'may lose',
    status: 'held',
    ...overrides,
  };
}

/** A clock whose sleeps return at once and move time on by what was asked (and 1 ms per reading). */
export function fakeClock(): Clock & { advancedMs: () => number } {
  let now = 0;
  return {
    nowMs: () => (now += 1),
    sleep: async (ms: number) => {
      now += ms;
    },
    advancedMs: () => now,
  };
}

interface FakeEntry {
  lsn: number;
  epoch: number;
  key: string;
  value: string;
}

export interface FakeClusterOptions {
  followers: number;
  /** A buggy leader that recovers nothing from its followers: the sweep must catch it. */
  forgetful?: boolean;
}

/**
 * A replicated store in memory that keeps the promise the real one makes: writes reach every
 * follower whose link is up, at once; a write is acknowledged when W of them have it; a
 * restarted leader is empty and recovers, on its first health check with R followers
 * reachable, from exactly R of them (the lowest-numbered reachable: the plan's recovery cut
 * decides who), taking every entry they hold; then it brings every reachable follower in line
 * with its log (a healed follower on its heal).
 */
export class FakeDurabilityCluster implements DurabilityTarget {
  readonly followers: number;
  private readonly logs: FakeEntry[][];
  private readonly cutLinks = new Set<number>();
  private leaderLog: FakeEntry[] = [];
  private alive = true;
  private state: 'recovering' | 'ok' = 'ok';
  private epoch = 1;
  private recoveryQuorum: number;
  readonly events: string[] = [];

  constructor(private readonly options: FakeClusterOptions) {
    this.followers = options.followers;
    this.logs = Array.from({ length: options.followers }, () => []);
    this.recoveryQuorum = Math.floor(options.followers / 2) + 1;
  }

  /** Followers (1-based) whose link is cut now. */
  cutFollowers(): number[] {
    return [...this.cutLinks].sort((a, b) => a - b);
  }

  async cut(follower: number): Promise<void> {
    this.events.push(`cut ${follower}`);
    this.cutLinks.add(follower);
  }

  async heal(follower: number): Promise<void> {
    this.events.push(`heal ${follower}`);
    this.cutLinks.delete(follower);
    if (this.alive && this.state === 'ok') this.sync(follower);
  }

  async killLeader(): Promise<void> {
    this.events.push('kill');
    this.alive = false;
    this.leaderLog = [];
  }

  async startLeader(env: Record<string, string>): Promise<void> {
    this.events.push(`start R=${env['RECOVERY_QUORUM']}`);
    if (this.alive) throw new Error('two leaders at once: the sweep must kill before it starts');
    this.alive = true;
    this.state = 'recovering';
    this.recoveryQuorum = Number(env['RECOVERY_QUORUM'] ?? this.recoveryQuorum);
  }

  async put(key: string, value: string, w: number): Promise<WriteAnswer> {
    if (!this.alive) return { httpStatus: 0, body: { error: 'no_answer' } };
    if (this.state === 'recovering') return { httpStatus: 503, body: { error: 'recovering' } };
    const entry = { lsn: (this.leaderLog.at(-1)?.lsn ?? 0) + 1, epoch: this.epoch, key, value };
    this.leaderLog.push(entry);
    const reached = this.reachable();
    for (const f of reached) this.sync(f);
    if (reached.length >= w)
      return { httpStatus: 200, body: { key, lsn: entry.lsn, epoch: this.epoch, w, acks: reached.length } };
    return { httpStatus: 504, body: { error: 'quorum_timeout', lsn: entry.lsn, acks: reached.length, w } };
  }

  async read(key: string): Promise<KeyRead> {
    if (!this.alive || this.state !== 'ok') return { httpStatus: this.alive ? 503 : 0 };
    const found = [...this.leaderLog].reverse().find((e) => e.key === key);
    return found ? { httpStatus: 200, value: found.value } : { httpStatus: 404 };
  }

  async health(): Promise<LeaderHealth> {
    if (!this.alive) return { serving: false, status: 'unreachable', epoch: null };
    if (this.state === 'recovering') this.tryRecover();
    return { serving: this.state === 'ok', status: this.state, epoch: this.epoch };
  }

  async status(): Promise<Record<string, unknown> | null> {
    if (!this.alive) return null;
    return { epoch: this.epoch, state: this.state, recoveryQuorum: this.recoveryQuorum };
  }

  async followersStreaming(): Promise<boolean> {
    return this.alive && this.state === 'ok' && this.cutLinks.size === 0;
  }

  /** What follower f (1-based) holds, key by key. */
  followerKeys(f: number): string[] {
    return (this.logs[f - 1] ?? []).map((e) => e.key);
  }

  private reachable(): number[] {
    return Array.from({ length: this.followers }, (_, i) => i + 1).filter((f) => !this.cutLinks.has(f));
  }

  private tryRecover(): void {
    const responders = this.reachable().slice(0, this.recoveryQuorum);
    if (responders.length < this.recoveryQuorum) return;
    const byLsn = new Map<number, FakeEntry>();
    if (!this.options.forgetful) {
      for (const f of responders)
        for (const e of this.logs[f - 1] ?? []) if ((byLsn.get(e.lsn)?.epoch ?? 0) < e.epoch) byLsn.set(e.lsn, e);
    }
    this.epoch += 1;
    this.leaderLog = [...byLsn.values()].sort((a, b) => a.lsn - b.lsn);
    this.state = 'ok';
    this.events.push(`recovered from ${responders.join(',')}`);
    for (const f of this.reachable()) this.sync(f);
  }

  /** Follower f takes the leader's log (its divergent suffix discarded). */
  private sync(f: number): void {
    this.logs[f - 1] = [...this.leaderLog];
  }
}
