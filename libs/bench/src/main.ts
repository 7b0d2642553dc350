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
import { runSoak, soakCommand, type SoakCli } from './lib/soak';
import { compareCommand, runCompare } from './lib/compare';
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
    progress.log(
      `results in ${result.outDir}: report.md, report.html, summary.csv, summary.json, consistency.json, writes.json, charts (quorum_vs_latency_full.png)`,
    );
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
  memoryDownFollowerCommand(guarded('memory-down-follower', memoryDownFollower)),
]) {
  program.addCommand(command.exitOverride());
}
program.parseAsync(process.argv).catch((err: unknown) => {
  // commander has printed its one line already
  process.exitCode = err instanceof CommanderError && err.exitCode === 0 ? 0 : 2;
});
