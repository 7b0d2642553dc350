/**
 * The command line of `bench throughput`: W = 1..5 at zero injected delay, 50 connections,
 * 10 s per W, closed loop unless `--rate` is given; the floor always, Redis when it is on PATH.
 * A bad flag stops with one line.
 */
import { ACK_MODES, type AckMode } from '@quorum-kv/replication-protocol';
import { Command, InvalidArgumentError, Option } from 'commander';
import { checkedDelay, defaultOutDir, intArg, numberArg, quorumList, quorumsWithin } from '../common/cli-options';
import type { ThroughputConfig } from './throughput-records';

const envPair = (raw: string, previous: Record<string, string>): Record<string, string> => {
  const eq = raw.indexOf('=');
  if (eq <= 0) throw new InvalidArgumentError('KEY=VALUE');
  return { ...previous, [raw.slice(0, eq)]: raw.slice(eq + 1) };
};

export function throughputCommand(onRun: (config: ThroughputConfig) => Promise<void>): Command {
  return new Command('throughput')
    .description('Writes/s, latency and CPU per write at W = 1..5, next to a bare node:http floor and Redis')
    .option('--followers <n>', 'number of followers (and Redis replicas)', intArg('--followers', 1, 64), 5)
    .option('--quorums <list>', 'write quorums to measure', quorumList, [1, 2, 3, 4, 5])
    .option('--connections <n>', 'keep-alive connections of the load generator', intArg('--connections', 1, 10_000), 50)
    .option('--duration-s <s>', 'seconds of load per W', numberArg('--duration-s', 0.5, 3600), 10)
    .option(
      '--rate <n>',
      "open loop: writes per second offered (latency from each write's due time); default closed loop",
      numberArg('--rate', 1, 1_000_000),
    )
    .option('--warmup-s <s>', 'seconds of load before measuring each system', numberArg('--warmup-s', 0, 600), 2)
    .option('--keys <n>', 'distinct keys k0..k{n-1}', intArg('--keys', 1, 1_000_000), 100)
    .option('--value-bytes <n>', 'characters in each value (a JSON string)', intArg('--value-bytes', 1, 1_000_000), 16)
    .option('--delay <spec>', 'injected delay model of the store', 'constant:0')
    .option(
      '--replication-timeout-ms <ms>',
      'quorum timeout (and WAIT timeout)',
      intArg('--replication-timeout-ms', 1, 600_000),
      2000,
    )
    .addOption(new Option('--ack-mode <mode>', 'when followers ack').choices(ACK_MODES).default('received'))
    .option('--no-redis', 'do not measure Redis even when redis-server is on PATH')
    .option('--cpu-prof', "write V8 CPU profiles of the store's nodes into <out>/cpu-profiles", false)
    .option('--leader-env <KEY=VALUE>', 'extra environment for the leader (repeatable)', envPair, {})
    .option('--seed <n>', 'seed of the injected delays', intArg('--seed', 0, 2 ** 31), 1)
    .option('--out <dir>', 'output folder (default results/throughput-<timestamp>)')
    .action(async (opts: Record<string, unknown>) => onRun(toThroughputConfig(opts)));
}

export function toThroughputConfig(opts: Record<string, unknown>): ThroughputConfig {
  const followers = opts['followers'] as number;
  const quorums = opts['quorums'] as number[];
  quorumsWithin('--quorums', quorums, followers);
  const delay = checkedDelay(opts['delay'] as string, followers);
  return Object.freeze({
    followers,
    quorums,
    connections: opts['connections'] as number,
    durationS: opts['durationS'] as number,
    ratePerS: (opts['rate'] as number | undefined) ?? null,
    warmupS: opts['warmupS'] as number,
    keys: opts['keys'] as number,
    valueBytes: opts['valueBytes'] as number,
    delay,
    replicationTimeoutMs: opts['replicationTimeoutMs'] as number,
    ackMode: opts['ackMode'] as AckMode,
    redis: opts['redis'] as boolean,
    cpuProf: opts['cpuProf'] as boolean,
    leaderEnv: opts['leaderEnv'] as Record<string, string>,
    seed: opts['seed'] as number,
    out: (opts['out'] as string | undefined) ?? defaultOutDir('throughput'),
  });
}
