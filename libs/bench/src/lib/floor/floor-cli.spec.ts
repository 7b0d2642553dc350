import { commandLineOutcome } from '../common/testing';
import { floorCommand } from './floor-cli';

const parse = (args: string[]) => commandLineOutcome(floorCommand, args);

describe('floor command line', () => {
  it("defaults to the sweep's workload: 5 followers, W=1..5, 100 writes, 10 in flight, uniform 0-1000 ms", async () => {
    expect((await parse([])).parsed).toEqual({
      followers: 5,
      quorums: [1, 2, 3, 4, 5],
      writes: 100,
      concurrency: 10,
      keys: 10,
      delay: 'uniform:0:1000',
      seed: 1,
      warmupWrites: 5000,
      warmupConcurrency: 100,
      warmupSeconds: 8,
    });
  });
  it.each([
    { name: 'a W above the followers', args: ['--followers', '2', '--quorums', '3'], error: /--quorums must be/ },
    { name: 'an unknown delay model', args: ['--delay', 'often'], error: /--delay/ },
    { name: 'zero writes', args: ['--writes', '0'], error: /--writes must be an integer/ },
  ])('refuses $name in one line', async ({ args, error }) => {
    const outcome = await parse(args);
    expect(outcome.parsed).toBeUndefined();
    expect(outcome.error).toMatch(error);
  });
});
