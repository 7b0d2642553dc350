import { commandLineOutcome } from '../common/testing';
import { throughputCommand } from './throughput-cli';

const parse = (args: string[]) => commandLineOutcome(throughputCommand, args);

describe('throughput command line', () => {
  it('defaults to the issue: W=1..5 of 5 followers at zero delay, 50 connections, closed loop, Redis on', async () => {
    const { parsed: config } = await parse([]);
    expect(config).toMatchObject({
      followers: 5,
      quorums: [1, 2, 3, 4, 5],
      connections: 50,
      durationS: 10,
      warmupS: 5,
      ratePerS: null,
      delay: 'constant:0',
      redis: true,
      cpuProf: false,
      leaderEnv: {},
      storage: ['memory'],
    });
    expect(config?.out).toMatch(/^results\/throughput-/);
  });

  it.each([
    { name: '--rate makes it an open loop', args: ['--rate', '800'], expected: { ratePerS: 800 } },
    { name: '--no-redis skips Redis', args: ['--no-redis'], expected: { redis: false } },
    { name: '--cpu-prof asks for profiles', args: ['--cpu-prof'], expected: { cpuProf: true } },
    {
      name: '--storage runs the store once per mode, in order, each once',
      args: ['--storage', 'memory,always,off,always'],
      expected: { storage: ['memory', 'always', 'off'] },
    },
    {
      name: '--leader-env collects KEY=VALUE pairs, a value may hold =',
      args: ['--leader-env', 'A=1', '--leader-env', 'B=x=y'],
      expected: { leaderEnv: { A: '1', B: 'x=y' } },
    },
  ])('$name', async ({ args, expected }) => {
    expect((await parse(args)).parsed).toMatchObject(expected);
  });

  it.each([
    { name: 'a W above the followers', args: ['--followers', '3', '--quorums', '1,4'], error: /--quorums must be/ },
    { name: 'an unknown delay model', args: ['--delay', 'sometimes'], error: /--delay/ },
    { name: 'zero connections', args: ['--connections', '0'], error: /--connections must be an integer/ },
    { name: 'an env pair without =', args: ['--leader-env', 'A'], error: /KEY=VALUE/ },
    { name: 'an unknown storage mode', args: ['--storage', 'memory,sometimes'], error: /memory, always, batch, off/ },
  ])('refuses $name in one line', async ({ args, error }) => {
    const outcome = await parse(args);
    expect(outcome.parsed).toBeUndefined();
    expect(outcome.error).toMatch(error);
  });
});
