/**
 * The entry point of `nx run bench:floor` (run with tsx): the floor on its own, printing its
 * overhead per W. The sweep's report takes it in later (`quorum-sweep --floor`).
 */
import { CommanderError } from 'commander';
import { UsageError } from '../common/cli-options';
import { floorCommand } from './floor-cli';
import { floorLines, summarizeFloor } from './floor-summary';
import { runFloor } from './run-floor';

const log = (line: string) => process.stderr.write(`${line}\n`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => process.exit(130));

floorCommand(async (config) => {
  const writes = await runFloor(config, log);
  process.stdout.write(`${floorLines(summarizeFloor(writes)).join('\n')}\n`);
})
  .exitOverride()
  .parseAsync(process.argv)
  .catch((err: unknown) => {
    if (err instanceof CommanderError) {
      process.exitCode = err.exitCode === 0 ? 0 : 2;
    } else if (err instanceof UsageError) {
      process.stderr.write(`floor: ${err.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`floor failed: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    }
  });
