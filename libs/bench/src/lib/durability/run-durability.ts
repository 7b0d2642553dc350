/**
 * The durability sweep's runner: for every (W, R) cell, its fault plan played against the
 * cluster. A cell starts with every link healed and the leader restarted with RECOVERY_QUORUM=R;
 * then, for each crash: writes, the pre-crash cut, more writes (acknowledged by the holders
 * only), a SIGKILL, the recovery cut, a restart with R, the wait until it serves, the heal. After
 * the last crash, the rest of the writes, and then every acknowledged write is read back from the
 * leader. After each heal the runner waits until every follower streams again, so the next
 * writes can be acknowledged at any W. Writes never overlap a fault: each batch has settled before the next fault, so a
 * crash catches only answered writes and the record says exactly what was acknowledged.
 */
import pLimit from 'p-limit';
import { outcomeOf } from '../sweep/workload';
import type { CrashRecord, DurabilityConfig, DurabilityWrite, LossCheckRow } from './durability-records';
import type { Clock, DurabilityTarget } from './durability-target';
import { planCell, type CrashPlan } from './fault-plan';
import { acknowledged, checkLosses, type KeyRead } from './loss-check';

export const HEALTH_POLL_MS = 50;
/** Reads of the final check in flight at once. */
export const CHECK_CONCURRENCY = 8;

export interface CellResult {
  writes: DurabilityWrite[];
  crashes: CrashRecord[];
  checks: LossCheckRow[];
}

export interface RunnerHooks {
  log?: (line: string) => void;
  onWrite?: (write: DurabilityWrite) => void;
}

/** A key of its own for every write of the sweep. */
export function durabilityKey(w: number, r: number, seq: number): string {
  return `dur-w${w}-r${r}-${seq}`;
}

export function durabilityValue(seed: number, w: number, r: number, seq: number): string {
  return `s${seed}-w${w}-r${r}-${seq}`;
}

const numberOrNull = (v: unknown) => (typeof v === 'number' ? v : null);

/** Polls `probe` until it holds or `timeoutMs` passes; resolves with whether it held. */
async function pollUntil(probe: () => Promise<boolean>, clock: Clock, timeoutMs: number): Promise<boolean> {
  const deadlineMs = clock.nowMs() + timeoutMs;
  for (;;) {
    if (await probe()) return true;
    if (clock.nowMs() >= deadlineMs) return false;
    await clock.sleep(HEALTH_POLL_MS);
  }
}

/** Polls /health until the leader serves or `timeoutMs` passes; resolves with whether it serves. */
export function waitUntilServing(target: DurabilityTarget, clock: Clock, timeoutMs: number): Promise<boolean> {
  return pollUntil(async () => (await target.health()).serving, clock, timeoutMs);
}

/**
 * Polls /status until every follower streams. Writes sent while the leader still probes or
 * walks back a follower it needs for W fail fast and acknowledge nothing, so the next crash
 * would test nothing: the runner waits for this before each batch that follows a heal.
 */
export function waitUntilStreaming(target: DurabilityTarget, clock: Clock, timeoutMs: number): Promise<boolean> {
  return pollUntil(() => target.followersStreaming(), clock, timeoutMs);
}

export class CellRunner {
  private readonly writes: DurabilityWrite[] = [];
  private readonly crashes: CrashRecord[] = [];
  private cutNow: number[] = [];

  constructor(
    private readonly target: DurabilityTarget,
    private readonly config: DurabilityConfig,
    private readonly clock: Clock,
    private readonly epochMs: number,
    readonly w: number,
    readonly r: number,
    private readonly hooks: RunnerHooks = {},
  ) {}

  async run(): Promise<CellResult> {
    const { config, w, r } = this;
    const plan = planCell({
      seed: config.seed,
      followers: config.followers,
      w,
      r,
      writes: config.writes,
      crashes: config.crashes,
    });
    await this.setCut([]);
    await this.target.killLeader();
    await this.target.startLeader(this.leaderEnv());
    if (!(await waitUntilServing(this.target, this.clock, config.recoveryTimeoutMs)))
      this.hooks.log?.(`W=${w} R=${r}: the leader did not serve within ${config.recoveryTimeoutMs} ms of its start`);
    await this.settle();
    let seq = 0;
    for (const crash of plan.crashes) {
      seq = await this.writeUpTo(seq, crash.cutAtWrite, crash.index);
      await this.setCut(crash.cutBefore);
      seq = await this.writeUpTo(seq, crash.crashAtWrite, crash.index);
      await this.crash(crash);
    }
    await this.writeUpTo(seq, config.writes, plan.crashes.length);
    return { writes: this.writes, crashes: this.crashes, checks: await this.check() };
  }

  /** Waits until every follower streams again; past the recovery timeout it logs and goes on. */
  private async settle(): Promise<void> {
    if (!(await waitUntilStreaming(this.target, this.clock, this.config.recoveryTimeoutMs)))
      this.hooks.log?.(
        `W=${this.w} R=${this.r}: not every follower streams ${this.config.recoveryTimeoutMs} ms after the heal`,
      );
  }

  private leaderEnv(): Record<string, string> {
    return { RECOVERY_QUORUM: String(this.r) };
  }

  /** Cuts exactly `followers` off the leader, healing every other link. */
  private async setCut(followers: readonly number[]): Promise<void> {
    for (let f = 1; f <= this.config.followers; f++) {
      const want = followers.includes(f);
      if (want && !this.cutNow.includes(f)) await this.target.cut(f);
      if (!want && this.cutNow.includes(f)) await this.target.heal(f);
    }
    this.cutNow = [...followers].sort((a, b) => a - b);
  }

  private async writeUpTo(from: number, to: number, beforeCrash: number): Promise<number> {
    const limit = pLimit(this.config.concurrency);
    const batch = await Promise.all(
      Array.from({ length: to - from }, (_, i) => limit(() => this.write(from + i, beforeCrash))),
    );
    this.writes.push(...batch.sort((a, b) => a.seq - b.seq));
    return to;
  }

  private async write(seq: number, beforeCrash: number): Promise<DurabilityWrite> {
    const { w, r } = this;
    const key = durabilityKey(w, r, seq);
    const value = durabilityValue(this.config.seed, w, r, seq);
    const startMs = this.clock.nowMs();
    const { httpStatus, body } = await this.target.put(key, value, w);
    const outcome = outcomeOf(httpStatus, body);
    const record: DurabilityWrite = {
      w,
      r,
      seq,
      key,
      value,
      beforeCrash,
      cutFollowers: [...this.cutNow],
      startMs: startMs - this.epochMs,
      latencyMs: this.clock.nowMs() - startMs,
      outcome,
      httpStatus,
      error: outcome === 'ok' ? null : String(body['error'] ?? 'unknown'),
      lsn: numberOrNull(body['lsn']),
      epoch: numberOrNull(body['epoch']),
      acks: numberOrNull(body['acks']) ?? 0,
    };
    this.hooks.onWrite?.(record);
    return record;
  }

  private async crash(plan: CrashPlan): Promise<void> {
    const { config, w, r } = this;
    const inCell = this.writes;
    const killedAtMs = this.clock.nowMs();
    await this.target.killLeader();
    // Only now that no leader runs may the stale followers be healed: a live leader would catch them up.
    await this.setCut(plan.recoveryCut);
    await this.target.startLeader(this.leaderEnv());
    const recoveredUnderCut = await waitUntilServing(this.target, this.clock, config.recoveryTimeoutMs);
    await this.setCut([]);
    const recovered = recoveredUnderCut || (await waitUntilServing(this.target, this.clock, config.recoveryTimeoutMs));
    const servingAtMs = this.clock.nowMs();
    const status = recovered ? await this.target.status() : null;
    if (recovered) await this.settle();
    const recovery = status?.['recovery'];
    this.crashes.push({
      w,
      r,
      index: plan.index,
      cutBefore: plan.cutBefore,
      holders: plan.holders,
      recoveryCut: plan.recoveryCut,
      adversarial: plan.adversarial,
      writesBefore: inCell.length,
      acknowledgedBefore: acknowledged(inCell).length,
      killedAtMs: killedAtMs - this.epochMs,
      recoveredUnderCut,
      recovered,
      recoveryMs: recovered ? servingAtMs - killedAtMs : null,
      epoch: numberOrNull(status?.['epoch']),
      recovery: typeof recovery === 'object' && recovery !== null ? (recovery as Record<string, unknown>) : null,
    });
    if (!recovered) this.hooks.log?.(`W=${w} R=${r}: crash ${plan.index + 1}: the leader did not serve again`);
  }

  private async check(): Promise<LossCheckRow[]> {
    const limit = pLimit(CHECK_CONCURRENCY);
    const acked = acknowledged(this.writes);
    const reads = await Promise.all(
      acked.map((wr) => limit(async (): Promise<[string, KeyRead]> => [wr.key, await this.target.read(wr.key)])),
    );
    return checkLosses(this.writes, new Map(reads));
  }
}

export interface DurabilityRun {
  writes: DurabilityWrite[];
  crashes: CrashRecord[];
  checks: LossCheckRow[];
}

/** Every cell, W-major, one after the other on the same cluster; `onCell` hears each as it ends. */
export async function runDurabilityCells(
  target: DurabilityTarget,
  config: DurabilityConfig,
  clock: Clock,
  hooks: RunnerHooks & {
    onCell?: (w: number, r: number, result: CellResult) => void;
    onCellStart?: (w: number, r: number) => void;
  } = {},
): Promise<DurabilityRun> {
  const run: DurabilityRun = { writes: [], crashes: [], checks: [] };
  const epochMs = clock.nowMs();
  for (const w of config.quorums) {
    for (const r of config.recoveryQuorums) {
      hooks.onCellStart?.(w, r);
      const result = await new CellRunner(target, config, clock, epochMs, w, r, hooks).run();
      run.writes.push(...result.writes);
      run.crashes.push(...result.crashes);
      run.checks.push(...result.checks);
      hooks.onCell?.(w, r, result);
    }
  }
  return run;
}
