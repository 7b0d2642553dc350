/**
 * The command line of the bench. Every setting of the study is a flag; the defaults reproduce
 * the reference study (5 followers, W = 1..5, 100 writes per W, 10 in flight, keys k0..k9,
 * delay uniform 0-1000 ms, replication timeout 2 s). A bad flag stops with one line.
 */
import { Command, InvalidArgumentError, Option } from 'commander';
import { ACK_MODES, type AckMode } from '@quorum-kv/replication-protocol';
import { RUNTIME_NAMES } from '../cluster/runtimes';
import {
  addClusterOptions,
  addWorkloadOptions,
  addStorageOptions,
  storageOptions,
  clusterCli,
  defaultOutDir,
  intArg,
  outOption,
  quorumsWithin,
  UsageError,
  withAction,
} from '../common/cli-options';
import type { SweepConfig } from './records';
import { SCENARIOS, scenarioNamed } from './scenarios';

const ackModeList = (raw: string): AckMode[] => {
  const modes = [...new Set(raw.split(',').map((m) => m.trim()))];
  if (modes.length === 0 || modes.some((m) => !(ACK_MODES as readonly string[]).includes(m)))
    throw new InvalidArgumentError(`a comma-separated list of ${ACK_MODES.join(', ')}`);
  return modes as AckMode[];
};

const positiveNumber = (name: string) => (raw: string) => {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || n > 100_000)
    throw new InvalidArgumentError(`${name} must be a number of writes per second, above 0 and at most 100000`);
  return n;
};

export interface SweepCli {
  config: SweepConfig;
  followerUrls?: string[];
  clusterToken?: string;
}

export function quorumSweepCommand(onRun: (cli: SweepCli) => Promise<void>): Command {
  const command = new Command('quorum-sweep').description(
    'Measure write latency and follower consistency for every write quorum W',
  );
  addWorkloadOptions(addClusterOptions(command, RUNTIME_NAMES))
    .addOption(
      new Option('--scenario <name>', 'a named scenario: its delay plan and faults (see the README)')
        .choices(SCENARIOS.map((s) => s.name))
        .default('seed'),
    )
    .option(
      '--delay <spec>',
      "injected delay model, e.g. uniform:0:1000 or uniform:0:50;5=uniform:800:1000 (default: the scenario's)",
    )
    .option('--ack-modes <list>', 'several ack modes measured one after the other, e.g. received,applied', ackModeList)
    .option(
      '--repeat <n>',
      'runs of the whole sweep (seeds seed..seed+n-1), for confidence intervals',
      intArg('--repeat', 1, 1000),
      1,
    )
    .option(
      '--rate <n>',
      'open loop: writes per second on a seeded Poisson schedule (default: closed loop with --concurrency)',
      positiveNumber('--rate'),
    )
    .option(
      '--no-floor',
      "skip the bare relay floor (plain node:http processes, same topology, workload and delays, each W measured right after the store's)",
    )
    .addOption(outOption());
  addStorageOptions(command);
  return withAction(command, toSweepCli, onRun);
}

export function toSweepCli(opts: Record<string, unknown>): SweepCli {
  const followers = opts['followers'] as number;
  const quorums = opts['quorums'] as number[];
  quorumsWithin('--quorums', quorums, followers);
  const scenario = scenarioNamed(opts['scenario'] as string);
  const badDown = scenario.downFollowers.filter((n) => n > followers);
  if (badDown.length > 0)
    throw new UsageError(
      `--scenario ${scenario.name} stops follower ${badDown.join(',')}, but there are only ${followers} followers`,
    );
  const ackModes = (opts['ackModes'] as AckMode[] | undefined) ?? [opts['ackMode'] as AckMode];
  const { cluster, ...access } = clusterCli(opts, (opts['delay'] as string | undefined) ?? scenario.delay);
  const storage = storageOptions(opts, cluster.runtime);
  const config: SweepConfig = {
    runtime: cluster.runtime,
    ...(cluster.leaderUrl !== undefined && { leaderUrl: cluster.leaderUrl }),
    followers,
    quorums,
    writes: opts['writes'] as number,
    concurrency: opts['concurrency'] as number,
    keys: opts['keys'] as number,
    scenario: scenario.name,
    delay: cluster.delay,
    downFollowers: scenario.downFollowers,
    replicationTimeoutMs: cluster.replicationTimeoutMs,
    ...storage,
    ackMode: ackModes[0] as AckMode,
    ackModes,
    repeat: opts['repeat'] as number,
    rate: (opts['rate'] as number | undefined) ?? null,
    seed: cluster.seed,
    warmupWrites: opts['warmupWrites'] as number,
    warmupConcurrency: opts['warmupConcurrency'] as number,
    warmupSeconds: opts['warmupSeconds'] as number,
    floor: opts['floor'] !== false,
    out: (opts['out'] as string | undefined) ?? defaultOutDir('quorum-sweep'),
  };
  return { config, ...access };
}
