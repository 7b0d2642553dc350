/**
 * The command line of `bench soak`: a steady open-loop write load for a while, sampling every
 * node's memory. The defaults take about a minute: 60 s at 200 writes/s, W=3 of 5 followers,
 * 100 keys, 100-byte values, delay uniform 0-20 ms, a sample every 2 s. A bad flag stops with
 * one line.
 */
import { Command } from 'commander';
import {
  addClusterOptions,
  clusterCli,
  defaultOutDir,
  intArg,
  keysOption,
  numberArg,
  outOption,
  UsageError,
  withAction,
} from '../common/cli-options';
import { SOAK_RUNTIMES, type SoakConfig, type SoakRuntime } from './soak-records';

export interface SoakCli {
  config: SoakConfig;
  followerUrls?: string[];
  clusterToken?: string;
}

/** Memory "after warm-up" is read this long into the run, or a quarter of a shorter run. */
export const DEFAULT_WARMUP_S = 10;

export function soakCommand(onRun: (cli: SoakCli) => Promise<void>): Command {
  const command = new Command('soak').description(
    "Send a steady open-loop write load for a while and record every node's memory (is it flat?)",
  );
  addClusterOptions(command, SOAK_RUNTIMES)
    .option('--duration-s <s>', 'seconds of open-loop load', intArg('--duration-s', 1, 7 * 24 * 3600), 60)
    .option(
      '--rate <n>',
      'offered writes per second (open loop: write i is due at i/rate s)',
      numberArg('--rate', 0.01, 100_000),
      200,
    )
    .option('--w <n>', 'write quorum of every write', intArg('--w', 1, 64), 3)
    .addOption(keysOption(100))
    .option('--value-bytes <n>', 'characters in each value (a JSON string)', intArg('--value-bytes', 1, 1_000_000), 100)
    .option('--delay <spec>', 'injected delay model, e.g. uniform:0:20 or constant:5', 'uniform:0:20')
    .option('--sample-interval-s <s>', 'seconds between memory samples', numberArg('--sample-interval-s', 0.1, 3600), 2)
    .option(
      '--warmup-s <s>',
      `memory "after warm-up" is the first sample this far in (default ${DEFAULT_WARMUP_S}, or a quarter of a shorter run)`,
      numberArg('--warmup-s', 0, 7 * 24 * 3600),
    )
    .option(
      '--warmup-writes <n>',
      'closed-loop writes before the load starts, to open connections (not measured)',
      intArg('--warmup-writes', 0, 1_000_000),
      200,
    )
    .option(
      '--max-outstanding <n>',
      'writes in flight at most; a write due beyond it is dropped and counted',
      intArg('--max-outstanding', 1, 1_000_000),
      10_000,
    )
    .option(
      '--flat-threshold-mib-per-min <n>',
      'memory is flat when every node grows slower than this over the second half',
      numberArg('--flat-threshold-mib-per-min', 0.001, 1_000_000),
      1,
    )
    .addOption(outOption());
  return withAction(command, toSoakCli, onRun);
}

export function toSoakCli(opts: Record<string, unknown>): SoakCli {
  const { cluster, ...access } = clusterCli<SoakRuntime>(opts, opts['delay'] as string);
  const w = opts['w'] as number;
  const durationS = opts['durationS'] as number;
  const ratePerS = opts['rate'] as number;
  if (w > cluster.followers) throw new UsageError(`--w must be at most --followers (${cluster.followers}); got ${w}`);
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
  const config: SoakConfig = {
    ...cluster,
    w,
    durationS,
    ratePerS,
    keys: opts['keys'] as number,
    valueBytes: opts['valueBytes'] as number,
    sampleIntervalS,
    warmupS,
    warmupWrites: opts['warmupWrites'] as number,
    maxOutstanding: opts['maxOutstanding'] as number,
    flatThresholdMiBPerMin: opts['flatThresholdMibPerMin'] as number,
    out: (opts['out'] as string | undefined) ?? defaultOutDir('soak'),
  };
  return { config, ...access };
}
