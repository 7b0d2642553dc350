import type { ConsistencyRow } from '../sweep/records';
import {
  compareFindings,
  configFinding,
  consistencyFinding,
  coverageFinding,
  errorsFinding,
  geometricMeanRatio,
  metricFinding,
  sampleSizeFinding,
} from './compare-findings';
import { compareSummaries, runNames } from './compare-table';
import { row } from './testing';

const names = runNames('received', 'applied');
const table = (means: Array<[number, number]>) =>
  compareSummaries(
    means.map(([a], i) => row(i + 1, { mean: a })),
    means.map(([, b], i) => row(i + 1, { mean: b })),
  );

function check(
  w: number,
  follower: number,
  lsnBehindAtLastAck: number,
  overrides: Partial<ConsistencyRow> = {},
): ConsistencyRow {
  return {
    w,
    follower,
    ackMode: 'received',
    run: 0,
    differingKeysAtLastAck: 0,
    lsnBehindAtLastAck,
    differingKeysAfterDrain: 0,
    lsnBehindAfterDrain: 0,
    ...overrides,
  };
}

describe('metricFinding', () => {
  /** The mean finding of A and B with these means (ms) at W = 1, 2, ... */
  const meanFinding = (...means: Array<[number, number]>) => metricFinding(table(means), 'mean', names);

  it('says B is slower at every W, from the smallest to the largest gap, with the average ratio', () => {
    const text = meanFinding([100, 110], [200, 230], [300, 400]);
    expect(text).toBe(
      'Mean latency: B (applied) is slower than A (received) at every W, by +10.0 ms (×1.10) at W=1 to +100.0 ms (×1.33) at W=3. ' +
        'Across W, the mean in B is ×1.19 that in A (geometric mean of the ratios).',
    );
  });

  it('says B is faster at every W', () => {
    expect(meanFinding([100, 50], [200, 180])).toContain(
      'B (applied) is faster than A (received) at every W, by −20.0 ms (×0.90) at W=2 to −50.0 ms (×0.50) at W=1.',
    );
  });

  it('calls differences within max(0.5 ms, 2%) about the same', () => {
    const text = meanFinding([100, 101.8], [200, 199.6]);
    expect(text).toContain('about the same at every W');
    expect(text).toContain('largest difference +1.8 ms (×1.02) at W=1');
  });

  it('names the W where B is slower, faster and the same when there is no consistent winner', () => {
    const text = meanFinding([100, 150], [200, 120], [300, 300.2]);
    expect(text).toContain('no consistent winner between A (received) and B (applied)');
    expect(text).toContain(
      'B is slower at W=1 (up to +50.0 ms (×1.50) at W=1), faster at W=2 (up to −80.0 ms (×0.60) at W=2) and about the same at W=3',
    );
  });

  it('speaks of an overhead as higher or lower, and of a single W by its number', () => {
    const rows = compareSummaries([row(5, { overheadP50: 1 })], [row(5, { overheadP50: 4 })]);
    expect(metricFinding(rows, 'overheadP50', names)).toMatch(
      /^Overhead p50 .*: B \(applied\) is higher than A \(received\) at W=5, by \+3\.0 ms \(×4\.00\) at W=5\.$/,
    );
  });

  it('says so when no W has the metric in both runs', () => {
    expect(meanFinding([NaN, 100])).toBe('Mean latency: not comparable (no W has a value in both runs).');
  });
});

describe('runNames', () => {
  it('adds the label to the role, unless the label is the role itself', () => {
    expect(runNames('received', 'applied')).toEqual({ a: 'A (received)', b: 'B (applied)' });
    expect(runNames('A', 'B')).toEqual({ a: 'A', b: 'B' });
  });
});

describe('geometricMeanRatio', () => {
  it('averages ratios so that ×2 and ×0.5 cancel', () => {
    expect(
      geometricMeanRatio(
        table([
          [100, 200],
          [200, 100],
        ]).filter((r) => r.metric === 'mean'),
      ),
    ).toBeCloseTo(1);
    expect(geometricMeanRatio([])).toBeNull();
  });
});

describe('configFinding', () => {
  it('says what the comparison measures when one setting differs', () => {
    expect(configFinding([{ field: 'ackMode', a: 'received', b: 'applied' }], names)).toBe(
      'The runs differ in one setting, ackMode (received in A, applied in B): that is what B (applied) vs A (received) measures.',
    );
  });

  it('warns when several settings differ, and says when none do', () => {
    const text = configFinding(
      [
        { field: 'writes', a: 20, b: 100 },
        { field: 'seed', a: 1, b: 2 },
      ],
      names,
    );
    expect(text).toBe(
      'The runs differ in 2 settings: writes (20 in A, 100 in B) and seed (1 in A, 2 in B). A difference below may come from any of them.',
    );
    expect(configFinding([], names)).toContain('the code, the machine or chance');
  });
});

describe('errorsFinding', () => {
  it('says no write failed, with the totals', () => {
    expect(errorsFinding([row(1), row(2)], [row(1)])).toBe(
      'No write failed or timed out in either run (A: 200 writes, B: 100).',
    );
  });

  it('counts the failures of each run and where they were', () => {
    expect(errorsFinding([row(1)], [row(1, { errors: 2 }), row(2, { errors: 1 })])).toContain(
      'none in A, 3 in B (2 at W=1 and 1 at W=2)',
    );
  });
});

describe('coverageFinding', () => {
  it('names the W measured in one run only', () => {
    expect(coverageFinding([row(1), row(2)], [row(2), row(3)])).toContain('W=1 only in A; W=3 only in B');
    expect(coverageFinding([row(1)], [row(1)])).toBeNull();
  });
});

describe('sampleSizeFinding', () => {
  it('warns that p95 and p99 rest on a few writes in a small run', () => {
    expect(sampleSizeFinding([row(1, { count: 20 })], [row(1, { count: 20 })])).toContain(
      'With as few as 20 successful writes per W, the p95 and p99 both rest on the slowest write',
    );
    expect(sampleSizeFinding([row(1, { count: 150, errors: 50 })], [row(1)])).toContain(
      'the p99 rests on the slowest write and the p95 on the slowest 5 writes',
    );
  });

  it('says nothing for runs with enough writes', () => {
    expect(sampleSizeFinding([row(1, { count: 500 })], [row(1, { count: 200 })])).toBeNull();
  });
});

describe('consistencyFinding', () => {
  it('compares the lag right after the last ack and the convergence after draining', () => {
    const text = consistencyFinding([check(1, 1, 4), check(2, 1, 1)], [check(1, 1, 0), check(2, 1, 0)]);
    expect(text).toBe(
      'Right after the last ack of each W, A had up to 4 entries behind (at W=1) ' +
        'and B had no follower behind. After draining, every follower equalled the leader in both runs.',
    );
  });

  it('calls out a run that did not converge', () => {
    expect(consistencyFinding([check(1, 1, 0)], [check(3, 2, 0, { lsnBehindAfterDrain: 2 })])).toContain(
      'converged in A, NOT converged in B at W=3',
    );
  });

  it('says nothing when a run has no consistency checks', () => {
    expect(consistencyFinding(null, [check(1, 1, 0)])).toBeNull();
  });
});

describe('compareFindings', () => {
  it('starts with the settings, then the latency, errors and caveats, leaving out what does not apply', () => {
    const summaryA = [row(1, { count: 20 })];
    const summaryB = [row(1, { count: 20, mean: 130 })];
    const findings = compareFindings({
      table: compareSummaries(summaryA, summaryB),
      differences: [{ field: 'ackMode', a: 'received', b: 'applied' }],
      names,
      summaryA,
      summaryB,
      consistencyA: null,
      consistencyB: null,
    });
    expect(findings.map((f) => f.split(/[:,]/)[0])).toEqual([
      'The runs differ in one setting',
      'Mean latency',
      'Median latency',
      'p99 latency',
      "Overhead p50 (latency minus each write's ideal)",
      'No write failed or timed out in either run (A',
      'With as few as 20 successful writes per W',
    ]);
  });
});
