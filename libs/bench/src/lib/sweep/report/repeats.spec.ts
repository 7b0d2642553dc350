import { expectContainsAll } from '../../common/testing';
import { fakeIntervals, fakeSummaryRow } from '../charts/testing';
import type { IntervalRow } from '../records';
import { fewRepeatsWarning, intervalTable, intervalWidthFinding, repeatsLines } from './repeats';

const summary = [1, 2, 3].map((w) => fakeSummaryRow(w, { runs: 4, mean: 100 * w, p99: 300 * w }));

function interval(w: number, mean: number, half: number, overrides: Partial<IntervalRow> = {}): IntervalRow {
  return {
    ackMode: 'received',
    w,
    metric: 'mean',
    runs: 4,
    mean,
    ciLow: mean - half,
    ciHigh: mean + half,
    ...overrides,
  };
}

describe('intervalTable', () => {
  it('shows the mean and p99 with their intervals per W', () => {
    const table = intervalTable(summary.flatMap((r) => fakeIntervals(r, 4, 12.5)));
    expect(table).toContain('| W | runs | mean [95% interval] | p99 [95% interval] |');
    expect(table).toContain('| 2 | 4 | 200.0 [187.5, 212.5] | 600.0 [587.5, 612.5] |');
  });

  it('adds an ack-mode column when there are two', () => {
    const row = fakeSummaryRow(1);
    const table = intervalTable([...fakeIntervals(row, 4), ...fakeIntervals(row, 4, 10, 'applied')]);
    expect(table).toContain('| ack mode | W | runs |');
    expect(table.indexOf('| received |')).toBeLessThan(table.indexOf('| applied |'));
  });

  it('shows a W without an interval (every write failed) as a dash', () => {
    expect(intervalTable([interval(5, NaN, NaN, { runs: 0 })])).toContain('| 5 | 0 | — | — |');
  });
});

describe('intervalWidthFinding', () => {
  it('names the widest and narrowest interval of the mean, and which steps in W it resolves', () => {
    const text = intervalWidthFinding([interval(1, 100, 10), interval(2, 200, 60), interval(3, 230, 5)]);
    expectContainsAll(text, [
      'widest at W=2: 140.0 to 260.0 ms around 200.0 ms (120.0 ms wide, ±30% of the mean)',
      'narrowest at W=3: 10.0 ms wide',
      'overlap at 1 of 2 steps',
      'the mean clearly changes only at W=1→2',
      'With 4 runs the interval is mean ± t·s/√4 with Student',
    ]);
  });

  it('says when every step stands out, or none does', () => {
    expect(intervalWidthFinding([interval(1, 100, 10), interval(2, 200, 10)])).toContain(
      'neighbouring intervals never overlap',
    );
    expect(intervalWidthFinding([interval(1, 100, 80), interval(2, 200, 80)])).toContain('overlap at every step');
  });

  it('compares steps within one ack mode only', () => {
    const text = intervalWidthFinding([
      interval(1, 100, 10),
      interval(1, 100, 10, { ackMode: 'applied' }),
      interval(2, 200, 10, { ackMode: 'applied' }),
    ]);
    expect(text).toContain('never overlap');
  });
});

describe('repeatsLines', () => {
  it('is empty for a single run', () => {
    expect(
      repeatsLines(
        summary.flatMap((r) => fakeIntervals(r, 1)),
        summary,
      ),
    ).toEqual([]);
  });

  it('says how the intervals were made and how they differ from the pooled table', () => {
    const text = repeatsLines(
      summary.flatMap((r) => fakeIntervals(r, 4)),
      summary,
    ).join('\n');
    expectContainsAll(text, [
      'for each of the 4 runs separately, then averaged',
      'Student-t interval',
      'pools every run',
    ]);
  });
});

describe('fewRepeatsWarning', () => {
  it.each([
    { why: 'a single run has no interval to warn about', runs: 1, warns: false },
    { why: 'two runs: t for one degree of freedom is 12.7', runs: 2, warns: true, says: '12.7' },
    { why: 'three runs are the minimum the report accepts without a warning', runs: 3, warns: false },
    { why: 'more runs, no warning', runs: 10, warns: false },
  ])('$why', ({ runs, warns, says }) => {
    const warning = fewRepeatsWarning(runs);
    expect(warning !== undefined).toBe(warns);
    if (says !== undefined) {
      expect(warning).toContain(says);
      expect(warning).toContain('--repeat 3');
    }
  });

  it('opens the Repeats section with two runs, and not with four', () => {
    expect(
      repeatsLines(
        summary.flatMap((r) => fakeIntervals(r, 2)),
        summary,
      )[0],
    ).toMatch(/^\*\*Caution\.\*\* Only 2 runs/);
    expect(
      repeatsLines(
        summary.flatMap((r) => fakeIntervals(r, 4)),
        summary,
      ).join('\n'),
    ).not.toContain('Caution');
  });
});
