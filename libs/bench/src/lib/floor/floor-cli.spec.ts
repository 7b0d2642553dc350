import { CommanderError } from 'commander';
import { UsageError } from '../common/cli-options';
import { floorCommand } from './floor-cli';
import type { FloorConfig } from './run-floor';

async function parse(args: string[]): Promise<{ config?: FloorConfig; error?: string }> {
  let config: FloorConfig | undefined;
  let error = '';
  const command = floorCommand(async (c) => {
    config = c;
  })
    .exitOverride()
    .configureOutput({ writeErr: (text) => (error += text), writeOut: () => undefined });
  try {
    await command.parseAsync(args, { from: 'user' });
  } catch (err) {
    if (err instanceof UsageError) return { error: err.message };
    if (!(err instanceof CommanderError)) throw err;
    return { error: error.trim() };
  }
  return { ...(config && { config }) };
}

describe('floor command line', () => {
  it("defaults to the sweep's workload: 5 followers, W=1..5, 100 writes, 10 in flight, uniform 0-1000 ms", async () => {
    expect((await parse([])).config).toEqual({
      followers: 5,
      quorums: [1, 2, 3, 4, 5],
      writes: 100,
      concurrency: 10,
      keys: 10,
      delay: 'uniform:0:1000',
      seed: 1,
      warmupWrites: 2000,
    });
  });
  it.each([
    { name: 'a W above the followers', args: ['--followers', '2', '--quorums', '3'], error: /--quorums must be/ },
    { name: 'an unknown delay model', args: ['--delay', 'often'], error: /--delay/ },
    { name: 'zero writes', args: ['--writes', '0'], error: /--writes must be an integer/ },
  ])('refuses $name in one line', async ({ args, error }) => {
    const parsed = await parse(args);
    expect(parsed.config).toBeUndefined();
    expect(parsed.error).toMatch(error);
  });
});
