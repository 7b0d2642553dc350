/**
 * What the bench's commands share on their command lines: the argument parsers, the cluster
 * options (runtime, followers, delay, timeout, ack mode, seed), the default output folder, and
 * the one way a command refuses its flags: one line and exit code 2.
 */
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import {
  ACK_MODES,
  DelaySpecError,
  FSYNC_MODES,
  parseDelayPlan,
  type AckMode,
  type FsyncMode,
} from '@quorum-kv/replication-protocol';
import type { ClusterConfig } from '../cluster/cluster';
import type { RuntimeName } from '../cluster/runtimes';

/**
 * A failure the command expected (a missing folder, a malformed file): main prints
 * `<command>: <message>` and exits with its code, with no "failed" and no stack.
 */
export class CommandError extends Error {
  override name = 'CommandError';

  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

/** A command line that parses but makes no sense (e.g. W above the followers): one line, exit code 2. */
export class UsageError extends CommandError {
  override name = 'UsageError';

  constructor(message: string) {
    super(message, 2);
  }
}

export const intArg = (name: string, min: number, max: number) => (raw: string) => {
  const n = Number(raw);
  if (!/^-?[0-9]+$/.test(raw.trim()) || n < min || n > max)
    throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}`);
  return n;
};

export const numberArg = (name: string, min: number, max: number) => (raw: string) => {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < min || n > max)
    throw new InvalidArgumentError(`${name} must be a number from ${min} to ${max}`);
  return n;
};

/** A comma-separated list of quorums (W or R), deduplicated and sorted; the range is the command's to check. */
export const quorumList = (raw: string): number[] => {
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.some((p) => !/^[0-9]+$/.test(p)))
    throw new InvalidArgumentError('a comma-separated list of integers, e.g. 1,2,3,4,5');
  return [...new Set(parts.map(Number))].sort((a, b) => a - b);
};

/** `results/<command>-<UTC time>`. */
export function defaultOutDir(command: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[:]/g, '-').replace(/\..*$/, '');
  return path.join('results', `${command}-${stamp}`);
}

/** `--followers`: 1 to 64, 5 by default (the reference study's). */
export const followersOption = (description = 'number of followers') =>
  new Option('--followers <n>', description).argParser(intArg('--followers', 1, 64)).default(5);

/** `--quorums`: a list of write quorums W, 1..5 by default. */
export const quorumsOption = (description = 'write quorums to measure') =>
  new Option('--quorums <list>', description).argParser(quorumList).default([1, 2, 3, 4, 5]);

/** `--keys`: how many distinct keys k0..k{n-1} the writes go to. */
export const keysOption = (defaultKeys: number, description = 'distinct keys k0..k{n-1}') =>
  new Option('--keys <n>', description).argParser(intArg('--keys', 1, 1_000_000)).default(defaultKeys);

/** `--replication-timeout-ms`: the quorum timeout, 2 s by default. */
export const replicationTimeoutOption = (description = 'quorum timeout of every write') =>
  new Option('--replication-timeout-ms <ms>', description)
    .argParser(intArg('--replication-timeout-ms', 1, 600_000))
    .default(2000);

export const ackModeOption = () =>
  new Option('--ack-mode <mode>', 'when followers ack').choices(ACK_MODES).default('received');

export const seedOption = (description = 'seed of every random choice') =>
  new Option('--seed <n>', description).argParser(intArg('--seed', 0, 2 ** 31 - 1)).default(1);

/** `--out`; the command reads it back with `defaultOutDir` when it is not given. */
export const outOption = () => new Option('--out <dir>', 'output folder (default: a new folder under results/)');

/**
 * The sweep's closed-loop workload at every W: how many writes, how many in flight, to how many
 * keys, after how many unmeasured warm-up writes. The floor repeats it against bare relays.
 */
export function addWorkloadOptions(command: Command): Command {
  return command
    .addOption(quorumsOption())
    .option('--writes <n>', 'writes per W', intArg('--writes', 1, 1_000_000), 100)
    .option('--concurrency <n>', 'writes in flight', intArg('--concurrency', 1, 10_000), 10)
    .addOption(keysOption(10))
    .option(
      '--warmup-writes <n>',
      'writes sent before measuring (not measured)',
      intArg('--warmup-writes', 0, 1_000_000),
      5000,
    )
    .option('--warmup-concurrency <n>', 'warm-up writes in flight', intArg('--warmup-concurrency', 1, 10_000), 100)
    .option(
      '--warmup-seconds <s>',
      'then as many warm-up writes again at --concurrency, for at most this long (0: none)',
      intArg('--warmup-seconds', 0, 3600),
      8,
    );
}

/** `addWorkloadOptions`' flags read back (but `--quorums`, which `quorumsCli` checks against the followers). */
export function workloadCli(opts: Record<string, unknown>): {
  writes: number;
  concurrency: number;
  keys: number;
  warmupWrites: number;
  warmupConcurrency: number;
  warmupSeconds: number;
} {
  return {
    writes: opts['writes'] as number,
    concurrency: opts['concurrency'] as number,
    keys: opts['keys'] as number,
    warmupWrites: opts['warmupWrites'] as number,
    warmupConcurrency: opts['warmupConcurrency'] as number,
    warmupSeconds: opts['warmupSeconds'] as number,
  };
}

/** The options of the cluster a command runs against; the delay's default is the command's. */
export function addClusterOptions(command: Command, runtimes: readonly RuntimeName[]): Command {
  return command
    .addOption(new Option('--runtime <runtime>', 'where the cluster runs').choices(runtimes).default('process'))
    .option('--leader-url <url>', 'leader base URL (runtime external)')
    .option(
      '--follower-urls <urls>',
      "comma-separated follower base URLs reachable from here (runtime external; default: the leader's /status)",
    )
    .option('--cluster-token <token>', 'the cluster token (of the external cluster, or given to the one started here)')
    .addOption(followersOption())
    .addOption(replicationTimeoutOption())
    .addOption(ackModeOption())
    .addOption(seedOption());
}

export interface ClusterCli<R extends RuntimeName = RuntimeName> {
  cluster: ClusterConfig & { runtime: R };
  followerUrls?: string[];
  clusterToken?: string;
}

/** `list` (a `--quorums`-like flag) when every value is a quorum of `followers`; else a UsageError. */
export function quorumsWithin(flag: string, list: number[], followers: number): number[] {
  const bad = list.filter((q) => q < 1 || q > followers);
  if (list.length === 0 || bad.length > 0)
    throw new UsageError(`${flag} must be between 1 and --followers (${followers}); got ${bad.join(',') || 'nothing'}`);
  return list;
}

/** `delay` when it is a delay plan for `followers`; else a UsageError naming `--delay`. */
export function checkedDelay(delay: string, followers: number): string {
  try {
    parseDelayPlan(delay, followers);
  } catch (err) {
    if (err instanceof DelaySpecError) throw new UsageError(`--delay: ${err.message}`);
    throw err;
  }
  return delay;
}

/** `--followers`, `--quorums` and `--delay` read back: every W a quorum of the followers, the delay a plan for them. */
export function quorumsCli(
  opts: Record<string, unknown>,
  delay = opts['delay'] as string,
): { followers: number; quorums: number[]; delay: string } {
  const followers = opts['followers'] as number;
  return {
    followers,
    quorums: quorumsWithin('--quorums', opts['quorums'] as number[], followers),
    delay: checkedDelay(delay, followers),
  };
}

/** The cluster options read back, checked together (the delay plan, what goes with `external`). */
export function clusterCli<R extends RuntimeName>(opts: Record<string, unknown>, delay: string): ClusterCli<R> {
  const runtime = opts['runtime'] as R;
  const followers = opts['followers'] as number;
  checkedDelay(delay, followers);
  const leaderUrl = opts['leaderUrl'] as string | undefined;
  if (runtime === 'external' && !leaderUrl) throw new UsageError('--runtime external needs --leader-url');
  if (runtime !== 'external' && (leaderUrl || opts['followerUrls']))
    throw new UsageError('--leader-url and --follower-urls go with --runtime external');
  const cluster = {
    runtime,
    ...(leaderUrl !== undefined && { leaderUrl }),
    followers,
    delay,
    replicationTimeoutMs: opts['replicationTimeoutMs'] as number,
    ackMode: opts['ackMode'] as AckMode,
    seed: opts['seed'] as number,
  };
  const followerUrls =
    typeof opts['followerUrls'] === 'string' ? opts['followerUrls'].split(',').map((u) => u.trim()) : undefined;
  const clusterToken = opts['clusterToken'] as string | undefined;
  return { cluster, ...(followerUrls && { followerUrls }), ...(clusterToken && { clusterToken }) };
}

/**
 * The command's action: its options read into what it runs (`toCli`), then `onRun`. A
 * UsageError from `toCli` becomes one line `<command>: <why>` and exit code 2, as commander's own refusals.
 */
export function withAction<T>(
  command: Command,
  toCli: (opts: Record<string, unknown>) => T,
  onRun: (cli: T) => Promise<void>,
): Command {
  return command.action(async (opts: Record<string, unknown>) => {
    let cli: T;
    try {
      cli = toCli(opts);
    } catch (err) {
      if (err instanceof UsageError)
        command.error(`${command.name()}: ${err.message}`, { exitCode: 2, code: `${command.name()}.usage` });
      throw err;
    }
    await onRun(cli);
  });
}

/** `--data-dir` and `--fsync`: the nodes' on-disk log (only the process runtime starts nodes on this machine's folders). */
export function addStorageOptions(command: Command): Command {
  return command
    .option(
      '--data-dir <dir>',
      'every node keeps its on-disk log: runtime process under this folder (leader, ' +
        'follower1, ...), runtime docker on a named volume per node; default in memory',
    )
    .addOption(
      new Option('--fsync <mode>', 'FSYNC of every node with --data-dir (default always)').choices(FSYNC_MODES),
    );
}

/** The storage options read back: `dataDir` made absolute; a UsageError when they do not fit the runtime. */
export function storageOptions(
  opts: Record<string, unknown>,
  runtime: string,
): { dataDir?: string; fsync?: FsyncMode } {
  const dataDir = opts['dataDir'] as string | undefined;
  const fsync = opts['fsync'] as FsyncMode | undefined;
  if (fsync !== undefined && dataDir === undefined) throw new UsageError('--fsync goes with --data-dir');
  if (dataDir !== undefined && runtime !== 'process' && runtime !== 'docker')
    throw new UsageError('--data-dir goes with --runtime process or docker (an external cluster keeps its own)');
  return { ...(dataDir !== undefined && { dataDir: path.resolve(dataDir) }), ...(fsync !== undefined && { fsync }) };
}
