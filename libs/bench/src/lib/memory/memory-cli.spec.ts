import { commandLineOutcome } from '../common/testing';
import { memoryDownFollowerCommand } from './memory-cli';

/** Parses `args` as `bench memory-down-follower ...`; the CLI it ran with, or the one error line. */
const parse = (args: string[]) => commandLineOutcome(memoryDownFollowerCommand, args);

describe('memory-down-follower command line', () => {
  it('defaults to the process runtime, 5 followers and 400 writes of 1 MiB with no log or heap bound', async () => {
    const { parsed: cli } = await parse([]);
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
    const { parsed: cli } = await parse(['--writes', '600', '--max-log-mib', '64', '--heap-mib', '512']);
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
    const { parsed: cli, error } = await parse(args);
    expect(cli).toBeUndefined();
    expect(error).toMatch(message);
  });
});
