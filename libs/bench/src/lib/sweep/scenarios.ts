/**
 * Named scenarios of the study: a delay plan and the faults to inject, each with what it
 * teaches. `--scenario NAME` picks one; an explicit `--delay` still wins over its plan.
 */
export interface Scenario {
  name: string;
  /** The injected delay plan (see the protocol's delay models). */
  delay: string;
  /** Followers (1-based) stopped after the warm-up, before anything is measured. */
  downFollowers: number[];
  /** What the scenario shows, in a sentence or two (README and report). */
  teaches: string;
}

export const SCENARIOS: readonly Scenario[] = [
  {
    name: 'seed',
    delay: 'uniform:0:1000',
    downFollowers: [],
    teaches:
      'The reference study: every follower uniform 0-1000 ms. Latency at W is the W-th order ' +
      'statistic of N delays: the mean climbs 1000·W/(N+1) ms, and W=N waits for the slowest of five.',
  },
  {
    name: 'exponential',
    delay: 'exponential:200',
    downFollowers: [],
    teaches:
      'Exponential delays (mean 200 ms): small quorums are fast (the minimum of N exponentials ' +
      'has mean 200/N), the last acks come from a long tail, so W=N costs far more than W=N-1.',
  },
  {
    name: 'heavy-tail',
    delay: 'lognormal:100:1',
    downFollowers: [],
    teaches:
      'A heavy tail (lognormal, median 100 ms, sigma 1): the median write is quick at every W, ' +
      'but p99 at W=N is set by the rare very slow RPC; quorums below N hide most of the tail.',
  },
  {
    name: 'one-slow-follower',
    delay: 'uniform:0:50;5=uniform:800:1000',
    downFollowers: [],
    teaches:
      'Four fast followers (0-50 ms) and one slow one (800-1000 ms): ' +
      'W<=4 never waits for the straggler (means near 10, 20, 30, 40 ms); W=5 always does (about 900 ms). ' +
      'Semi-sync with W<N tolerates one slow replica for free.',
  },
  {
    name: 'follower-down',
    delay: 'uniform:0:1000',
    downFollowers: [5],
    teaches:
      'One follower stopped: W=5 can never be met and fails fast with the indefinite quorum_unreachable error ' +
      '(the write stays on the leader); W<=4 carry on, at the order statistics of the four live followers.',
  },
];

export class UnknownScenarioError extends Error {
  override name = 'UnknownScenarioError';
}

export function scenarioNamed(name: string): Scenario {
  const scenario = SCENARIOS.find((s) => s.name === name);
  if (!scenario)
    throw new UnknownScenarioError(`unknown scenario "${name}": use one of ${SCENARIOS.map((s) => s.name).join(', ')}`);
  return scenario;
}
