/**
 * The command line of `bench floor`: the sweep's defaults (5 followers, W = 1..5, 100 writes
 * per W, 10 in flight, keys k0..k9, delay uniform 0-1000 ms, seed 1) against the bare relay.
 * A bad flag stops with one line.
 */
import { Command } from 'commander';
import { checkedDelay, intArg, quorumList, quorumsWithin } from '../common/cli-options';
import type { FloorConfig } from './run-floor';

export function floorCommand(onRun: (config: FloorConfig) => Promise<void>): Command {
  return new Command('floor')
    .description('Overhead p50/p99 per W of a bare node:http relay with the same topology, workload and delays')
    .option('--followers <n>', 'number of follower relays', intArg('--followers', 1, 64), 5)
    .option('--quorums <list>', 'write quorums to measure', quorumList, [1, 2, 3, 4, 5])
    .option('--writes <n>', 'writes per W', intArg('--writes', 1, 10_000_000), 100)
    .option('--concurrency <n>', 'writes in flight', intArg('--concurrency', 1, 10_000), 10)
    .option('--keys <n>', 'distinct keys k0..k{n-1}', intArg('--keys', 1, 1_000_000), 10)
    .option('--delay <spec>', 'injected delay model (as the sweep)', 'uniform:0:1000')
    .option('--seed <n>', 'seed of the delays', intArg('--seed', 0, 2 ** 31), 1)
    .option(
      '--warmup-writes <n>',
      'writes at zero delay before measuring',
      intArg('--warmup-writes', 0, 1_000_000),
      2000,
    )
    .action(async (opts: Record<string, unknown>) => onRun(toFloorConfig(opts)));
}

export function toFloorConfig(opts: Record<string, unknown>): FloorConfig {
  const followers = opts['followers'] as number;
  const quorums = opts['quorums'] as number[];
  quorumsWithin('--quorums', quorums, followers);
  const delay = checkedDelay(opts['delay'] as string, followers);
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
