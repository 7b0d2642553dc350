/**
 * Test helpers the bench's specs share: a command line parsed the way main.ts parses it.
 * Not exported from the library's index.
 */
import { CommanderError, type Command } from 'commander';

/** A command's factory, as every `*-cli.ts` exports one: it takes what runs with the parsed flags. */
export type CommandFactory<T> = (onRun: (parsed: T) => Promise<void>) => Command;

/** What the action of `build`'s command received from `args`; commander throws instead of exiting. */
async function actionInput<T>(
  build: CommandFactory<T>,
  args: string[],
  writeErr: (text: string) => void,
): Promise<T | undefined> {
  let parsed: T | undefined;
  const command = build(async (value) => {
    parsed = value;
  })
    .exitOverride()
    .configureOutput({ writeErr, writeOut: () => undefined });
  await command.parseAsync(args, { from: 'user' });
  return parsed;
}

/**
 * Parses `args` with the command `build` makes and resolves with what its action received;
 * rejects with commander's error (its `exitCode` and `code`) on a refusal.
 */
export async function parseCommandLine<T>(build: CommandFactory<T>, args: string[]): Promise<T> {
  const parsed = await actionInput(build, args, () => undefined);
  if (parsed === undefined) throw new Error('the action did not run');
  return parsed;
}

/**
 * Like `parseCommandLine`, but a refusal resolves too: `parsed` is what the action received, or
 * `error` is everything the command wrote to stderr (the one line a user sees), trimmed.
 */
export async function commandLineOutcome<T>(
  build: CommandFactory<T>,
  args: string[],
): Promise<{ parsed?: T; error?: string }> {
  let error = '';
  try {
    const parsed = await actionInput(build, args, (text) => (error += text));
    return parsed === undefined ? {} : { parsed };
  } catch (err) {
    if (!(err instanceof CommanderError)) throw err;
    return { error: error.trim() };
  }
}

/** Asserts that `text` contains every one of `parts`; a failure names the first one missing. */
export function expectContainsAll(text: string, parts: readonly string[]): void {
  for (const part of parts) expect(text).toContain(part);
}
