/**
 * `summary.csv` (one row per ack mode and W, columns in SUMMARY_COLUMNS order) and
 * `summary-ci.csv` (one row per ack mode, W and metric, columns in INTERVAL_COLUMNS order).
 * Times are ms rounded to the microsecond (3 decimals; the clock resolves no finer); a value
 * that is not a finite number (no successful write, no model) is an empty field, which
 * spreadsheets and pandas read as missing. Text fields (the ack mode, the metric) are plain
 * words that need no quoting.
 */
import { SUMMARY_COLUMNS, type IntervalRow, type SummaryRow } from '../records';

export const CSV_DECIMALS = 3;

/** Columns of `summary-ci.csv`. */
export const INTERVAL_COLUMNS: ReadonlyArray<keyof IntervalRow> = [
  'ackMode',
  'w',
  'metric',
  'runs',
  'mean',
  'ciLow',
  'ciHigh',
];

export function csvNumber(value: number): string {
  if (!Number.isFinite(value)) return '';
  if (Number.isInteger(value)) return String(value);
  // Number() drops trailing zeros; `+ 0` turns a rounded -0 into 0.
  return String(Number(value.toFixed(CSV_DECIMALS)) + 0);
}

function csvField(value: number | string): string {
  return typeof value === 'number' ? csvNumber(value) : value;
}

function csv<Row>(columns: ReadonlyArray<keyof Row>, rows: readonly Row[]): string {
  const lines = [
    columns.join(','),
    ...rows.map((row) => columns.map((column) => csvField(row[column] as number | string)).join(',')),
  ];
  return lines.join('\n') + '\n';
}

export function summaryCsv(rows: readonly SummaryRow[]): string {
  return csv(SUMMARY_COLUMNS, rows);
}

export function intervalCsv(rows: readonly IntervalRow[]): string {
  return csv(INTERVAL_COLUMNS, rows);
}
