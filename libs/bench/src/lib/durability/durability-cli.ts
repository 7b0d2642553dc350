/**
 * The durability sweep's command line. Flags follow quorum-sweep's where they apply; the
 * defaults keep a run to a few minutes on two cores (5 followers, W and R from 1 to 5, 20 writes
 * and 2 crashes per cell, delay uniform 0-50 ms). A bad flag stops with one line.
 */
import { Command, Option } from 'commander';
import type { AckMode } from '@quorum-kv/replication-protocol';
import {
  ackModeOption,
  addStorageOptions,
  checkedDelay,
  defaultOutDir,
  followersOption,
  intArg,
  outOption,
  quorumList,
  quorumsOption,
  quorumsWithin,
  replicationTimeoutOption,
  seedOption,
  storageOptions,
  UsageError,
  withAction,
} from '../common/cli-options';
import { DURABILITY_RUNTIMES, type DurabilityConfig } from './durability-records';
import { minimumWrites } from './fault-plan';

export const DEFAULT_DURABILITY_DELAY = 'uniform:0:50';

export function durabilitySweepCommand(onRun: (config: DurabilityConfig) => Promise<void>): Command {
  const command = new Command('durability-sweep')
    .description(
      'Crash the leader under partitions for every write quorum W and recovery quorum R, and count lost acknowledged writes',
    )
    .addOption(
      new Option('--runtime <runtime>', 'where the cluster runs').choices(DURABILITY_RUNTIMES).default('process'),
    )
    .addOption(followersOption())
    .addOption(quorumsOption('write quorums W'))
    .option(
      '--recovery-quorums <list>',
      "recovery quorums R (the restarted leader's RECOVERY_QUORUM)",
      quorumList,
      [1, 2, 3, 4, 5],
    )
    .option('--writes <n>', 'writes per (W, R) cell, each to a key of its own', intArg('--writes', 1, 100_000), 20)
    .option('--crashes <n>', 'leader crashes per cell', intArg('--crashes', 0, 1000), 2)
    .option('--concurrency <n>', 'writes in flight', intArg('--concurrency', 1, 1000), 4)
    .option('--delay <spec>', 'injected delay model', DEFAULT_DURABILITY_DELAY)
    .addOption(replicationTimeoutOption())
    .option(
      '--recovery-timeout-ms <ms>',
      'how long a restarted leader may take to serve before every follower is healed',
      intArg('--recovery-timeout-ms', 1, 600_000),
      10_000,
    )
    .addOption(ackModeOption())
    .addOption(seedOption())
    .addOption(outOption());
  addStorageOptions(command);
  return withAction(command, toDurabilityConfig, onRun);
}

export function toDurabilityConfig(opts: Record<string, unknown>): DurabilityConfig {
  const followers = opts['followers'] as number;
  const inRange = (flag: string, list: number[]) => quorumsWithin(flag, list, followers);
  const writes = opts['writes'] as number;
  const crashes = opts['crashes'] as number;
  if (crashes > 0 && writes < minimumWrites(crashes))
    throw new UsageError(
      `--crashes ${crashes} needs --writes of at least ${minimumWrites(crashes)} (a write before each cut, between each cut and its crash, and after the last)`,
    );
  const delay = checkedDelay(opts['delay'] as string, followers);
  const runtime = opts['runtime'] as DurabilityConfig['runtime'];
  return {
    runtime,
    ...storageOptions(opts, runtime),
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
    out: (opts['out'] as string | undefined) ?? defaultOutDir('durability-sweep'),
  };
}
