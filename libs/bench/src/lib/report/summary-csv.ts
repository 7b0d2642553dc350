/**
 * `summary.csv`: one row per W, columns in SUMMARY_COLUMNS order. Times are ms rounded to the
 * microsecond (3 decimals; the clock resolves no finer); a value that is not a finite number
 * (no successful write, no model) is an empty field, which spreadsheets and pandas read as
 * missing.
 */
import { SUMMARY_COLUMNS, type SummaryRow } from '../records';

export const CSV_DECIMALS = 3;

export function csvNumber(value: number): string {
  if (!Number.isFinite(value)) return '';
  if (Number.isInteger(value)) return String(value);
  // Number() drops trailing zeros; `+ 0` turns a rounded -0 into 0.
  return String(Number(value.toFixed(CSV_DECIMALS)) + 0);
}

export function summaryCsv(rows: readonly SummaryRow[]): string {
  const lines = [SUMMARY_COLUMNS.join(','), ...rows.map((row) => SUMMARY_COLUMNS.map((column) => csvNumber(row[column])).join(','))];
  return lines.join('\n') + '\n';
}
