import { fakeConfig } from '../charts/testing';
import { reproduceCommand, scenarioParagraph, whatWasMeasured } from './run-description';

describe('scenarioParagraph', () => {
  it('names the scenario and what it teaches', () => {
    expect(scenarioParagraph({ scenario: 'one-slow-follower', delay: 'uniform:0:50;5=uniform:800:1000' })).toMatch(
      /^Scenario `one-slow-follower`: Four fast followers/,
    );
  });

  it("says when --delay replaced the scenario's delay plan", () => {
    expect(scenarioParagraph({ scenario: 'seed', delay: 'uniform:0:20' })).toContain(
      "replaced the scenario's delay plan `uniform:0:1000` with `uniform:0:20`",
    );
    expect(scenarioParagraph({ scenario: 'seed', delay: 'uniform:0:1000' })).not.toContain('replaced');
  });
});

describe('whatWasMeasured', () => {
  const text = (overrides: Parameters<typeof fakeConfig>[0]) => whatWasMeasured(fakeConfig(overrides)).join('\n');

  it('describes a closed loop, or an open loop timed from the intended start', () => {
    expect(text({})).toContain('(10 in flight)');
    expect(text({})).toContain('closed loop');
    const open = text({ rate: 50 });
    expect(open).toContain('at 50 per second on a seeded Poisson schedule');
    expect(open).toContain('from the moment it was due to start');
  });

  it('states one ack mode, or both with what each means', () => {
    expect(text({})).toContain('The ack mode was "received" (acked once stored');
    expect(text({ ackModes: ['received', 'applied'] })).toContain(
      'Both ack modes were measured, one after the other on the same cluster: "received" (acked once stored in the follower\'s log) and "applied"',
    );
  });

  it('states the repeats and the stopped followers', () => {
    expect(text({})).not.toContain('times (run r');
    expect(text({ repeat: 5, seed: 7 })).toContain('The whole sweep ran 5 times (run r with workload seed 7 + r)');
    expect(text({ scenario: 'follower-down', downFollowers: [5] })).toContain(
      'Follower 5 was stopped after the warm-up, before anything was measured, so at most 4 followers could ack.',
    );
  });

  it('states the warm-up, in one part or two', () => {
    expect(text({ warmupWrites: 200, warmupConcurrency: 50, warmupSeconds: 0 })).toContain(
      'Before measuring, 200 warm-up writes at W=1 (50 in flight), which are not counted,',
    );
    expect(text({ warmupWrites: 200, warmupConcurrency: 50, warmupSeconds: 8 })).toContain(
      'Before measuring, 200 warm-up writes at W=1 (50 in flight), then up to 200 more at the measured 10 in flight for at most 8 s, which are not counted,',
    );
    expect(text({ warmupWrites: 0 })).toContain('Connections were not warmed before measuring');
  });
});

describe('reproduceCommand with the flags of issue #6', () => {
  it('gives the scenario, the ack modes and the repeats', () => {
    const command = reproduceCommand(
      fakeConfig({ scenario: 'follower-down', downFollowers: [5], ackModes: ['received', 'applied'], repeat: 3 }),
    );
    for (const flag of ['--scenario follower-down', '--ack-modes received,applied', '--repeat 3'])
      expect(command).toContain(flag);
    expect(command).not.toContain('--ack-mode ');
    expect(command).not.toContain('--rate');
  });

  it('gives --rate for an open-loop run', () => {
    expect(reproduceCommand(fakeConfig({ rate: 25.5 }))).toContain('--rate 25.5');
  });

  it.each([
    { floor: true, says: false },
    { floor: false, says: true },
    { floor: undefined, says: true }, // a config.json older than the flag had no floor
  ])('gives --no-floor only when the run had no floor ($floor)', ({ floor, says }) => {
    expect(reproduceCommand(fakeConfig({ floor })).includes('--no-floor')).toBe(says);
  });
});
