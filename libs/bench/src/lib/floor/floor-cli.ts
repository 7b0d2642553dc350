/**
 * The command line of `bench floor`: the sweep's defaults (5 followers, W = 1..5, 100 writes
 * per W, 10 in flight, keys k0..k9, delay uniform 0-1000 ms, seed 1) against the bare relay.
 * A bad flag stops with one line.
 */
import { Command } from 'commander';
import {
  addWorkloadOptions,
  followersOption,
  quorumsCli,
  seedOption,
  withAction,
  workloadCli,
} from '../common/cli-options';
import type { FloorConfig } from './run-floor';

export function floorCommand(onRun: (config: FloorConfig) => Promise<void>): Command {
  const command = new Command('floor')
    .description('Overhead p50/p99 per W of a bare node:http relay with the same topology, workload and delays')
    .addOption(followersOption('number of follower relays'));
  addWorkloadOptions(command)
    .option('--delay <spec>', 'injected delay model (as the sweep)', 'uniform:0:1000')
    .addOption(seedOption('seed of the delays'));
  return withAction(command, toFloorConfig, onRun);
}

export function toFloorConfig(opts: Record<string, unknown>): FloorConfig {
  return Object.freeze({ ...quorumsCli(opts), ...workloadCli(opts), seed: opts['seed'] as number });
}
