/**
 * The write path with a journal (DATA_DIR): an entry is in the log while it is being written
 * to disk, before its write waits for acks, so catch-up can carry it to a follower first. Acks
 * are counted once, when an answer newly covers an LSN: a follower that applied the entry before
 * the write waited has acked it all the same.
 */
import { FakeClock, type Entry } from '@quorum-kv/replication-protocol';
import { ReplicationCoordinator, type WriteResult } from './replication-coordinator';
import type { EntryJournal } from './entry-journal';
import { InMemoryTransport, coordinatorOptions, flushMicrotasks } from './testing';

const N = 3;

/** A journal whose `written` for each entry resolves when the test says so. */
function heldJournal() {
  const release = new Map<number, () => void>();
  const journal: EntryJournal = {
    append(entry: Entry) {
      const written = new Promise<void>((resolve) => release.set(entry.lsn, resolve));
      return { written, committed: written };
    },
    adopted: async () => undefined,
    maybeSnapshot: () => undefined,
  };
  return { journal, release: (lsn: number) => release.get(lsn)?.() };
}

describe('ReplicationCoordinator with a journal', () => {
  it.each([
    { why: 'a follower applied the entry through catch-up while it was being written', catchUpFirst: true },
    { why: 'no follower had it before the write waited', catchUpFirst: false },
  ])('counts every follower that applied the entry: $why', async ({ catchUpFirst }) => {
    const clock = new FakeClock();
    const transport = new InMemoryTransport(N, clock, 'auto');
    const { journal, release } = heldJournal();
    const coordinator = new ReplicationCoordinator({ ...coordinatorOptions(transport, clock), journal });
    const outcome: { value?: WriteResult } = {};
    void coordinator.write({ op: 'put', key: 'k', value: 1 }, N, 'applied').then((r) => (outcome.value = r));
    if (catchUpFirst) {
      // The entry is in the log, not yet on disk: catch-up finds every follower behind and sends it.
      for (let i = 0; i < 20; i++) {
        clock.advance(10);
        await flushMicrotasks();
      }
      for (let f = 0; f < N; f++) expect(transport.applier(f).appliedLsn).toBe(1);
    }
    release(1);
    for (let i = 0; i < 20 && outcome.value === undefined; i++) {
      clock.advance(5);
      await flushMicrotasks();
    }
    expect(outcome.value?.outcome).toMatchObject({ status: 'met' });
    coordinator.stop();
  });
});
