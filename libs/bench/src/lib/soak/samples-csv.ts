/**
 * `samples.csv`: one row per sample and node (long form, ready for pandas or a spreadsheet),
 * with the leader's LSN, log size and largest follower lag, and the load so far, repeated on
 * each node's row of the same sample. A value that is missing (a node that could not be read,
 * a leader without the log-size gauge) is an empty field. Pure.
 */
import { csvNumber } from '../sweep/report/summary-csv';
import type { SoakSample } from './soak-records';

export const SAMPLE_COLUMNS = [
  'tS',
  'node',
  'rssMiB',
  'heapUsedMiB',
  'leaderLsn',
  'logEntries',
  'maxLagEntries',
  'writesSent',
  'writesOk',
  'latencyMsP99SoFar',
] as const;

const field = (value: number | null): string => (value === null ? '' : csvNumber(value));

export function samplesCsv(samples: readonly SoakSample[]): string {
  const lines: string[] = [SAMPLE_COLUMNS.join(',')];
  for (const sample of samples) {
    for (const node of sample.nodes) {
      lines.push(
        [
          field(sample.tS),
          node.node,
          field(node.rssMiB),
          field(node.heapUsedMiB),
          field(sample.leader.lsn),
          field(sample.leader.logEntries),
          field(sample.leader.maxLagEntries),
          field(sample.load.writesSent),
          field(sample.load.writesOk),
          field(sample.load.latencyMsP99SoFar),
        ].join(','),
      );
    }
  }
  return lines.join('\n') + '\n';
}
