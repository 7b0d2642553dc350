/**
 * The check after a cell: every acknowledged write read back from the leader. Keys are unique,
 * so an acknowledged write is either there with the value it was written with, or lost: a 404
 * (gone), another value (impossible without a bug, counted as lost too), or a read that failed
 * (neither: the cell is then unchecked). Pure.
 */
import type { DurabilityWrite, LossCheckRow, ReadFinding } from './durability-records';

/** What a read of one key gave: the HTTP status and, on 200, the stored value. */
export interface KeyRead {
  httpStatus: number;
  value?: unknown;
}

export function findingOf(expected: string, read: KeyRead): ReadFinding {
  if (read.httpStatus === 200) return read.value === expected ? 'present' : 'changed';
  if (read.httpStatus === 404) return 'lost';
  return 'unreadable';
}

/** The acknowledged writes: only these carry the promise. */
export function acknowledged(writes: readonly DurabilityWrite[]): DurabilityWrite[] {
  return writes.filter((w) => w.outcome === 'ok');
}

/** One row per acknowledged write, from the reads made on the leader (a key with no read is unreadable). */
export function checkLosses(writes: readonly DurabilityWrite[], reads: ReadonlyMap<string, KeyRead>): LossCheckRow[] {
  return acknowledged(writes).map((write) => {
    const read = reads.get(write.key) ?? { httpStatus: 0 };
    return {
      w: write.w,
      r: write.r,
      key: write.key,
      seq: write.seq,
      finding: findingOf(write.value, read),
      httpStatus: read.httpStatus,
    };
  });
}

export function isLoss(finding: ReadFinding): boolean {
  return finding === 'lost' || finding === 'changed';
}
