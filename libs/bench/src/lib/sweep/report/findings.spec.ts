import { expectContainsAll } from '../../common/testing';
import { fakeConfig, fakeConsistencyRow, fakeDownRow, fakeSummaryRow, fakeWrite } from '../charts/testing';
import {
  convergenceFinding,
  downFollowersFinding,
  errorFinding,
  fidelityFinding,
  lagFinding,
  latencyTrendFinding,
  modelFinding,
  overheadFinding,
} from './findings';

const config = { followers: 3, ackMode: 'received' as const };

describe('latencyTrendFinding', () => {
  it('reports the mean and p99 at the lowest and highest W when latency grows', () => {
    const text = latencyTrendFinding([
      fakeSummaryRow(3, { mean: 750.04, p99: 990 }),
      fakeSummaryRow(1, { mean: 251.26, p99: 790 }),
      fakeSummaryRow(2, { mean: 500, p99: 900 }),
    ]);
    expectContainsAll(text, [
      'Latency grows with W',
      'mean from 251.3 ms at W=1 to 750.0 ms at W=3',
      'p99 from 790.0 ms to 990.0 ms',
    ]);
  });

  it('does not claim growth when the means do not rise steadily', () => {
    const text = latencyTrendFinding([
      fakeSummaryRow(1, { mean: 300 }),
      fakeSummaryRow(2, { mean: 200 }),
      fakeSummaryRow(3, { mean: 400 }),
    ]);
    expect(text).toContain('does not grow steadily');
    expect(text).toContain('300.0 ms at W=1, 200.0 ms at W=2 and 400.0 ms at W=3');
  });

  it('handles a sweep where no write succeeded', () => {
    expect(latencyTrendFinding([fakeSummaryRow(1, { mean: NaN })])).toContain('No write succeeded');
  });
});

describe('modelFinding', () => {
  it('lists the prediction and the largest distance of the measured mean from it', () => {
    const text = modelFinding(
      [
        fakeSummaryRow(1, { mean: 170, modelMean: 166.67, p99: 610, modelP99: 601.9 }),
        fakeSummaryRow(2, { mean: 320, modelMean: 333.33, p99: 790, modelP99: 777.9 }),
      ],
      100,
    );
    expectContainsAll(text, [
      'predicts a mean of 166.7 ms at W=1 and 333.3 ms at W=2',
      'p99 of 601.9 and 777.9 ms',
      'within 13.3 ms of the model at every W',
      'largest gap at W=2: 320.0 ms measured vs 333.3 ms predicted',
      "within 12.1 ms of the model's p99",
      '100 writes per W',
    ]);
  });

  it('leaves the predicted values out when asked (a second ack mode has the same model)', () => {
    const text = modelFinding([fakeSummaryRow(1, { mean: 170, modelMean: 166.67 })], 100, { prediction: false });
    expect(text).not.toContain('predicts');
    expect(text).toContain('within 3.3 ms of the model at every W');
  });

  it('says so when there is no model', () => {
    expect(modelFinding([fakeSummaryRow(1, { modelMean: NaN })], 100)).toContain('No model prediction');
  });
});

describe('overheadFinding', () => {
  it('gives the p50 and p99 ranges across W', () => {
    const text = overheadFinding([
      fakeSummaryRow(1, { overheadP50: 1.23, overheadP99: 3.3 }),
      fakeSummaryRow(2, { overheadP50: 1.81, overheadP99: 6.04 }),
    ]);
    expect(text).toContain('p50 from 1.2 to 1.8 ms, p99 from 3.3 to 6.0 ms');
  });
});

describe('fidelityFinding', () => {
  it.each([
    {
      name: 'says met when every W is within 2 ms at p50 and 5 ms at p99',
      rows: [
        fakeSummaryRow(1, { overheadP50: 2, overheadP99: 5 }),
        fakeSummaryRow(2, { overheadP50: 0.9, overheadP99: 1.9 }),
      ],
      says: ['met at every measured W (W=1, W=2)'],
      never: ['missed'],
    },
    {
      name: 'says missed, at which W and by what, and where it was met',
      rows: [
        fakeSummaryRow(1, { overheadP50: 1, overheadP99: 4 }),
        fakeSummaryRow(2, { overheadP50: 2.44, overheadP99: 4 }),
        fakeSummaryRow(3, { overheadP50: 1, overheadP99: 7.06 }),
      ],
      says: ['missed at W=2 (p50 2.4 ms > 2 ms) and W=3 (p99 7.1 ms > 5 ms); met at W=1'],
      never: [],
    },
    {
      name: 'does not call a W without overhead data met',
      rows: [fakeSummaryRow(1, { overheadP50: NaN, overheadP99: NaN })],
      says: ['Not measurable at W=1'],
      never: ['met at'],
    },
    {
      name: 'says why a W is not measurable when every write there failed (follower-down)',
      rows: [fakeSummaryRow(4), fakeSummaryRow(5, { errors: 100, overheadP50: NaN, overheadP99: NaN })],
      says: ['met at every measured W (W=4)', 'Not measurable at W=5 (every write failed)'],
      never: [],
    },
  ])('$name', ({ rows, says, never }) => {
    const text = fidelityFinding(rows);
    expectContainsAll(text, says);
    for (const part of never) expect(text).not.toContain(part);
  });
});

describe('errorFinding', () => {
  it('counts failures per W', () => {
    expect(errorFinding([fakeSummaryRow(1), fakeSummaryRow(2, { errors: 3 })])).toContain(
      '3 of 200 writes failed or timed out (3 at W=2)',
    );
    expect(errorFinding([fakeSummaryRow(1)])).toBe('Every one of the 100 measured writes succeeded.');
  });

  it('names the ack mode of each failure when there are two', () => {
    const text = errorFinding([fakeSummaryRow(1, { errors: 2 }), fakeSummaryRow(1, { ackMode: 'applied', errors: 5 })]);
    expect(text).toContain('7 of 200 writes failed or timed out (2 at W=1 (received) and 5 at W=1 (applied))');
  });
});

describe('lagFinding', () => {
  const rows = [
    fakeConsistencyRow(1, 1, { lsnBehindAtLastAck: 9, differingKeysAtLastAck: 6 }),
    fakeConsistencyRow(1, 2, { lsnBehindAtLastAck: 4, differingKeysAtLastAck: 3 }),
    fakeConsistencyRow(2, 1, { lsnBehindAtLastAck: 2, differingKeysAtLastAck: 1 }),
    fakeConsistencyRow(3, 1, { lsnBehindAtLastAck: 1, differingKeysAtLastAck: 1 }),
  ];

  it('reports the largest lag at the lowest and highest W, and that it shrinks', () => {
    const text = lagFinding(rows, config);
    expectContainsAll(text, [
      'up to 9 entries behind and 6 keys differing at W=1',
      'up to 1 entry behind and 1 key differing at W=3',
      'The lag shrinks as W grows',
    ]);
  });

  it('explains a lag left at W=N in ack mode "received"', () => {
    expect(lagFinding(rows, config)).toContain('"stored in its log", not "applied"');
    expect(lagFinding(rows, { ...config, ackMode: 'applied' })).not.toContain('stored in its log');
  });

  it('says "all equal" rather than "up to 0 entries"', () => {
    const text = lagFinding(
      [fakeConsistencyRow(1, 1, { lsnBehindAtLastAck: 3, differingKeysAtLastAck: 2 }), fakeConsistencyRow(2, 1)],
      { followers: 2, ackMode: 'received' },
    );
    expect(text).toContain('and all equal to the leader at W=2');
    expect(text).not.toContain('up to 0');
  });

  it('leaves out a follower stopped on purpose, whose numbers are NaN', () => {
    const text = lagFinding([...rows, fakeDownRow(1, 3), fakeDownRow(3, 3)], config);
    expect(text).toContain('up to 9 entries behind and 6 keys differing at W=1');
    expect(text).not.toContain('NaN');
  });

  it('says plainly when no follower lagged at any W', () => {
    expect(lagFinding([fakeConsistencyRow(1, 1), fakeConsistencyRow(2, 1), fakeDownRow(2, 2)], config)).toContain(
      'every follower already equalled the leader at every W',
    );
  });

  it('takes the largest lag over the runs', () => {
    const runs = [
      fakeConsistencyRow(1, 1, { run: 0, lsnBehindAtLastAck: 1, differingKeysAtLastAck: 1 }),
      fakeConsistencyRow(1, 1, { run: 1, lsnBehindAtLastAck: 4, differingKeysAtLastAck: 2 }),
    ];
    expect(lagFinding([...runs, fakeConsistencyRow(2, 1)], config)).toContain(
      'up to 4 entries behind and 2 keys differing at W=1',
    );
  });

  it('does not claim the lag shrinks when it does not', () => {
    const text = lagFinding(
      [fakeConsistencyRow(1, 1, { lsnBehindAtLastAck: 1 }), fakeConsistencyRow(2, 1, { lsnBehindAtLastAck: 5 })],
      config,
    );
    expect(text).toContain('does not shrink steadily');
  });
});

describe('convergenceFinding', () => {
  it('says every follower equals the leader when draining left nothing behind', () => {
    expect(convergenceFinding([fakeConsistencyRow(1, 1), fakeConsistencyRow(2, 1)])).toBe(
      'After draining, every follower equals the leader at every W, as it must.',
    );
  });

  it('says NOT converged, names the follower and W, and calls it a bug', () => {
    const text = convergenceFinding([
      fakeConsistencyRow(1, 1),
      fakeConsistencyRow(2, 3, { lsnBehindAfterDrain: 2, differingKeysAfterDrain: 1 }),
    ]);
    expectContainsAll(text, ['NOT converged', 'follower 3 at W=2: 2 entries behind, 1 key differing', 'This is a bug']);
  });

  it('treats a follower that could not be checked as not converged', () => {
    expect(convergenceFinding([fakeConsistencyRow(1, 1, { lsnBehindAfterDrain: NaN })])).toContain(
      'follower 1 at W=1: could not be checked',
    );
  });
});

describe('convergenceFinding with stopped followers, ack modes and runs', () => {
  it('does not count a stopped follower as unconverged, and says it was not compared', () => {
    const text = convergenceFinding([fakeConsistencyRow(1, 1), fakeDownRow(1, 5)]);
    expect(text).toBe(
      'After draining, every live follower equals the leader at every W, as it must. Follower 5 was stopped on purpose and not compared.',
    );
  });

  it('names the ack mode and run of a follower that did not converge', () => {
    const rows = [
      fakeConsistencyRow(1, 1),
      fakeConsistencyRow(1, 2, { ackMode: 'applied', run: 1, lsnBehindAfterDrain: 1, differingKeysAfterDrain: 1 }),
    ];
    expect(convergenceFinding(rows)).toContain('follower 2 at W=1 (applied) in run 2: 1 entry behind, 1 key differing');
  });
});

describe('downFollowersFinding', () => {
  const config = fakeConfig({ scenario: 'follower-down', downFollowers: [5] });
  const summary = [fakeSummaryRow(4, { count: 20 }), fakeSummaryRow(5, { count: 20, errors: 20, mean: NaN })];

  it('says nothing when every follower ran', () => {
    expect(downFollowersFinding(summary, fakeConfig())).toBeUndefined();
  });

  it('explains that W beyond the live followers fails at once with quorum_unreachable, counted in errors', () => {
    const text = downFollowersFinding(summary, config) as string;
    expectContainsAll(text, [
      'Follower 5 was stopped on purpose (scenario follower-down), leaving 4 followers able to ack',
      'W=5 asks for more acks than that, so it can never be met: all 20 writes there failed.',
      '503 quorum_unreachable',
      'indefinite',
      'These writes count as errors',
      'W=4 ran as usual',
    ]);
  });

  it('reads the error codes and how fast they came from the writes', () => {
    const failed = [30, 50, 70].map((latencyMs, seq) =>
      fakeWrite(5, seq, latencyMs, { outcome: 'info', httpStatus: 503, error: 'quorum_unreachable', overheadMs: null }),
    );
    const text = downFollowersFinding(summary, config, [fakeWrite(4, 0, 10), ...failed]) as string;
    expect(text).toContain(
      '(3 quorum_unreachable), answered after a median of 50.0 ms, long before the 2000 ms replication timeout',
    );
  });

  it('calls a write that met an impossible quorum a bug', () => {
    const text = downFollowersFinding([fakeSummaryRow(5, { count: 20, errors: 19 })], config) as string;
    expect(text).toContain('only 19 of 20 writes there failed');
    expect(text).toContain('bug');
  });
});
