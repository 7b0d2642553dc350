import { KvClient } from '../cluster/kv-client';
import { startRelayTopology, type RelayTopology } from './relay-topology';

describe('the stream relay (real processes: three followers and a leader)', () => {
  let relay: RelayTopology;
  let client: KvClient;

  beforeAll(async () => {
    relay = await startRelayTopology(3, 'stream');
    client = new KvClient(relay.leaderUrl, 64);
  }, 30_000);

  afterAll(async () => {
    client.close();
    await relay.stop();
  });

  it('answers every write once W followers acked it, each with an LSN of its own', async () => {
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => client.put(`k${i % 7}`, `v${i}`, { w: (i % 3) + 1 })),
    );
    expect(answers.map((a) => a.httpStatus)).toEqual(Array(60).fill(200));
    answers.forEach((a, i) => expect(a.body).toMatchObject({ key: `k${i % 7}`, w: (i % 3) + 1, acks: (i % 3) + 1 }));
    const lsns = answers.map((a) => a.body['lsn'] as number).sort((a, b) => a - b);
    expect(lsns).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
  }, 30_000);

  it('waits for the W-th ack: with one follower paused, W=3 waits for it and W=2 does not', async () => {
    const paused = relay.pids[0] as number; // followers first, the leader last
    process.kill(paused, 'SIGSTOP');
    try {
      let w3Answered = false;
      const w3 = client.put('a', 1, { w: 3 }).then((answer) => {
        w3Answered = true;
        return answer;
      });
      const w2 = await client.put('b', 2, { w: 2 });
      expect(w2).toMatchObject({ httpStatus: 200, body: { acks: 2 } });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(w3Answered).toBe(false);
      process.kill(paused, 'SIGCONT');
      expect(await w3).toMatchObject({ httpStatus: 200, body: { w: 3, acks: 3 } });
    } finally {
      process.kill(paused, 'SIGCONT');
    }
  }, 30_000);
});
