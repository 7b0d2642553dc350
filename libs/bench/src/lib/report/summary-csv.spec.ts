import { SUMMARY_COLUMNS } from '../records';
import { fakeSummaryRow } from '../charts/testing';
import { csvNumber, summaryCsv } from './summary-csv';

describe('summaryCsv', () => {
  it('writes the header in SUMMARY_COLUMNS order and one line per row', () => {
    const csv = summaryCsv([fakeSummaryRow(1), fakeSummaryRow(2)]);
    const lines = csv.split('\n');
    expect(lines[0]).toBe(SUMMARY_COLUMNS.join(','));
    expect(lines[0]).toBe('w,count,errors,mean,median,p95,p99,min,max,modelMean,modelP50,modelP95,modelP99,overheadP50,overheadP99');
    expect(lines).toHaveLength(4); // header, two rows, and the empty string after the final newline
    expect(lines[3]).toBe('');
  });

  it('puts every value under its column', () => {
    const row = fakeSummaryRow(3, { count: 100, errors: 2, mean: 501.25, p99: 894.4, overheadP50: 1.5, overheadP99: 4.75 });
    const [header, line] = summaryCsv([row]).split('\n');
    const parsed = Object.fromEntries((header as string).split(',').map((column, i) => [column, (line as string).split(',')[i]]));
    expect(parsed).toMatchObject({ w: '3', count: '100', errors: '2', mean: '501.25', p99: '894.4', modelMean: '500', overheadP50: '1.5', overheadP99: '4.75' });
  });

  it('writes no header-only surprises for an empty sweep', () => {
    expect(summaryCsv([])).toBe(SUMMARY_COLUMNS.join(',') + '\n');
  });
});

describe('csvNumber', () => {
  // Each case: a value and its CSV field.
  it.each([
    [5, '5'], // integers as they are
    [166.66666666666666, '166.667'], // times rounded to the microsecond
    [1.2, '1.2'], // no trailing zeros
    [-0.0001, '0'], // a rounded negative zero is 0
    [NaN, ''], // missing (no successful write, no model)
    [Infinity, ''],
  ])('%p -> %p', (value, field) => {
    expect(csvNumber(value)).toBe(field);
  });
});
