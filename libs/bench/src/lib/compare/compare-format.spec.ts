import { compareSummaries, type MetricComparison } from './compare-table';
import {
  comparisonCells,
  comparisonCsv,
  comparisonText,
  fmtDiff,
  fmtRatio,
  fmtValue,
  textTable,
} from './compare-format';
import { row } from './testing';

describe('fmtValue, fmtDiff and fmtRatio', () => {
  // Each case: a value of a metric, and how the table shows it.
  it.each([
    [() => fmtValue(12.345, 'mean'), '12.3'],
    [() => fmtValue(3, 'errors'), '3'],
    [() => fmtValue(null, 'p99'), '—'],
    [() => fmtDiff(23.06, 'mean'), '+23.1'],
    [() => fmtDiff(-4, 'p95'), '−4.0'],
    [() => fmtDiff(-0.01, 'mean'), '0.0'], // rounds to zero: no sign
    [() => fmtDiff(2, 'errors'), '+2'],
    [() => fmtDiff(null, 'mean'), '—'],
    [() => fmtRatio(1.2345), '×1.23'],
    [() => fmtRatio(null), '—'],
  ])('%#', (format, text) => {
    expect(format()).toBe(text);
  });
});

describe('comparisonCells', () => {
  it('gives W, the metric with its unit, A, B, B − A and B / A', () => {
    const mean = compareSummaries([row(5, { mean: 50 })], [row(5, { mean: 75 })])[0] as MetricComparison;
    expect(comparisonCells(mean)).toEqual(['5', 'mean (ms)', '50.0', '75.0', '+25.0', '×1.50']);
    const errors = compareSummaries([row(5, { errors: 0 })], [row(5, { errors: 2 })]).find(
      (r) => r.metric === 'errors',
    ) as MetricComparison;
    expect(comparisonCells(errors)).toEqual(['5', 'errors', '0', '2', '+2', '—']);
  });
});

describe('textTable', () => {
  it('pads every column to its widest cell, text left and numbers right, with a blank line between W', () => {
    const text = textTable(
      ['W', 'metric', 'A'],
      [
        ['1', 'mean', '5.0'],
        ['1', 'p99', '100.0'],
        ['2', 'mean', '7.0'],
      ],
    );
    expect(text.split('\n')).toEqual([
      'W  metric      A',
      '-  ------  -----',
      '1  mean      5.0',
      '1  p99     100.0',
      '',
      '2  mean      7.0',
    ]);
  });
});

describe('comparisonText', () => {
  it('names the runs in the header', () => {
    const text = comparisonText(compareSummaries([row(1)], [row(1)]), 'received', 'applied');
    expect(text.split('\n')[0]).toMatch(/^W\s+metric\s+A: received\s+B: applied\s+B − A\s+B \/ A$/);
  });
});

describe('comparisonCsv', () => {
  it('writes one line per W and metric, a missing value as an empty field', () => {
    const csv = comparisonCsv(compareSummaries([row(1, { mean: 100 }), row(2)], [row(1, { mean: 150.12345 })]));
    const lines = csv.split('\n');
    expect(lines[0]).toBe('w,metric,a,b,diff,ratio');
    expect(lines[1]).toBe('1,mean,100,150.123,50.123,1.501');
    expect(lines).toContain('2,mean,200,,,');
    expect(lines).toHaveLength(1 + 2 * 7 + 1);
  });
});
