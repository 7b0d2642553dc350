import { FakeClock } from '../testing';
import { ApiError } from './errors';
import { SnapshotStaging, type StageOutcome } from './snapshot-staging';
import type { SnapshotChunkRequest } from './wire';

const LIMITS = { maxStagedBytes: 1000, idleTimeoutMs: 5000 };

/** Chunk `seq` of snapshot `snapshotId`: one key per chunk, `totalItems` chunks in all. */
function chunk(overrides: Partial<SnapshotChunkRequest> & { seq: number }): SnapshotChunkRequest {
  const totalItems = overrides.totalItems ?? 3;
  return {
    leaderId: 'leader',
    clusterId: 'c',
    epoch: 2,
    lsn: 9,
    snapshotId: 1,
    totalItems,
    totalBytes: 300,
    last: overrides.seq === totalItems - 1,
    items: [[`k${overrides.seq}`, overrides.seq, overrides.seq + 1]],
    ...overrides,
  };
}

type Step = { send: SnapshotChunkRequest; bytes?: number; advanceMs?: number };

/** Runs the steps on a fresh staging with a fake clock; each step's outcome, or the code it was refused with. */
function run(steps: Step[]): { results: Array<StageOutcome['kind'] | string>; staging: SnapshotStaging } {
  const clock = new FakeClock();
  const staging = new SnapshotStaging(LIMITS);
  const results = steps.map(({ send, bytes = 100, advanceMs = 0 }) => {
    clock.advance(advanceMs);
    try {
      return staging.receive(send, bytes, clock.now()).kind;
    } catch (error) {
      if (error instanceof ApiError) return error.code;
      throw error;
    }
  });
  return { results, staging };
}

describe('SnapshotStaging', () => {
  // Each case: chunks arriving (with time passing on a fake clock), and what each must come to.
  test.each<{ why: string; steps: Step[]; want: string[] }>([
    {
      why: 'in order: staged, staged, then complete at the last',
      steps: [{ send: chunk({ seq: 0 }) }, { send: chunk({ seq: 1 }) }, { send: chunk({ seq: 2 }) }],
      want: ['staged', 'staged', 'complete'],
    },
    {
      why: 'a retry of a chunk already staged (its answer was lost) is acknowledged again',
      steps: [{ send: chunk({ seq: 0 }) }, { send: chunk({ seq: 1 }) }, { send: chunk({ seq: 1 }) }],
      want: ['staged', 'staged', 'duplicate'],
    },
    {
      why: 'a gap means the staging was lost: refused, start again',
      steps: [{ send: chunk({ seq: 0 }) }, { send: chunk({ seq: 2 }) }],
      want: ['staged', 'snapshot_interrupted'],
    },
    {
      why: 'nothing staged (a restarted follower): a middle chunk is refused',
      steps: [{ send: chunk({ seq: 1 }) }],
      want: ['snapshot_interrupted'],
    },
    {
      why: 'a newer snapshot id starting at chunk 0 replaces the staged one',
      steps: [
        { send: chunk({ seq: 0 }) },
        { send: chunk({ seq: 0, snapshotId: 2 }) },
        { send: chunk({ seq: 1, snapshotId: 2 }) },
        { send: chunk({ seq: 1 }) },
      ],
      want: ['staged', 'staged', 'staged', 'snapshot_interrupted'],
    },
    {
      why: 'a newer epoch replaces it too, even with a lower snapshot id',
      steps: [{ send: chunk({ seq: 0, snapshotId: 5 }) }, { send: chunk({ seq: 0, epoch: 3, snapshotId: 1 }) }],
      want: ['staged', 'staged'],
    },
    {
      why: 'an older snapshot is refused while a newer one is staged',
      steps: [{ send: chunk({ seq: 0, snapshotId: 2 }) }, { send: chunk({ seq: 0, snapshotId: 1 }) }],
      want: ['staged', 'snapshot_interrupted'],
    },
    {
      why: 'declared beyond the bound: refused at chunk 0, before anything is staged',
      steps: [{ send: chunk({ seq: 0, totalBytes: 5000 }) }],
      want: ['snapshot_too_large'],
    },
    {
      why: 'received beyond the bound (the leader under-declared): refused, staging dropped',
      steps: [
        { send: chunk({ seq: 0 }), bytes: 600 },
        { send: chunk({ seq: 1 }), bytes: 600 },
        { send: chunk({ seq: 2 }) },
      ],
      want: ['staged', 'snapshot_too_large', 'snapshot_interrupted'],
    },
    {
      why: 'exactly at the bound is taken',
      steps: [
        { send: chunk({ seq: 0 }), bytes: 500 },
        { send: chunk({ seq: 1 }), bytes: 400 },
        { send: chunk({ seq: 2 }), bytes: 100 },
      ],
      want: ['staged', 'staged', 'complete'],
    },
    {
      why: 'idle for the timeout: dropped, the next chunk is refused',
      steps: [{ send: chunk({ seq: 0 }) }, { send: chunk({ seq: 1 }), advanceMs: 5000 }],
      want: ['staged', 'snapshot_interrupted'],
    },
    {
      why: 'just under the timeout: still staged',
      steps: [{ send: chunk({ seq: 0 }) }, { send: chunk({ seq: 1 }), advanceMs: 4999 }],
      want: ['staged', 'staged'],
    },
    {
      why: 'a chunk disagreeing with chunk 0 on the lsn is refused and the staging dropped',
      steps: [{ send: chunk({ seq: 0 }) }, { send: chunk({ seq: 1, lsn: 10 }) }, { send: chunk({ seq: 2 }) }],
      want: ['staged', 'invalid_request', 'snapshot_interrupted'],
    },
    {
      why: 'a last chunk short of the declared keys is refused',
      steps: [{ send: chunk({ seq: 0 }) }, { send: chunk({ seq: 1, last: true }) }],
      want: ['staged', 'invalid_request'],
    },
    {
      why: 'more keys than declared is refused',
      steps: [{ send: chunk({ seq: 0, totalItems: 1, last: false }) }, { send: chunk({ seq: 1, totalItems: 1 }) }],
      want: ['staged', 'invalid_request'],
    },
    {
      why: 'one chunk, empty store',
      steps: [{ send: chunk({ seq: 0, totalItems: 0, items: [], last: true }) }],
      want: ['complete'],
    },
  ])('$why', ({ steps, want }) => {
    expect(run(steps).results).toEqual(want);
  });

  it('hands over the whole snapshot at the last chunk, and keeps nothing staged after', () => {
    const staging = new SnapshotStaging(LIMITS);
    staging.receive(chunk({ seq: 0 }), 100, 0);
    expect(staging.status).toMatchObject({ snapshotId: 1, nextSeq: 1, stagedItems: 1, stagedBytes: 100 });
    staging.receive(chunk({ seq: 1 }), 100, 0);
    const outcome = staging.receive(chunk({ seq: 2 }), 100, 0);
    expect(outcome).toEqual({
      kind: 'complete',
      snapshot: {
        leaderId: 'leader',
        clusterId: 'c',
        epoch: 2,
        lsn: 9,
        items: [
          ['k0', 0, 1],
          ['k1', 1, 2],
          ['k2', 2, 3],
        ],
      },
    });
    expect(staging.status).toBeNull();
    expect(staging.abortedCount).toBe(0);
  });

  it('drops a staged snapshot whose epoch a newer promise passed, or one the follower already holds', () => {
    const staging = new SnapshotStaging(LIMITS);
    staging.receive(chunk({ seq: 0 }), 100, 0);
    staging.abortBelow(2);
    expect(staging.status).not.toBeNull();
    staging.abortBelow(3);
    expect(staging.status).toBeNull();
    staging.receive(chunk({ seq: 0, snapshotId: 4 }), 100, 0);
    staging.discard(2, 3);
    expect(staging.status).not.toBeNull();
    staging.discard(2, 4);
    expect(staging.status).toBeNull();
    expect(staging.abortedCount).toBe(2);
  });
});
