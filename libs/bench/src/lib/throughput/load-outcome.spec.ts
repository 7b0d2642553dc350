import { LoadTally } from './load-outcome';

describe('LoadTally', () => {
  it('counts answered writes with their latency, and errors by code apart from them', () => {
    const tally = new LoadTally();
    tally.ok(2);
    tally.ok(4);
    tally.failed('http_503');
    tally.failed('http_503');
    tally.failed('no_answer');
    const outcome = tally.outcome(1.5);
    expect(outcome).toMatchObject({
      writesOk: 2,
      errors: 3,
      errorsByCode: { http_503: 2, no_answer: 1 },
      elapsedS: 1.5,
    });
    expect(outcome.latency.count).toBe(2);
    expect(outcome.latency.meanMs).toBeCloseTo(3, 9);
  });

  it('puts error codes beyond 32 distinct ones under `other`, so its memory stays bounded', () => {
    const tally = new LoadTally();
    for (let i = 0; i < 40; i++) tally.failed(`code${i}`);
    const { errorsByCode, errors } = tally.outcome(1);
    expect(Object.keys(errorsByCode)).toHaveLength(33);
    expect(errorsByCode['other']).toBe(8);
    expect(errors).toBe(40);
  });
});
