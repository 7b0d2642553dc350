/**
 * The command line of `bench memory-down-follower` (issue #12): the leader's memory while a
 * follower is down and large writes continue. The defaults: 400 writes of 1 MiB to 5 keys at
 * W=1, 5 followers (the last one stopped), delay uniform 0-10 ms, a sample every 25 writes.
 * A bad flag stops with one line.
 */
import { Command } from 'commander';
import { addClusterOptions, clusterCli, intArg, keysOption, UsageError, withAction } from '../common/cli-options';
import type { ClusterConfig } from '../cluster/cluster';
import type { RuntimeName } from '../cluster/runtimes';

/** Only the process runtime can stop one follower and give every node a heap limit. */
export const MEMORY_RUNTIMES = ['process'] as const satisfies readonly RuntimeName[];

export interface MemoryConfig {
  writes: number;
  valueKib: number;
  keys: number;
  sampleEvery: number;
  /** MAX_LOG_BYTES of the leader in MiB; undefined: the leader's default. */
  maxLogMib: number | undefined;
  /** --max-old-space-size for every node: with a bound, V8 collects before it; without one it may let garbage pile up. */
  heapMib: number | undefined;
}

export interface MemoryCli {
  config: ClusterConfig;
  memory: MemoryConfig;
  clusterToken?: string;
}

export function memoryDownFollowerCommand(onRun: (cli: MemoryCli) => Promise<void>): Command {
  const command = new Command('memory-down-follower').description(
    "Stop one follower, keep writing large values, and print the leader's RSS, heap, log and store bytes",
  );
  addClusterOptions(command, MEMORY_RUNTIMES)
    .option('--delay <spec>', 'injected delay model, e.g. uniform:0:10 or constant:5', 'uniform:0:10')
    .option('--writes <n>', 'writes while the follower is down', intArg('--writes', 1, 10_000_000), 400)
    .option('--value-kib <n>', 'KiB in each value', intArg('--value-kib', 1, 1024 * 1024), 1024)
    .addOption(keysOption(5, 'distinct keys the writes cycle through'))
    .option('--sample-every <n>', 'writes between samples', intArg('--sample-every', 1, 10_000_000), 25)
    .option(
      '--max-log-mib <n>',
      "the leader's MAX_LOG_BYTES in MiB (default: the leader's)",
      intArg('--max-log-mib', 1, 1024 * 1024),
    )
    .option(
      '--heap-mib <n>',
      "every node's --max-old-space-size (default: node's)",
      intArg('--heap-mib', 64, 1024 * 1024),
    );
  return withAction(command, toMemoryCli, onRun);
}

export function toMemoryCli(opts: Record<string, unknown>): MemoryCli {
  const { cluster, clusterToken } = clusterCli<(typeof MEMORY_RUNTIMES)[number]>(opts, opts['delay'] as string);
  if (cluster.followers < 2)
    throw new UsageError(
      `--followers must be at least 2 (one is stopped, W=1 needs another); got ${cluster.followers}`,
    );
  const memory: MemoryConfig = {
    writes: opts['writes'] as number,
    valueKib: opts['valueKib'] as number,
    keys: opts['keys'] as number,
    sampleEvery: opts['sampleEvery'] as number,
    maxLogMib: opts['maxLogMib'] as number | undefined,
    heapMib: opts['heapMib'] as number | undefined,
  };
  return { config: cluster, memory, ...(clusterToken && { clusterToken }) };
}
