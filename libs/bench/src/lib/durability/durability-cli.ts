/**
 * The durability sweep's command line. Flags follow quorum-sweep's where they apply; the
 * defaults keep a run to a few minutes on two cores (5 followers, W and R from 1 to 5, 20 writes
 * and 2 crashes per cell, delay uniform 0-50 ms). A bad flag stops with one line.
 */
import path from 'node:path';
import { Command, Option } from 'commander';
import { DelaySpecError, parseDelayPlan } from '@quorum-kv/replication-protocol';
import { int, quorumList, UsageError } from '../cli';
import type { AckMode } from '../records';
import type { DurabilityConfig } from './durability-records';
import { minimumWrites } from './fault-plan';

export const DEFAULT_DURABILITY_DELAY = 'uniform:0:50';

function defaultOutDir(now = new Date()): string {
  const stamp = now.toISOString().replace(/[:]/g, '-').replace(/\..*$/, '');
  return path.join('results', `durability-sweep-${stamp}`);
}

export function durabilitySweepCommand(onRun: (config: DurabilityConfig) => Promise<void>): Command {
  return new Command('durability-sweep')
    .description(
      'Crash the leader under partitions for every write quorum W and recovery quorum R, and count lost acknowledged writes',
    )
    .addOption(
      new Option('--runtime <runtime>', 'where the cluster runs').choices(['process', 'docker']).default('process'),
    )
    .option('--followers <n>', 'number of followers', int('--followers', 1, 64), 5)
    .option('--quorums <list>', 'write quorums W', quorumList, [1, 2, 3, 4, 5])
    .option(
      '--recovery-quorums <list>',
      "recovery quorums R (the restarted leader's RECOVERY_QUORUM)",
      quorumList,
      [1, 2, 3, 4, 5],
    )
    .option('--writes <n>', 'writes per (W, R) cell, each to a key of its own', int('--writes', 1, 100_000), 20)
    .option('--crashes <n>', 'leader crashes per cell', int('--crashes', 0, 1000), 2)
    .option('--concurrency <n>', 'writes in flight', int('--concurrency', 1, 1000), 4)
    .option('--delay <spec>', 'injected delay model', DEFAULT_DURABILITY_DELAY)
    .option(
      '--replication-timeout-ms <ms>',
      'quorum timeout of every write',
      int('--replication-timeout-ms', 1, 600_000),
      2000,
    )
    .option(
      '--recovery-timeout-ms <ms>',
      'how long a restarted leader may take to serve before every follower is healed',
      int('--recovery-timeout-ms', 1, 600_000),
      10_000,
    )
    .addOption(
      new Option('--ack-mode <mode>', 'when followers ack').choices(['received', 'applied']).default('received'),
    )
    .option('--seed <n>', 'seed of every random choice', int('--seed', 0, 2 ** 31 - 1), 1)
    .option('--out <dir>', 'output folder (default: a new folder under results/)')
    .action(async (opts: Record<string, unknown>) => onRun(toDurabilityConfig(opts)));
}

export function toDurabilityConfig(opts: Record<string, unknown>): DurabilityConfig {
  const followers = opts['followers'] as number;
  const inRange = (flag: string, list: number[]) => {
    const bad = list.filter((q) => q < 1 || q > followers);
    if (list.length === 0 || bad.length > 0)
      throw new UsageError(
        `${flag} must be between 1 and --followers (${followers}); got ${bad.join(',') || 'nothing'}`,
      );
    return list;
  };
  const writes = opts['writes'] as number;
  const crashes = opts['crashes'] as number;
  if (crashes > 0 && writes < minimumWrites(crashes))
    throw new UsageError(
      `--crashes ${crashes} needs --writes of at least ${minimumWrites(crashes)} (a write before each cut, between each cut and its crash, and after the last)`,
    );
  const delay = opts['delay'] as string;
  try {
    parseDelayPlan(delay, followers);
  } catch (err) {
    if (err instanceof DelaySpecError) throw new UsageError(`--delay: ${err.message}`);
    throw err;
  }
  return {
    runtime: opts['runtime'] as DurabilityConfig['runtime'],
    followers,
    quorums: inRange('--quorums', opts['quorums'] as number[]),
    recoveryQuorums: inRange('--recovery-quorums', opts['recoveryQuorums'] as number[]),
    writes,
    crashes,
    concurrency: opts['concurrency'] as number,
    delay,
    replicationTimeoutMs: opts['replicationTimeoutMs'] as number,
    recoveryTimeoutMs: opts['recoveryTimeoutMs'] as number,
    ackMode: opts['ackMode'] as AckMode,
    seed: opts['seed'] as number,
    out: (opts['out'] as string | undefined) ?? defaultOutDir(),
  };
}
