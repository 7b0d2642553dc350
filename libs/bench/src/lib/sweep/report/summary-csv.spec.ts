import { SUMMARY_COLUMNS } from '../records';
import { fakeIntervals, fakeSummaryRow } from '../charts/testing';
import { csvNumber, intervalCsv, INTERVAL_COLUMNS, summaryCsv } from './summary-csv';

describe('summaryCsv', () => {
  it('writes the header in SUMMARY_COLUMNS order and one line per row', () => {
    const csv = summaryCsv([fakeSummaryRow(1), fakeSummaryRow(2)]);
    const lines = csv.split('\n');
    expect(lines[0]).toBe(SUMMARY_COLUMNS.join(','));
    expect(lines[0]).toBe(
      'w,count,errors,mean,median,p95,p99,min,max,modelMean,modelP50,modelP95,modelP99,overheadP50,overheadP99,ackMode,runs',
    );
    expect(lines).toHaveLength(4); // header, two rows, and the empty string after the final newline
    expect(lines[3]).toBe('');
  });

  it('puts every value under its column', () => {
    const row = fakeSummaryRow(3, {
      count: 100,
      errors: 2,
      mean: 501.25,
      p99: 894.4,
      overheadP50: 1.5,
      overheadP99: 4.75,
    });
    const [header, line] = summaryCsv([row]).split('\n');
    const parsed = Object.fromEntries(
      (header as string).split(',').map((column, i) => [column, (line as string).split(',')[i]]),
    );
    expect(parsed).toMatchObject({
      w: '3',
      count: '100',
      errors: '2',
      mean: '501.25',
      p99: '894.4',
      modelMean: '500',
      overheadP50: '1.5',
      overheadP99: '4.75',
      ackMode: 'received',
      runs: '1',
    });
  });

  it('writes the ack mode as a word and leaves a W where every write failed empty', () => {
    const [, line] = summaryCsv([
      fakeSummaryRow(5, { ackMode: 'applied', runs: 3, errors: 100, mean: NaN, modelMean: NaN }),
    ]).split('\n');
    const fields = (line as string).split(',');
    expect(fields[SUMMARY_COLUMNS.indexOf('ackMode')]).toBe('applied');
    expect(fields[SUMMARY_COLUMNS.indexOf('runs')]).toBe('3');
    expect(fields[SUMMARY_COLUMNS.indexOf('mean')]).toBe('');
    expect(fields[SUMMARY_COLUMNS.indexOf('modelMean')]).toBe('');
  });

  it('writes no header-only surprises for an empty sweep', () => {
    expect(summaryCsv([])).toBe(SUMMARY_COLUMNS.join(',') + '\n');
  });
});

describe('intervalCsv', () => {
  it('writes ackMode,w,metric,runs,mean,ciLow,ciHigh, one line per row', () => {
    const rows = fakeIntervals(fakeSummaryRow(2, { mean: 333.3333, p99: 800 }), 5, 12.5).filter(
      (r) => r.metric === 'mean' || r.metric === 'p99',
    );
    expect(intervalCsv(rows).split('\n')).toEqual([
      'ackMode,w,metric,runs,mean,ciLow,ciHigh',
      'received,2,mean,5,333.333,320.833,345.833',
      'received,2,p99,5,800,787.5,812.5',
      '',
    ]);
    expect(INTERVAL_COLUMNS).toEqual(['ackMode', 'w', 'metric', 'runs', 'mean', 'ciLow', 'ciHigh']);
  });

  it('leaves an interval that could not be computed (no run had a successful write) empty', () => {
    const [, line] = intervalCsv([
      { ackMode: 'applied', w: 5, metric: 'mean', runs: 0, mean: NaN, ciLow: NaN, ciHigh: NaN },
    ]).split('\n');
    expect(line).toBe('applied,5,mean,0,,,');
  });

  it('writes only the header for no rows', () => {
    expect(intervalCsv([])).toBe('ackMode,w,metric,runs,mean,ciLow,ciHigh\n');
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
