/**
 * The command line of `bench soak`: a steady open-loop write load for a while, sampling every
 * node's memory. The defaults take about a minute: 60 s at 200 writes/s, W=3 of 5 followers,
 * 100 keys, 100-byte values, delay uniform 0-20 ms, a sample every 2 s. A bad flag stops with
 * one line.
 */
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ACK_MODES, DelaySpecError, parseDelayPlan } from '@quorum-kv/replication-protocol';
import { UsageError } from '../sweep/sweep-cli';
import type { SoakConfig } from './soak-records';

export interface SoakCli {
  config: SoakConfig;
  followerUrls?: string[];
  clusterToken?: string;
}

/** Memory "after warm-up" is read this long into the run, or a quarter of a shorter run. */
export const DEFAULT_WARMUP_S = 10;

const int = (name: string, min: number, max: number) => (raw: string) => {
  const n = Number(raw);
  if (!/^[0-9]+$/.test(raw.trim()) || n < min || n > max)
    throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}`);
  return n;
};

const positive = (name: string, min: number, max: number) => (raw: string) => {
  const n = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(n) || n < min || n > max)
    throw new InvalidArgumentError(`${name} must be a number from ${min} to ${max}`);
  return n;
};

function defaultOutDir(now = new Date()): string {
  const stamp = now.toISOString().replace(/[:]/g, '-').replace(/\..*$/, '');
  return path.join('results', `soak-${stamp}`);
}

export function soakCommand(onRun: (cli: SoakCli) => Promise<void>): Command {
  const command = new Command('soak')
    .description("Send a steady open-loop write load for a while and record every node's memory (is it flat?)")
    .addOption(
      new Option('--runtime <runtime>', 'where the cluster runs').choices(['process', 'external']).default('process'),
    )
    .option('--leader-url <url>', 'leader base URL (runtime external)')
    .option(
      '--follower-urls <urls>',
      "comma-separated follower base URLs reachable from here (runtime external; default: the leader's /status)",
    )
    .option('--cluster-token <token>', 'the cluster token (of the external cluster, or given to the one started here)')
    .option('--duration-s <s>', 'seconds of open-loop load', int('--duration-s', 1, 7 * 24 * 3600), 60)
    .option(
      '--rate <n>',
      'offered writes per second (open loop: write i is due at i/rate s)',
      positive('--rate', 0.01, 100_000),
      200,
    )
    .option('--w <n>', 'write quorum of every write', int('--w', 1, 64), 3)
    .option('--followers <n>', 'number of followers', int('--followers', 1, 64), 5)
    .option('--keys <n>', 'distinct keys k0..k{n-1}', int('--keys', 1, 1_000_000), 100)
    .option('--value-bytes <n>', 'characters in each value (a JSON string)', int('--value-bytes', 1, 1_000_000), 100)
    .option('--delay <spec>', 'injected delay model, e.g. uniform:0:20 or constant:5', 'uniform:0:20')
    .option(
      '--replication-timeout-ms <ms>',
      'quorum timeout of every write',
      int('--replication-timeout-ms', 1, 600_000),
      2000,
    )
    .addOption(new Option('--ack-mode <mode>', 'when followers ack').choices(ACK_MODES).default('received'))
    .option('--sample-interval-s <s>', 'seconds between memory samples', positive('--sample-interval-s', 0.1, 3600), 2)
    .option(
      '--warmup-s <s>',
      `memory "after warm-up" is the first sample this far in (default ${DEFAULT_WARMUP_S}, or a quarter of a shorter run)`,
      positive('--warmup-s', 0, 7 * 24 * 3600),
    )
    .option(
      '--warmup-writes <n>',
      'closed-loop writes before the load starts, to open connections (not measured)',
      int('--warmup-writes', 0, 1_000_000),
      200,
    )
    .option(
      '--max-outstanding <n>',
      'writes in flight at most; a write due beyond it is dropped and counted',
      int('--max-outstanding', 1, 1_000_000),
      10_000,
    )
    .option(
      '--flat-threshold-mib-per-min <n>',
      'memory is flat when every node grows slower than this over the second half',
      positive('--flat-threshold-mib-per-min', 0.001, 1_000_000),
      1,
    )
    .option('--seed <n>', 'seed of every random choice', int('--seed', 0, 2 ** 31 - 1), 1)
    .option('--out <dir>', 'output folder (default: a new folder under results/)');
  return command.action(async (opts: Record<string, unknown>) => {
    let cli: SoakCli;
    try {
      cli = toSoakCli(opts);
    } catch (err) {
      // One line, like commander's own, and exit code 2 (main turns the CommanderError into it).
      if (err instanceof UsageError) command.error(`soak: ${err.message}`, { exitCode: 2, code: 'soak.usage' });
      throw err;
    }
    await onRun(cli);
  });
}

export function toSoakCli(opts: Record<string, unknown>): SoakCli {
  const runtime = opts['runtime'] as SoakConfig['runtime'];
  const followers = opts['followers'] as number;
  const w = opts['w'] as number;
  const durationS = opts['durationS'] as number;
  const ratePerS = opts['rate'] as number;
  if (w > followers) throw new UsageError(`--w must be at most --followers (${followers}); got ${w}`);
  try {
    parseDelayPlan(opts['delay'] as string, followers);
  } catch (err) {
    if (err instanceof DelaySpecError) throw new UsageError(`--delay: ${err.message}`);
    throw err;
  }
  const sampleIntervalS = opts['sampleIntervalS'] as number;
  if (sampleIntervalS * 4 > durationS)
    throw new UsageError(
      `--sample-interval-s must leave at least 4 samples in --duration-s (${durationS}); got ${sampleIntervalS}`,
    );
  const warmupS = (opts['warmupS'] as number | undefined) ?? Math.min(DEFAULT_WARMUP_S, durationS / 4);
  if (warmupS >= durationS / 2)
    throw new UsageError(`--warmup-s must end before the second half of the run (${durationS / 2} s); got ${warmupS}`);
  if (ratePerS * durationS < 1)
    throw new UsageError(`--rate × --duration-s must plan at least one write; got ${ratePerS} × ${durationS}`);
  const leaderUrl = opts['leaderUrl'] as string | undefined;
  if (runtime === 'external' && !leaderUrl) throw new UsageError('--runtime external needs --leader-url');
  if (runtime !== 'external' && (leaderUrl || opts['followerUrls']))
    throw new UsageError('--leader-url and --follower-urls go with --runtime external');
  const config: SoakConfig = {
    runtime,
    ...(leaderUrl !== undefined && { leaderUrl }),
    followers,
    w,
    durationS,
    ratePerS,
    keys: opts['keys'] as number,
    valueBytes: opts['valueBytes'] as number,
    delay: opts['delay'] as string,
    replicationTimeoutMs: opts['replicationTimeoutMs'] as number,
    ackMode: opts['ackMode'] as SoakConfig['ackMode'],
    sampleIntervalS,
    warmupS,
    warmupWrites: opts['warmupWrites'] as number,
    maxOutstanding: opts['maxOutstanding'] as number,
    flatThresholdMiBPerMin: opts['flatThresholdMibPerMin'] as number,
    seed: opts['seed'] as number,
    out: (opts['out'] as string | undefined) ?? defaultOutDir(),
  };
  const followerUrls =
    typeof opts['followerUrls'] === 'string' ? opts['followerUrls'].split(',').map((u) => u.trim()) : undefined;
  const clusterToken = opts['clusterToken'] as string | undefined;
  return { config, ...(followerUrls && { followerUrls }), ...(clusterToken && { clusterToken }) };
}
