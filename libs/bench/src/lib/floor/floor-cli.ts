/**
 * The command line of `bench floor`: the sweep's defaults (5 followers, W = 1..5, 100 writes
 * per W, 10 in flight, keys k0..k9, delay uniform 0-1000 ms, seed 1) against the bare relay.
 * A bad flag stops with one line.
 */
import { Command, InvalidArgumentError } from 'commander';
import { DelaySpecError, parseDelayPlan } from '@quorum-kv/replication-protocol';
import { UsageError } from '../common/cli-options';
import type { FloorConfig } from './run-floor';

const int = (name: string, min: number, max: number) => (raw: string) => {
  const n = Number(raw);
  if (!/^[0-9]+$/.test(raw.trim()) || n < min || n > max)
    throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}`);
  return n;
};

const quorumList = (raw: string): number[] => {
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.some((p) => !/^[0-9]+$/.test(p)))
    throw new InvalidArgumentError('a comma-separated list of integers, e.g. 1,2,3,4,5');
  return [...new Set(parts.map(Number))].sort((a, b) => a - b);
};

export function floorCommand(onRun: (config: FloorConfig) => Promise<void>): Command {
  return new Command('floor')
    .description('Overhead p50/p99 per W of a bare node:http relay with the same topology, workload and delays')
    .option('--followers <n>', 'number of follower relays', int('--followers', 1, 64), 5)
    .option('--quorums <list>', 'write quorums to measure', quorumList, [1, 2, 3, 4, 5])
    .option('--writes <n>', 'writes per W', int('--writes', 1, 10_000_000), 100)
    .option('--concurrency <n>', 'writes in flight', int('--concurrency', 1, 10_000), 10)
    .option('--keys <n>', 'distinct keys k0..k{n-1}', int('--keys', 1, 1_000_000), 10)
    .option('--delay <spec>', 'injected delay model (as the sweep)', 'uniform:0:1000')
    .option('--seed <n>', 'seed of the delays', int('--seed', 0, 2 ** 31), 1)
    .option('--warmup-writes <n>', 'writes at zero delay before measuring', int('--warmup-writes', 0, 1_000_000), 2000)
    .action(async (opts: Record<string, unknown>) => onRun(toFloorConfig(opts)));
}

export function toFloorConfig(opts: Record<string, unknown>): FloorConfig {
  const followers = opts['followers'] as number;
  const quorums = opts['quorums'] as number[];
  const bad = quorums.filter((w) => w < 1 || w > followers);
  if (quorums.length === 0 || bad.length > 0)
    throw new UsageError(
      `--quorums must be between 1 and --followers (${followers}); got ${bad.join(',') || 'nothing'}`,
    );
  const delay = opts['delay'] as string;
  try {
    parseDelayPlan(delay, followers);
  } catch (err) {
    if (err instanceof DelaySpecError) throw new UsageError(`--delay: ${err.message}`);
    throw err;
  }
  return Object.freeze({
    followers,
    quorums,
    writes: opts['writes'] as number,
    concurrency: opts['concurrency'] as number,
    keys: opts['keys'] as number,
    delay,
    seed: opts['seed'] as number,
    warmupWrites: opts['warmupWrites'] as number,
  });
}
