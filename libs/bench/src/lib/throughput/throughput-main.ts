/**
 * The entry point of `nx run bench:throughput` (run with tsx). Its own entry, apart from the
 * sweep's main.ts, so the benchmark can be run and moved on its own. A bad flag or a failed run
 * ends with one clear line; Ctrl-C ends the run, and every process it started dies with it.
 */
import { CommanderError } from 'commander';
import { UsageError } from '../common/cli-options';
import { runThroughput } from './run-throughput';
import { throughputCommand } from './throughput-cli';

const log = (line: string) => process.stderr.write(`${line}\n`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

const command = throughputCommand(async (config) => {
  const { markdown, files } = await runThroughput(config, log);
  process.stdout.write(`${markdown}\n`);
  log(`results in ${config.out}: ${files.join(', ')}`);
}).exitOverride();

command.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof CommanderError) {
    process.exitCode = err.exitCode === 0 ? 0 : 2;
  } else if (err instanceof UsageError) {
    process.stderr.write(`throughput: ${err.message}\n`);
    process.exitCode = 2;
  } else {
    process.stderr.write(`throughput failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
});
