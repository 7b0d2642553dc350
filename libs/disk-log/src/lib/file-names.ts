/**
 * File names in the data directory. Numbers are zero-padded so names sort in log order:
 *   segment-<first record's seq>.log    records, appended
 *   snapshot-<seq it covers up to>.snap  the state after every record before that seq
 *   snapshot.tmp                         a snapshot being written (deleted at open)
 *   LOCK                                 the pid of the process using the directory
 */
const SEQ_DIGITS = 16;
const SEGMENT = /^segment-(\d{16})\.log$/;
const SNAPSHOT = /^snapshot-(\d{16})\.snap$/;

export const LOCK_FILE = 'LOCK';
export const SNAPSHOT_TEMP_FILE = 'snapshot.tmp';

export function segmentFileName(firstSeq: number): string {
  return `segment-${String(firstSeq).padStart(SEQ_DIGITS, '0')}.log`;
}

export function snapshotFileName(coversSeq: number): string {
  return `snapshot-${String(coversSeq).padStart(SEQ_DIGITS, '0')}.snap`;
}

export interface DataDirListing {
  /** First seq of each segment, ascending. */
  segmentSeqs: number[];
  /** Seq each snapshot covers up to, ascending. */
  snapshotSeqs: number[];
  hasSnapshotTemp: boolean;
}

export function classifyFileNames(names: string[]): DataDirListing {
  const segmentSeqs: number[] = [];
  const snapshotSeqs: number[] = [];
  for (const name of names) {
    const segment = SEGMENT.exec(name);
    if (segment) segmentSeqs.push(Number(segment[1]));
    const snapshot = SNAPSHOT.exec(name);
    if (snapshot) snapshotSeqs.push(Number(snapshot[1]));
  }
  const ascending = (a: number, b: number) => a - b;
  return {
    segmentSeqs: segmentSeqs.sort(ascending),
    snapshotSeqs: snapshotSeqs.sort(ascending),
    hasSnapshotTemp: names.includes(SNAPSHOT_TEMP_FILE),
  };
}
