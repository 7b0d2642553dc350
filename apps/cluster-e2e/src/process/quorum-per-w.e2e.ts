/**
 * Issue #2, points 1 and 6: for every W in 1..N and both ack modes, a write is answered 200
 * with at least W acks, never before the W-th smallest injected delay, and after draining the
 * leader and every follower hold the same map at the same LSN.
 *
 * Writes go one at a time, so every ack of a write comes from its own delayed RPC (catch-up
 * never resends an entry in flight), which is what makes the timing checks exact.
 */
import type { KvClient } from '@quorum-kv/bench';
import { expectConverged, expectQuorumTiming, putTraced, type AckMode } from '../support';
import { FOLLOWER_COUNT, describeSettings, testSettings, processClusterPerFile } from './start-cluster';

// Every write here must meet its W: a timeout far above the delays, so a machine starved by other
// work (CI shares its two cores) slows the file down instead of failing it with a 504.
const settings = testSettings({ delay: 'uniform:0:50', seed: 101, replicationTimeoutMs: 10_000 });
const WRITES_PER_W = 6;
const QUORUMS = Array.from({ length: FOLLOWER_COUNT }, (_, i) => i + 1);

describe(`quorum per W (${describeSettings(settings)})`, () => {
  const ctx = processClusterPerFile(settings);
  /** Every key this file wrote and its current value: what the leader's map must be. */
  const expected: Record<string, unknown> = {};
  let writeCount = 0;

  describe.each<AckMode>(['received', 'applied'])('ack mode %s', (ackMode) => {
    test.each(QUORUMS)(
      'W=%i: each write answers 200 with >= W acks, not before the W-th smallest delay; a delete too; then all six stores are equal',
      async (w) => {
        for (let i = 0; i < WRITES_PER_W; i++) {
          const key = `${ackMode}-w${w}-${i}`;
          const value = { w, i, ackMode, nested: [1, 'two', null, { three: true }] };
          const trace = await putTraced(ctx.clients.leader, key, value, { w, ack: ackMode });
          writeCount += 1;
          expected[key] = value;
          expect(trace.lsn).toBe(writeCount);
          expect(trace.ackMode).toBe(ackMode);
          expectQuorumTiming(trace, w, FOLLOWER_COUNT);

          // The leader reads its own write at once, whatever W was.
          await expect(ctx.clients.leader.getJson(`/kv/${key}`)).resolves.toEqual({ key, value, lsn: trace.lsn });
          if (ackMode === 'applied') {
            // An `applied` ack means the entry is visible to reads on that follower already.
            const reads = await Promise.all(
              trace.ackedFollowers.map((f) => (ctx.clients.followers[f - 1] as KvClient).getJson(`/kv/${key}`)),
            );
            expect(reads).toEqual(trace.ackedFollowers.map(() => ({ key, value, lsn: trace.lsn })));
          }
        }

        // A delete replicates a tombstone under the same quorum rules.
        const deletedKey = `${ackMode}-w${w}-0`;
        const deleted = await ctx.clients.leader.delete(deletedKey, { w, ack: ackMode });
        writeCount += 1;
        delete expected[deletedKey];
        expect(deleted).toEqual({
          httpStatus: 200,
          body: expect.objectContaining({ key: deletedKey, lsn: writeCount, w, ackMode, deleted: true }),
        });
        expect(deleted.body['acks']).toBeGreaterThanOrEqual(w);
        await expect(ctx.clients.leader.getJson(`/kv/${deletedKey}`)).rejects.toThrow(/answered 404/);

        const leader = await expectConverged(ctx.clients);
        expect(leader).toEqual({ lsn: writeCount, store: expected });
      },
    );
  });
});
