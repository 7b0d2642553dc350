/**
 * The bench's entry point (run with tsx by `nx run bench:quorum-sweep`). Ctrl-C stops the
 * cluster it started before exiting; a bad flag or a failed run ends with one clear line.
 */
import { Command, CommanderError } from 'commander';
import { quorumSweepCommand, UsageError, type SweepCli } from './lib/cli';
import { acquireCluster } from './lib/runtimes/acquire-cluster';
import { createProgress } from './lib/progress';
import { runSweep } from './lib/sweep';
import type { Cluster } from './lib/runtimes/cluster';
import { runSoak, soakClusterConfig, soakCommand, type SoakCli } from './lib/soak';
import { CompareError, compareCommand, runCompare, type CompareCli } from './lib/compare';
import {
  acquireDurabilityTarget,
  durabilitySweepCommand,
  runDurabilitySweep,
  type DurabilityConfig,
} from './lib/durability';

let running: Cluster | undefined;

async function sweep({ config, followerUrls, clusterToken }: SweepCli): Promise<void> {
  const progress = createProgress();
  running = await acquireCluster({
    config,
    log: progress.log,
    ...(followerUrls && { followerUrls }),
    ...(clusterToken && { clusterToken }),
  });
  try {
    const result = await runSweep(config, running, progress);
    progress.log(
      `results in ${result.outDir}: report.md, report.html, summary.csv, summary.json, consistency.json, writes.json, charts (quorum_vs_latency_full.png)`,
    );
    if (!result.converged) {
      progress.log('FAILED: a follower did not equal the leader after draining (see consistency.json)');
      process.exitCode = 1;
    }
  } finally {
    await running.stop();
    running = undefined;
  }
}

/** `bench soak`: the cluster is started here as for the sweep; a failed run ends with one `soak failed:` line. */
async function soak({ config, followerUrls, clusterToken }: SoakCli): Promise<void> {
  const progress = createProgress();
  try {
    running = await acquireCluster({
      config: soakClusterConfig(config),
      log: progress.log,
      ...(followerUrls && { followerUrls }),
      ...(clusterToken && { clusterToken }),
    });
    const result = await runSoak(config, running, progress.log);
    progress.log(`results in ${result.outDir}: ${result.files.join(', ')}`);
    const { status } = result.summary.verdict;
    progress.log(
      `verdict: ${status === 'inconclusive' ? 'inconclusive (run longer)' : `memory ${status}`}; see soak-report.md`,
    );
  } catch (err) {
    process.stderr.write(`soak failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  } finally {
    await running?.stop();
    running = undefined;
  }
}

/** `bench durability-sweep`: exits 1 when a cell with W + R > N lost an acknowledged write, or could not be checked. */
async function durability(config: DurabilityConfig): Promise<void> {
  const progress = createProgress();
  let target: { close(): void } | undefined;
  try {
    const acquired = await acquireDurabilityTarget(config, progress.log);
    running = acquired.cluster;
    target = acquired.target;
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
  } catch (err) {
    process.stderr.write(`durability-sweep failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  } finally {
    target?.close();
    await running?.stop();
    running = undefined;
  }
}

/** `bench compare`: two result folders side by side, no cluster; a bad folder or file ends with one `compare:` line. */
async function compare(cli: CompareCli): Promise<void> {
  try {
    await runCompare(cli);
  } catch (err) {
    if (err instanceof CompareError) {
      process.stderr.write(`compare: ${err.message}\n`);
      process.exitCode = err.exitCode;
    } else {
      process.stderr.write(`compare failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    }
  }
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

const program = new Command('bench')
  .exitOverride()
  .addCommand(quorumSweepCommand(sweep).exitOverride())
  .addCommand(soakCommand(soak).exitOverride());
program.addCommand(compareCommand(compare).exitOverride());
program.addCommand(durabilitySweepCommand(durability).exitOverride());
program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? 0 : 2; // commander has printed its one line already
  } else if (err instanceof UsageError) {
    // The command's own name: quorum-sweep and durability-sweep share the UsageError.
    process.stderr.write(`${process.argv[2] ?? 'bench'}: ${err.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`quorum-sweep failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
});
