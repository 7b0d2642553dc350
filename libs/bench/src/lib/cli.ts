/**
 * The command line of the bench. Every setting of the study is a flag; the defaults reproduce
 * the reference study (5 followers, W = 1..5, 100 writes per W, 10 in flight, keys k0..k9,
 * delay uniform 0-1000 ms, replication timeout 2 s). A bad flag stops with one line.
 */
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { DelaySpecError, parseDelayPlan } from '@quorum-kv/replication-protocol';
import type { AckMode, SweepConfig } from './records';
import { SCENARIOS, scenarioNamed } from './scenarios';

export class UsageError extends Error {
  override name = 'UsageError';
}

export const int = (name: string, min: number, max: number) => (raw: string) => {
  const n = Number(raw);
  if (!/^-?[0-9]+$/.test(raw.trim()) || n < min || n > max)
    throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}`);
  return n;
};

const ackModeList = (raw: string): AckMode[] => {
  const modes = [...new Set(raw.split(',').map((m) => m.trim()))];
  if (modes.length === 0 || modes.some((m) => m !== 'received' && m !== 'applied'))
    throw new InvalidArgumentError('a comma-separated list of received and applied');
  return modes as AckMode[];
};

const positiveNumber = (name: string) => (raw: string) => {
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || n > 100_000)
    throw new InvalidArgumentError(`${name} must be a number of writes per second, above 0 and at most 100000`);
  return n;
};

export const quorumList = (raw: string): number[] => {
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.some((p) => !/^[0-9]+$/.test(p)))
    throw new InvalidArgumentError('a comma-separated list of integers, e.g. 1,2,3,4,5');
  return [...new Set(parts.map(Number))].sort((a, b) => a - b);
};

export interface SweepCli {
  config: SweepConfig;
  followerUrls?: string[];
  clusterToken?: string;
}

function defaultOutDir(now = new Date()): string {
  const stamp = now.toISOString().replace(/[:]/g, '-').replace(/\..*$/, '');
  return path.join('results', `quorum-sweep-${stamp}`);
}

export function quorumSweepCommand(onRun: (cli: SweepCli) => Promise<void>): Command {
  return new Command('quorum-sweep')
    .description('Measure write latency and follower consistency for every write quorum W')
    .addOption(
      new Option('--runtime <runtime>', 'where the cluster runs')
        .choices(['process', 'docker', 'external'])
        .default('process'),
    )
    .option('--leader-url <url>', 'leader base URL (runtime external)')
    .option(
      '--follower-urls <urls>',
      "comma-separated follower base URLs reachable from here (runtime external; default: the leader's /status)",
    )
    .option('--cluster-token <token>', 'the cluster token (runtime external)')
    .option('--followers <n>', 'number of followers', int('--followers', 1, 64), 5)
    .option('--quorums <list>', 'write quorums to measure', quorumList, [1, 2, 3, 4, 5])
    .option('--writes <n>', 'writes per W', int('--writes', 1, 1_000_000), 100)
    .option('--concurrency <n>', 'writes in flight', int('--concurrency', 1, 10_000), 10)
    .option('--keys <n>', 'distinct keys k0..k{n-1}', int('--keys', 1, 1_000_000), 10)
    .addOption(
      new Option('--scenario <name>', 'a named scenario: its delay plan and faults (see the README)')
        .choices(SCENARIOS.map((s) => s.name))
        .default('seed'),
    )
    .option(
      '--delay <spec>',
      "injected delay model, e.g. uniform:0:1000 or uniform:0:50;5=uniform:800:1000 (default: the scenario's)",
    )
    .option(
      '--replication-timeout-ms <ms>',
      'quorum timeout of every write',
      int('--replication-timeout-ms', 1, 600_000),
      2000,
    )
    .addOption(
      new Option('--ack-mode <mode>', 'when followers ack').choices(['received', 'applied']).default('received'),
    )
    .option('--ack-modes <list>', 'several ack modes measured one after the other, e.g. received,applied', ackModeList)
    .option(
      '--repeat <n>',
      'runs of the whole sweep (seeds seed..seed+n-1), for confidence intervals',
      int('--repeat', 1, 1000),
      1,
    )
    .option(
      '--rate <n>',
      'open loop: writes per second on a seeded Poisson schedule (default: closed loop with --concurrency)',
      positiveNumber('--rate'),
    )
    .option('--seed <n>', 'seed of every random choice', int('--seed', 0, 2 ** 31 - 1), 1)
    .option(
      '--warmup-writes <n>',
      'writes sent before measuring (not measured)',
      int('--warmup-writes', 0, 1_000_000),
      2000,
    )
    .option('--warmup-concurrency <n>', 'warm-up writes in flight', int('--warmup-concurrency', 1, 10_000), 100)
    .option('--out <dir>', 'output folder (default: a new folder under results/)')
    .action(async (opts: Record<string, unknown>) => onRun(toSweepCli(opts)));
}

export function toSweepCli(opts: Record<string, unknown>): SweepCli {
  const runtime = opts['runtime'] as SweepConfig['runtime'];
  const followers = opts['followers'] as number;
  const quorums = opts['quorums'] as number[];
  const bad = quorums.filter((w) => w < 1 || w > followers);
  if (quorums.length === 0 || bad.length > 0)
    throw new UsageError(
      `--quorums must be between 1 and --followers (${followers}); got ${bad.join(',') || 'nothing'}`,
    );
  const scenario = scenarioNamed(opts['scenario'] as string);
  const delay = (opts['delay'] as string | undefined) ?? scenario.delay;
  const badDown = scenario.downFollowers.filter((n) => n > followers);
  if (badDown.length > 0)
    throw new UsageError(
      `--scenario ${scenario.name} stops follower ${badDown.join(',')}, but there are only ${followers} followers`,
    );
  const ackModes = (opts['ackModes'] as AckMode[] | undefined) ?? [opts['ackMode'] as AckMode];
  try {
    parseDelayPlan(delay, followers);
  } catch (err) {
    if (err instanceof DelaySpecError) throw new UsageError(`--delay: ${err.message}`);
    throw err;
  }
  const leaderUrl = opts['leaderUrl'] as string | undefined;
  if (runtime === 'external' && !leaderUrl) throw new UsageError('--runtime external needs --leader-url');
  if (runtime !== 'external' && (leaderUrl || opts['followerUrls']))
    throw new UsageError('--leader-url and --follower-urls go with --runtime external');
  const config: SweepConfig = {
    runtime,
    ...(leaderUrl !== undefined && { leaderUrl }),
    followers,
    quorums,
    writes: opts['writes'] as number,
    concurrency: opts['concurrency'] as number,
    keys: opts['keys'] as number,
    scenario: scenario.name,
    delay,
    downFollowers: scenario.downFollowers,
    replicationTimeoutMs: opts['replicationTimeoutMs'] as number,
    ackMode: ackModes[0] as AckMode,
    ackModes,
    repeat: opts['repeat'] as number,
    rate: (opts['rate'] as number | undefined) ?? null,
    seed: opts['seed'] as number,
    warmupWrites: opts['warmupWrites'] as number,
    warmupConcurrency: opts['warmupConcurrency'] as number,
    out: (opts['out'] as string | undefined) ?? defaultOutDir(),
  };
  const followerUrls =
    typeof opts['followerUrls'] === 'string' ? opts['followerUrls'].split(',').map((u) => u.trim()) : undefined;
  const clusterToken = opts['clusterToken'] as string | undefined;
  return { config, ...(followerUrls && { followerUrls }), ...(clusterToken && { clusterToken }) };
}
