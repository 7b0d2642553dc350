/**
 * The command line of `bench throughput`: W = 1..5 at zero injected delay, 50 connections,
 * 10 s per W, closed loop unless `--rate` is given; the floor always, Redis when it is on PATH.
 * A bad flag stops with one line.
 */
import type { AckMode } from '@quorum-kv/replication-protocol';
import { Command, InvalidArgumentError } from 'commander';
import {
  ackModeOption,
  defaultOutDir,
  followersOption,
  intArg,
  keysOption,
  numberArg,
  outOption,
  quorumsCli,
  quorumsOption,
  replicationTimeoutOption,
  seedOption,
  withAction,
} from '../common/cli-options';
import { STORAGE_MODES, type StorageMode, type ThroughputConfig } from './throughput-records';

const envPair = (raw: string, previous: Record<string, string>): Record<string, string> => {
  const eq = raw.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError('KEY=VALUE');
  return { ...previous, [raw.slice(0, eq)]: raw.slice(eq + 1) };
};

const storageList = (raw: string): StorageMode[] => {
  const modes = [...new Set(raw.split(',').map((m) => m.trim()))];
  if (modes.length === 0 || modes.some((m) => !(STORAGE_MODES as readonly string[]).includes(m)))
    throw new InvalidArgumentError(`a comma-separated list of ${STORAGE_MODES.join(', ')}`);
  return modes as StorageMode[];
};

export function throughputCommand(onRun: (config: ThroughputConfig) => Promise<void>): Command {
  const command = new Command('throughput')
    .description('Writes/s, latency and CPU per write at W = 1..5, next to a bare node:http floor and Redis')
    .addOption(followersOption('number of followers (and Redis replicas)'))
    .addOption(quorumsOption())
    .option('--connections <n>', 'keep-alive connections of the load generator', intArg('--connections', 1, 10_000), 50)
    .option('--duration-s <s>', 'seconds of load per W', numberArg('--duration-s', 0.5, 3600), 10)
    .option(
      '--rate <n>',
      "open loop: writes per second offered (latency from each write's due time); default closed loop",
      numberArg('--rate', 1, 1_000_000),
    )
    .option('--warmup-s <s>', 'seconds of load before measuring each system', numberArg('--warmup-s', 0, 600), 5)
    .addOption(keysOption(100))
    .option('--value-bytes <n>', 'characters in each value (a JSON string)', intArg('--value-bytes', 1, 1_000_000), 16)
    .option('--delay <spec>', 'injected delay model of the store', 'constant:0')
    .addOption(replicationTimeoutOption('quorum timeout (and WAIT timeout)'))
    .addOption(ackModeOption())
    .option(
      '--storage <list>',
      `the store once per storage mode, side by side: ${STORAGE_MODES.join(', ')} (an FSYNC mode: a fresh DATA_DIR per node)`,
      storageList,
      ['memory'],
    )
    .option('--no-redis', 'do not measure Redis even when redis-server is on PATH')
    .option('--cpu-prof', "write V8 CPU profiles of the store's nodes into <out>/cpu-profiles", false)
    .option('--leader-env <KEY=VALUE>', 'extra environment for the leader (repeatable)', envPair, {})
    .addOption(seedOption('seed of the injected delays'))
    .addOption(outOption());
  return withAction(command, toThroughputConfig, onRun);
}

export function toThroughputConfig(opts: Record<string, unknown>): ThroughputConfig {
  return Object.freeze({
    ...quorumsCli(opts),
    connections: opts['connections'] as number,
    durationS: opts['durationS'] as number,
    ratePerS: (opts['rate'] as number | undefined) ?? null,
    warmupS: opts['warmupS'] as number,
    keys: opts['keys'] as number,
    valueBytes: opts['valueBytes'] as number,
    replicationTimeoutMs: opts['replicationTimeoutMs'] as number,
    ackMode: opts['ackMode'] as AckMode,
    redis: opts['redis'] as boolean,
    cpuProf: opts['cpuProf'] as boolean,
    leaderEnv: opts['leaderEnv'] as Record<string, string>,
    storage: opts['storage'] as StorageMode[],
    seed: opts['seed'] as number,
    out: (opts['out'] as string | undefined) ?? defaultOutDir('throughput'),
  });
}
