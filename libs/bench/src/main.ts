/**
 * The bench's entry point (run with tsx by `nx run bench:<command>`). Every command is wired the
 * same way: its CLI reads the flags (a bad one ends with one line and exit code 2), its run gets
 * the cluster from the runtime registry when it needs one, and a failure ends with one line
 * `<command> failed: <why>` and exit code 1. Ctrl-C stops the cluster it started, then exits 130.
 */
import { Command, CommanderError } from 'commander';
import { acquireCluster } from './lib/cluster/runtimes';
import type { Cluster, ClusterConfig } from './lib/cluster/cluster';
import { CommandError } from './lib/common/cli-options';
import { createProgress, type Progress } from './lib/common/progress';
import { quorumSweepCommand, type SweepCli } from './lib/sweep/sweep-cli';
import { runSweep } from './lib/sweep/run-sweep';
import { resultsLine } from './lib/sweep/output-files';
import { runSoak, soakCommand, type SoakCli } from './lib/soak';
import { compareCommand, runCompare } from './lib/compare';
import { runThroughput } from './lib/throughput/run-throughput';
import type { ThroughputConfig } from './lib/throughput/throughput-records';
import { throughputCommand } from './lib/throughput/throughput-cli';
import { floorCommand } from './lib/floor/floor-cli';
import { floorLines, summarizeFloor } from './lib/floor/floor-summary';
import { runFloor } from './lib/floor/run-floor';
import type { FloorConfig } from './lib/floor/run-floor';
import {
  acquireDurabilityTarget,
  durabilitySweepCommand,
  runDurabilitySweep,
  type DurabilityConfig,
} from './lib/durability';
import { memoryDownFollowerCommand, runMemoryDownFollower, startMemoryCluster, type MemoryCli } from './lib/memory';

let running: Cluster | undefined;

/** Runs `run` against the cluster the command's flags describe, and stops that cluster afterwards. */
async function withCluster(
  cli: { config: ClusterConfig; followerUrls?: string[]; clusterToken?: string },
  run: (cluster: Cluster, progress: Progress) => Promise<void>,
): Promise<void> {
  const progress = createProgress();
  const { followerUrls, clusterToken } = cli;
  running = await acquireCluster(cli.config, {
    log: progress.log,
    ...(followerUrls && { followerUrls }),
    ...(clusterToken && { clusterToken }),
  });
  try {
    await run(running, progress);
  } finally {
    await running.stop();
    running = undefined;
  }
}

const sweep = (cli: SweepCli) =>
  withCluster(cli, async (cluster, progress) => {
    const result = await runSweep(cli.config, cluster, progress);
    progress.log(resultsLine(result.outDir, result.files));
    if (!result.converged) {
      progress.log('FAILED: a follower did not equal the leader after draining (see consistency.json)');
      process.exitCode = 1;
    }
  });

const soak = (cli: SoakCli) =>
  withCluster(cli, async (cluster, progress) => {
    const result = await runSoak(cli.config, cluster, progress.log);
    progress.log(`results in ${result.outDir}: ${result.files.join(', ')}`);
    const { status } = result.summary.verdict;
    progress.log(
      `verdict: ${status === 'inconclusive' ? 'inconclusive (run longer)' : `memory ${status}`}; see soak-report.md`,
    );
  });

const log = (line: string) => process.stderr.write(`${line}\n`);

const throughput = async (config: ThroughputConfig) => {
  const { markdown, files } = await runThroughput(config, log);
  process.stdout.write(`${markdown}\n`);
  log(`results in ${config.out}: ${files.join(', ')}`);
};

const floor = async (config: FloorConfig) => {
  const writes = await runFloor(config, log);
  process.stdout.write(`${floorLines(summarizeFloor(writes)).join('\n')}\n`);
};
/** Fails (exit code 1) when a cell with W + R > N lost an acknowledged write, or could not be checked. */
async function durability(config: DurabilityConfig): Promise<void> {
  const progress = createProgress();
  const acquired = await acquireDurabilityTarget(config, progress.log);
  running = acquired.cluster;
  try {
    const result = await runDurabilitySweep(config, acquired.target, progress);
    progress.log(`results in ${result.outDir}: ${result.files.join(', ')}`);
    const { violated, unchecked } = result.verdict;
    if (violated.length > 0) {
      const at = violated.map((c) => `W=${c.w} R=${c.r} (${c.lost} lost)`).join(', ');
      progress.log(`FAILED: acknowledged writes lost where W + R > N promises none: ${at}`);
      process.exitCode = 1;
    } else if (unchecked.length > 0) {
      progress.log(
        `FAILED: nothing proven at ${unchecked.map((c) => `W=${c.w} R=${c.r}`).join(', ')} (a read failed, or no write was acknowledged; see report.md)`,
      );
      process.exitCode = 1;
    } else {
      progress.log('the model held: no acknowledged write lost in any cell with W + R > N');
    }
  } finally {
    acquired.target.close();
    await acquired.cluster.stop();
    running = undefined;
  }
}

/** Its own process cluster (the leader's log bound, every node's heap limit), stopped afterwards. */
async function memoryDownFollower(cli: MemoryCli): Promise<void> {
  const progress = createProgress();
  const cluster = await startMemoryCluster(cli, progress.log);
  running = cluster;
  try {
    await runMemoryDownFollower(cli.memory, cluster, progress.log);
  } finally {
    await cluster.stop();
    running = undefined;
  }
}

/** The one error handling of every command: one line on stderr, and the exit code. */
function guarded<T>(name: string, run: (cli: T) => Promise<unknown>): (cli: T) => Promise<void> {
  return async (cli) => {
    try {
      await run(cli);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      const expected = err instanceof CommandError;
      process.stderr.write(expected ? `${name}: ${message}\n` : `${name} failed: ${message}\n`);
      process.exitCode = expected ? err.exitCode : 1;
    }
  };
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    process.stderr.write(`\n${signal}: stopping the cluster\n`);
    const stopping = running?.stop() ?? Promise.resolve();
    const timer = setTimeout(() => process.exit(130), 10_000);
    void stopping.finally(() => {
      clearTimeout(timer);
      process.exit(130);
    });
  });
}

const program = new Command('bench').exitOverride();
for (const command of [
  quorumSweepCommand(guarded('quorum-sweep', sweep)),
  soakCommand(guarded('soak', soak)),
  compareCommand(guarded('compare', runCompare)),
  throughputCommand(guarded('throughput', throughput)),
  floorCommand(guarded('floor', floor)),
  durabilitySweepCommand(guarded('durability-sweep', durability)),
  memoryDownFollowerCommand(guarded('memory-down-follower', memoryDownFollower)),
]) {
  program.addCommand(command.exitOverride());
}
program.parseAsync(process.argv).catch((err: unknown) => {
  // commander has printed its one line already
  process.exitCode = err instanceof CommanderError && err.exitCode === 0 ? 0 : 2;
});
