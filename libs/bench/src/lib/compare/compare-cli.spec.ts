import { CommanderError } from 'commander';
import { defaultOutDir } from '../common/cli-options';
import { parseCommandLine } from '../common/testing';
import { compareCommand, parseLabel, toCompareCli } from './compare-cli';

/** Parses a command line the way `bench compare` does and returns what the action received. */
const parse = (args: string[]) => parseCommandLine(compareCommand, args);

describe('compareCommand', () => {
  it('reads the two folders, the output folder, the labels and the ack modes', async () => {
    const cli = await parse([
      '--a',
      'tmp/a',
      '--b=tmp/b',
      '--out',
      'tmp/out',
      '--label-a',
      ' received ',
      '--label-b',
      'applied',
      '--ack-mode-b',
      'applied',
    ]);
    expect(cli).toEqual({
      dirA: 'tmp/a',
      dirB: 'tmp/b',
      outDir: 'tmp/out',
      labelA: 'received',
      labelB: 'applied',
      ackModeB: 'applied',
    });
  });

  it('writes into a new folder under results/ by default and leaves the labels to the data', async () => {
    const cli = await parse(['--a', 'x', '--b', 'y']);
    expect(cli.outDir).toMatch(/^results[\\/]compare-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}$/);
    expect(cli).not.toHaveProperty('labelA');
  });

  // Each case: a bad command line, which commander rejects with one line (exit code 1 -> bench exits 2).
  it.each([
    [['--b', 'y']], // no --a
    [['--a', 'x', '--b', 'y', '--ack-mode-a', 'sometimes']],
    [['--a', 'x', '--b', 'y', '--label-a', '']],
  ])('rejects %p', async (args) => {
    await expect(parse(args)).rejects.toBeInstanceOf(CommanderError);
  });
});

describe('parseLabel', () => {
  it('trims a label and bounds its length', () => {
    expect(parseLabel('  before  ')).toBe('before');
    expect(() => parseLabel('x'.repeat(41))).toThrow('1 to 40 characters');
    expect(() => parseLabel('two\nlines')).toThrow();
  });
});

describe('toCompareCli and defaultOutDir', () => {
  it('names the default folder after the time, to the second', () => {
    const now = new Date('2025-01-02T03:04:05.678Z');
    expect(defaultOutDir('compare', now)).toMatch(/^results[\\/]compare-2025-01-02T03-04-05$/);
    expect(toCompareCli({ a: 'x', b: 'y' }, now).outDir).toBe(defaultOutDir('compare', now));
  });
});
