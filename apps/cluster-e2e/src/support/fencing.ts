/** What an old leader does once a newer one has taken over: it refuses, it never applies. */
import type { KvClient } from '@quorum-kv/bench';

/**
 * Writes `key` through the old leader while it is paused (the request waits in its socket),
 * resumes it with `resume`, and expects the write refused: 503 `fenced` or `superseded`.
 */
export async function expectStaleWriteRefused(
  oldLeader: KvClient,
  key: string,
  resume: () => Promise<void>,
): Promise<void> {
  const stale = oldLeader.put(key, 1, { w: 1 });
  await resume();
  const answer = await stale;
  expect(answer.httpStatus).toBe(503);
  expect(['fenced', 'superseded']).toContain(answer.body['error']);
}
