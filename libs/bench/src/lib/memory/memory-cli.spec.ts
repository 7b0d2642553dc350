import { Command, CommanderError } from 'commander';
import { memoryDownFollowerCommand, type MemoryCli } from './memory-cli';

/** Parses `args` as `bench memory-down-follower ...`; the CLI it ran with, or commander's error. */
async function parse(args: string[]): Promise<{ cli?: MemoryCli; error?: string }> {
  let cli: MemoryCli | undefined;
  const command = memoryDownFollowerCommand(async (c) => {
    cli = c;
  })
    .exitOverride()
    .configureOutput({ writeErr: () => undefined });
  const program = new Command('bench').exitOverride().addCommand(command);
  try {
    await program.parseAsync(['node', 'bench', 'memory-down-follower', ...args]);
  } catch (err) {
    if (err instanceof CommanderError) return { error: err.message };
    throw err;
  }
  return cli === undefined ? {} : { cli };
}

describe('memory-down-follower command line', () => {
  it('defaults to the process runtime, 5 followers and 400 writes of 1 MiB with no log or heap bound', async () => {
    const { cli } = await parse([]);
    expect(cli?.config).toMatchObject({ runtime: 'process', followers: 5, delay: 'uniform:0:10' });
    expect(cli?.memory).toEqual({
      writes: 400,
      valueKib: 1024,
      keys: 5,
      sampleEvery: 25,
      maxLogMib: undefined,
      heapMib: undefined,
    });
  });

  it('reads the bounds it is given', async () => {
    const { cli } = await parse(['--writes', '600', '--max-log-mib', '64', '--heap-mib', '512']);
    expect(cli?.memory).toMatchObject({ writes: 600, maxLogMib: 64, heapMib: 512 });
  });

  test.each([
    { why: 'no other runtime can stop a follower', args: ['--runtime', 'docker'], message: /runtime/ },
    { why: 'one follower leaves none to write to once it is down', args: ['--followers', '1'], message: /at least 2/ },
    {
      why: 'a heap below 64 MiB cannot hold a 1 MiB log entry and node',
      args: ['--heap-mib', '32'],
      message: /heap-mib/,
    },
    { why: 'zero writes measure nothing', args: ['--writes', '0'], message: /writes/ },
  ])('refuses: $why', async ({ args, message }) => {
    const { cli, error } = await parse(args);
    expect(cli).toBeUndefined();
    expect(error).toMatch(message);
  });
});
