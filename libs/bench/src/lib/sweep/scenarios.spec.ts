import { parseDelayPlan } from '@quorum-kv/replication-protocol';
import { SCENARIOS, scenarioNamed, UnknownScenarioError } from './scenarios';

describe('scenarios', () => {
  it('has the five documented scenarios, each with a valid delay plan for 5 followers', () => {
    expect(SCENARIOS.map((s) => s.name)).toEqual([
      'seed',
      'exponential',
      'heavy-tail',
      'one-slow-follower',
      'follower-down',
    ]);
    for (const s of SCENARIOS) {
      expect(() => parseDelayPlan(s.delay, 5)).not.toThrow();
      expect(s.teaches.length).toBeGreaterThan(40);
    }
  });

  it('one-slow-follower makes follower 5 alone slow', () => {
    const plan = parseDelayPlan(scenarioNamed('one-slow-follower').delay, 5);
    expect(plan.slice(0, 4)).toEqual(Array(4).fill({ kind: 'uniform', minMs: 0, maxMs: 50 }));
    expect(plan[4]).toEqual({ kind: 'uniform', minMs: 800, maxMs: 1000 });
  });

  it('names the choices when asked for an unknown one', () => {
    expect(() => scenarioNamed('fast')).toThrow(UnknownScenarioError);
    expect(() => scenarioNamed('fast')).toThrow(/seed, exponential, heavy-tail, one-slow-follower, follower-down/);
  });
});
