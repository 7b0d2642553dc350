import { CommanderError } from 'commander';
import { parseCommandLine } from '../common/testing';
import { fakeDurabilityConfig } from './testing';
import type { DurabilityConfig } from './durability-records';
import { DEFAULT_DURABILITY_DELAY, durabilitySweepCommand } from './durability-cli';

const parse = (args: string[]) => parseCommandLine(durabilitySweepCommand, args);

describe('durability-sweep flags', () => {
  it('defaults to 5 followers, W and R from 1 to 5, 20 writes and 2 crashes per cell, the process runtime', async () => {
    // The fake config is the defaults, so the specs that use it run what a bare command line runs.
    expect(await parse([])).toEqual(
      fakeDurabilityConfig({
        delay: DEFAULT_DURABILITY_DELAY,
        out: expect.stringMatching(/^results[/\\]durability-sweep-/),
      }),
    );
  });

  it.each([
    {
      args: ['--recovery-quorums', '3,1,3'],
      field: 'recoveryQuorums',
      value: [1, 3],
      reason: 'R sorted, without repeats',
    },
    {
      args: ['--followers', '3', '--quorums', '2', '--recovery-quorums', '2'],
      field: 'quorums',
      value: [2],
      reason: 'a smaller cluster',
    },
    { args: ['--crashes', '0', '--writes', '1'], field: 'crashes', value: 0, reason: 'no crash needs one write' },
    { args: ['--runtime', 'docker'], field: 'runtime', value: 'docker', reason: 'containers' },
    { args: ['--out', 'here'], field: 'out', value: 'here', reason: 'the output folder' },
    {
      args: ['--data-dir', '/tmp/qkv-durability', '--fsync', 'off'],
      field: 'dataDir',
      value: '/tmp/qkv-durability',
      reason: 'nodes on a data dir',
    },
    { args: ['--data-dir', 'd', '--fsync', 'off'], field: 'fsync', value: 'off', reason: 'their FSYNC mode' },
    {
      args: ['--runtime', 'docker', '--data-dir', 'd'],
      field: 'dataDir',
      value: expect.stringMatching(/[/\\]d$/),
      reason: 'containers on named volumes',
    },
  ])('$reason', async ({ args, field, value }) => {
    expect((await parse(args))[field as keyof DurabilityConfig]).toEqual(value);
  });

  it.each([
    {
      args: ['--recovery-quorums', '6'],
      error: /--recovery-quorums must be between 1 and --followers \(5\); got 6/,
      reason: 'R above N',
    },
    { args: ['--quorums', '0'], error: /--quorums must be between 1/, reason: 'W of 0' },
    {
      args: ['--crashes', '3', '--writes', '6'],
      error: /--crashes 3 needs --writes of at least 7/,
      reason: 'too few writes for the crashes',
    },
    { args: ['--delay', 'sometimes'], error: /--delay:/, reason: 'a delay model that does not parse' },
    { args: ['--fsync', 'off'], error: /--fsync goes with --data-dir/, reason: 'an FSYNC mode without a data dir' },
  ])('refuses $reason with one line', async ({ args, error }) => {
    await expect(parse(args)).rejects.toThrow(error);
  });

  it.each([
    { args: ['--runtime', 'external'], reason: 'the external runtime cannot crash a leader' },
    { args: ['--writes', 'many'], reason: 'a count that is not a number' },
  ])('refuses $reason (commander)', async ({ args }) => {
    await expect(parse(args)).rejects.toBeInstanceOf(CommanderError);
  });
});
