import { expectContainsAll } from '../../common/testing';
import { fakeIntervals, fakeSummaryRow } from '../charts/testing';
import {
  ackModeComparisonFinding,
  ackModeComparisonLines,
  ackModeDifferences,
  headOfLineText,
} from './ack-mode-comparison';

const receivedW1 = fakeSummaryRow(1, { ackMode: 'received', mean: 100, p99: 200 });
const appliedW1 = fakeSummaryRow(1, { ackMode: 'applied', mean: 150, p99: 500 });
const received = [receivedW1, fakeSummaryRow(2, { ackMode: 'received', mean: 200, p99: 400 })];
const applied = [appliedW1, fakeSummaryRow(2, { ackMode: 'applied', mean: 300, p99: 1000 })];

describe('ackModeDifferences', () => {
  it('gives applied minus received and applied over received, per W, for the mean and p99', () => {
    expect(ackModeDifferences([...received, ...applied])).toEqual([
      {
        w: 1,
        receivedMean: 100,
        appliedMean: 150,
        meanDiffMs: 50,
        meanRatio: 1.5,
        receivedP99: 200,
        appliedP99: 500,
        p99DiffMs: 300,
        p99Ratio: 2.5,
      },
      {
        w: 2,
        receivedMean: 200,
        appliedMean: 300,
        meanDiffMs: 100,
        meanRatio: 1.5,
        receivedP99: 400,
        appliedP99: 1000,
        p99DiffMs: 600,
        p99Ratio: 2.5,
      },
    ]);
  });

  it('gives nothing with one ack mode, and skips a W measured in one mode only', () => {
    expect(ackModeDifferences(received)).toEqual([]);
    expect(ackModeDifferences([...received, appliedW1]).map((d) => d.w)).toEqual([1]);
  });

  // Each case: the two modes' intervals of the mean -> the verdict.
  it.each([
    [10, 10, 'applied slower'], // 100±10 vs 150±10: apart
    [30, 30, 'overlap'], // 100±30 vs 150±30: 130 > 120
  ])('mean intervals ±%p and ±%p -> %p', (receivedHalf, appliedHalf, verdict) => {
    const intervals = [...fakeIntervals(receivedW1, 3, receivedHalf), ...fakeIntervals(appliedW1, 3, appliedHalf)];
    expect(ackModeDifferences([...received, ...applied], intervals)[0]?.meanVerdict).toBe(verdict);
  });
});

describe('ackModeComparisonFinding', () => {
  it('says applied was slower at every W, by how much and by what ratio', () => {
    const text = ackModeComparisonFinding(ackModeDifferences([...received, ...applied]));
    expect(text).toContain(
      'slower than acking once received at every W: the mean by 50.0 to 100.0 ms (×1.50), the p99 by +300.0 to +600.0 ms',
    );
    expect(text).toContain('With a single run there is no interval');
  });

  it('does not claim a difference the data does not show', () => {
    const mixed = [
      ...received,
      fakeSummaryRow(1, { ackMode: 'applied', mean: 90 }),
      fakeSummaryRow(2, { ackMode: 'applied', mean: 260 }),
    ];
    expect(ackModeComparisonFinding(ackModeDifferences(mixed))).toContain('had the higher mean at W=2 and not at W=1');
    const faster = [...received, ...received.map((r) => ({ ...r, ackMode: 'applied' as const, mean: r.mean - 5 }))];
    expect(ackModeComparisonFinding(ackModeDifferences(faster))).toContain(
      'not slower than acking once received at any W',
    );
  });

  it('with repeats, says whether the difference stands out from run-to-run noise', () => {
    const rows = [...received, ...applied];
    const apart = rows.flatMap((r) => fakeIntervals(r, 5, 5));
    expect(ackModeComparisonFinding(ackModeDifferences(rows, apart))).toContain('do not overlap at any W');
    const wide = rows.flatMap((r) => fakeIntervals(r, 5, 200));
    expect(ackModeComparisonFinding(ackModeDifferences(rows, wide))).toContain(
      'overlap at every W, so these differences are within run-to-run noise',
    );
  });
});

describe('ackModeComparisonLines', () => {
  it('explains head-of-line blocking, then a table per W in ms and as a ratio', () => {
    const lines = ackModeComparisonLines([...received, ...applied], [], { concurrency: 10, rate: null });
    const text = lines.join('\n');
    expectContainsAll(text, [
      'head-of-line blocking',
      '10 writes in flight here',
      '| W | mean received | mean applied | difference | ratio | p99 received | p99 applied | difference | ratio |',
      '| 1 | 100.0 | 150.0 | +50.0 | ×1.50 | 200.0 | 500.0 | +300.0 | ×2.50 |',
    ]);
  });

  it('is empty with one ack mode', () => {
    expect(ackModeComparisonLines(received, [], { concurrency: 10, rate: null })).toEqual([]);
  });

  it('speaks of the arrival rate in an open-loop run', () => {
    expect(headOfLineText({ concurrency: 10, rate: 50 })).toContain('writes arriving at 50 per second here');
  });
});
