import { CommanderError } from 'commander';
import { parseCommandLine } from '../common/testing';
import { fakeConfig } from './charts/testing';
import { quorumSweepCommand } from './sweep-cli';

/** A refusal after parsing (the flags parse but make no sense): one line, exit code 2. */
const usageError = { exitCode: 2, code: 'quorum-sweep.usage' };
/** A refusal by commander itself (a value it cannot parse). */
const parseError = { exitCode: 1 };

/** Parses a quorum-sweep command line the way main.ts does, returning what the sweep would run. */
const parse = (args: string[]) => parseCommandLine(quorumSweepCommand, args);

describe('quorum-sweep command line', () => {
  it('defaults reproduce the reference study', async () => {
    // The fake config is the reference study with a shorter warm-up, so the specs that use it run the study's settings.
    expect((await parse([])).config).toEqual(
      fakeConfig({
        warmupWrites: 5000,
        warmupConcurrency: 100,
        warmupSeconds: 8,
        floor: true,
        out: expect.stringMatching(/^results[/\\]quorum-sweep-/),
      }),
    );
  });

  // Each case: flags, and what they must set.
  test.each([
    {
      why: 'a scenario gives its delay plan',
      args: ['--scenario', 'one-slow-follower'],
      expected: { scenario: 'one-slow-follower', delay: 'uniform:0:50;5=uniform:800:1000' },
    },
    {
      why: 'an explicit --delay wins over the scenario',
      args: ['--scenario', 'exponential', '--delay', 'constant:5'],
      expected: { scenario: 'exponential', delay: 'constant:5' },
    },
    { why: 'follower-down stops follower 5', args: ['--scenario', 'follower-down'], expected: { downFollowers: [5] } },
    { why: '--no-floor skips the floor', args: ['--no-floor'], expected: { floor: false } },
    {
      why: 'both ack modes, the first is the default',
      args: ['--ack-modes', 'applied,received'],
      expected: { ackModes: ['applied', 'received'], ackMode: 'applied' },
    },
    {
      why: 'all three ack modes, flushed included',
      args: ['--ack-modes', 'received,flushed,applied'],
      expected: { ackModes: ['received', 'flushed', 'applied'] },
    },
    {
      why: 'nodes on a data dir (made absolute) with an FSYNC mode',
      args: ['--data-dir', '/tmp/qkv-data', '--fsync', 'batch'],
      expected: { dataDir: '/tmp/qkv-data', fsync: 'batch' },
    },
    { why: 'repeats', args: ['--repeat', '5'], expected: { repeat: 5 } },
    { why: 'open loop', args: ['--rate', '25.5'], expected: { rate: 25.5 } },
    { why: 'quorums sorted and deduplicated', args: ['--quorums', '3,1,3'], expected: { quorums: [1, 3] } },
    { why: '--flag=value form (as nx forwards)', args: ['--writes=7', '--out=x'], expected: { writes: 7, out: 'x' } },
  ])('$why', async ({ args, expected }) => {
    expect((await parse(args)).config).toMatchObject(expected);
  });

  // Each case: a bad command line, refused before anything starts.
  test.each([
    { why: 'a non-integer count', args: ['--writes', 'abc'], error: parseError },
    { why: 'an unknown scenario', args: ['--scenario', 'nope'], error: parseError },
    { why: 'an unknown ack mode', args: ['--ack-modes', 'received,maybe'], error: parseError },
    { why: 'a zero rate', args: ['--rate', '0'], error: parseError },
    { why: 'a quorum above the followers', args: ['--quorums', '1,6'], error: usageError },
    { why: 'an unknown FSYNC mode', args: ['--data-dir', 'd', '--fsync', 'sometimes'], error: parseError },
    { why: '--fsync without --data-dir', args: ['--fsync', 'off'], error: usageError },
    {
      why: '--data-dir on a runtime that does not start processes here',
      args: ['--runtime', 'external', '--leader-url', 'http://127.0.0.1:1', '--data-dir', 'd'],
      error: usageError,
    },
    { why: 'a bad delay spec', args: ['--delay', 'gaussian:1'], error: usageError },
    { why: 'external without a leader URL', args: ['--runtime', 'external'], error: usageError },
    {
      why: 'follower-down with too few followers',
      args: ['--scenario', 'follower-down', '--followers', '3', '--quorums', '1,2'],
      error: usageError,
    },
  ])('refuses $why', async ({ args, error }) => {
    const refusal = parse(args);
    await expect(refusal).rejects.toBeInstanceOf(CommanderError);
    await expect(refusal).rejects.toMatchObject(error);
  });
});
