import { commandLineOutcome } from '../common/testing';
import { soakCommand } from './soak-cli';
import { fakeSoakConfig } from './testing';

/** Parses a command line the way main.ts does; returns what the run would get, or the one error line. */
const parse = (args: string[]) => commandLineOutcome(soakCommand, args);

describe('soak command line', () => {
  it('defaults to a one-minute run: 200 writes/s, W=3 of 5, 100 keys of 100 characters, 2 s samples, 10 s warm-up', async () => {
    // The fake config is the defaults but for a smaller cluster (W=1 of 2).
    expect((await parse([])).parsed?.config).toEqual(
      fakeSoakConfig({ followers: 5, w: 3, out: expect.stringMatching(/^results[/\\]soak-/) }),
    );
  });

  // Each flag with its value on the command line and what the config then holds.
  const EVERY_FLAG: Array<[flag: string, value: string, field: string, expected: unknown]> = [
    ['--duration-s', '20', 'durationS', 20],
    ['--rate', '12.5', 'ratePerS', 12.5],
    ['--w', '2', 'w', 2],
    ['--followers', '3', 'followers', 3],
    ['--keys', '7', 'keys', 7],
    ['--value-bytes', '1000', 'valueBytes', 1000],
    ['--delay', 'constant:5', 'delay', 'constant:5'],
    ['--sample-interval-s', '0.5', 'sampleIntervalS', 0.5],
    ['--warmup-s', '3', 'warmupS', 3],
    ['--max-outstanding', '50', 'maxOutstanding', 50],
    ['--flat-threshold-mib-per-min', '2', 'flatThresholdMiBPerMin', 2],
    ['--seed', '9', 'seed', 9],
    ['--out', 'tmp/x', 'out', 'tmp/x'],
  ];

  it('reads every flag', async () => {
    const { parsed: cli } = await parse(EVERY_FLAG.flatMap(([flag, value]) => [flag, value]));
    expect(cli?.config).toMatchObject(Object.fromEntries(EVERY_FLAG.map(([, , field, expected]) => [field, expected])));
  });

  it('shortens the default warm-up to a quarter of a short run', async () => {
    expect((await parse(['--duration-s', '20'])).parsed?.config.warmupS).toBe(5);
  });

  it('takes an external cluster by URL', async () => {
    const { parsed: cli } = await parse([
      '--runtime',
      'external',
      '--leader-url',
      'http://127.0.0.1:8080',
      '--follower-urls',
      'http://127.0.0.1:8081, http://127.0.0.1:8082',
      '--followers',
      '2',
      '--w',
      '1',
    ]);
    expect(cli?.config).toMatchObject({ runtime: 'external', leaderUrl: 'http://127.0.0.1:8080' });
    expect(cli?.followerUrls).toEqual(['http://127.0.0.1:8081', 'http://127.0.0.1:8082']);
  });

  // Each case: the flags, the start of the one line that refuses them.
  it.each([
    [
      ['--rate', '0'],
      "error: option '--rate <n>' argument '0' is invalid. --rate must be a number from 0.01 to 100000",
    ],
    [
      ['--duration-s', 'ten'],
      "error: option '--duration-s <s>' argument 'ten' is invalid. --duration-s must be an integer",
    ],
    [['--w', '6'], 'soak: --w must be at most --followers (5); got 6'],
    [['--delay', 'gaussian:1'], 'soak: --delay: '],
    [['--duration-s', '10', '--sample-interval-s', '5'], 'soak: --sample-interval-s must leave at least 4 samples'],
    [
      ['--duration-s', '10', '--warmup-s', '5'],
      'soak: --warmup-s must end before the second half of the run (5 s); got 5',
    ],
    [['--runtime', 'external'], 'soak: --runtime external needs --leader-url'],
    [['--leader-url', 'http://127.0.0.1:1'], 'soak: --leader-url and --follower-urls go with --runtime external'],
    [
      ['--runtime', 'docker'],
      "error: option '--runtime <runtime>' argument 'docker' is invalid. Allowed choices are process, external.",
    ],
    [['--bogus'], "error: unknown option '--bogus'"],
  ])('%j is refused with one line', async (args, line) => {
    const { parsed: cli, error } = await parse(args);
    expect(cli).toBeUndefined();
    expect(error?.split('\n')).toHaveLength(1);
    expect(error?.startsWith(line)).toBe(true);
  });
});
