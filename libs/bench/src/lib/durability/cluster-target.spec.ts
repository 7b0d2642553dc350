import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PartitionableCluster } from '../cluster/cluster';
import { ClusterTarget } from './cluster-target';

/** A stand-in leader on loopback: answers from a table of routes, and records what it was asked. */
async function startLeader(routes: Record<string, [number, unknown]>) {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (req.method === 'PUT') {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ key: 'k', lsn: 7, epoch: 2, w: 2, acks: 2 }));
      });
      return;
    }
    const [status, body] = routes[req.url ?? ''] ?? [404, { error: 'not_found' }];
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** A cluster handle that only records the faults asked of it (0-based, as the runtimes number followers). */
function fakeCluster(leaderUrl: string) {
  const calls: string[] = [];
  const cluster = {
    leaderUrl,
    followerUrls: ['a', 'b', 'c'],
    clusterToken: 't',
    stop: async () => undefined,
    killFollower: async () => undefined,
    restartFollower: async () => undefined,
    pauseFollower: async () => undefined,
    resumeFollower: async () => undefined,
    leader: {
      url: leaderUrl,
      kill: async () => void calls.push('kill'),
      pause: async () => undefined,
      resume: async () => undefined,
    },
    restartLeader: async (env?: Record<string, string>, options?: { waitReady?: boolean }) =>
      void calls.push(`restart ${JSON.stringify(env)} ${JSON.stringify(options)}`),
    cut: async (i: number) => void calls.push(`cut ${i}`),
    heal: async (i: number) => void calls.push(`heal ${i}`),
  } satisfies PartitionableCluster;
  return { cluster, calls };
}

describe('ClusterTarget', () => {
  let leader: Awaited<ReturnType<typeof startLeader>>;
  afterEach(async () => leader.close());

  it('reads keys, health and status from the leader, and sends writes with W and the ack mode', async () => {
    leader = await startLeader({
      '/kv/there': [200, { key: 'there', value: 'v', lsn: 3 }],
      '/health': [503, { status: 'recovering', epoch: 4 }],
      '/status': [200, { epoch: 4, state: 'recovering', recovery: { answered: [1, 2] } }],
    });
    const target = new ClusterTarget(fakeCluster(leader.url).cluster, 'applied');
    try {
      await expect(target.read('there')).resolves.toEqual({ httpStatus: 200, value: 'v' });
      await expect(target.read('gone')).resolves.toEqual({ httpStatus: 404 });
      await expect(target.health()).resolves.toEqual({ serving: false, status: 'recovering', epoch: 4 });
      await expect(target.status()).resolves.toMatchObject({ epoch: 4, recovery: { answered: [1, 2] } });
      const answer = await target.put('k', 'v', 2);
      expect(answer).toMatchObject({ httpStatus: 200, body: { epoch: 2, acks: 2 } });
      expect(leader.seen).toContain('PUT /kv/k?w=2&ack=applied');
      expect(target.followers).toBe(3);
    } finally {
      target.close();
    }
  });

  it('numbers followers from 1 for the sweep and from 0 for the runtime, and restarts with the overrides', async () => {
    leader = await startLeader({});
    const { cluster, calls } = fakeCluster(leader.url);
    const target = new ClusterTarget(cluster, 'received');
    await target.cut(1);
    await target.heal(3);
    await target.killLeader();
    await target.startLeader({ RECOVERY_QUORUM: '2' });
    target.close();
    expect(calls).toEqual(['cut 0', 'heal 2', 'kill', 'restart {"RECOVERY_QUORUM":"2"} {"waitReady":false}']);
  });

  it('reports a leader that does not answer as unreachable, with no status', async () => {
    leader = await startLeader({});
    await leader.close();
    const target = new ClusterTarget(fakeCluster(leader.url).cluster, 'received');
    await expect(target.health()).resolves.toEqual({ serving: false, status: 'unreachable', epoch: null });
    await expect(target.status()).resolves.toBeNull();
    await expect(target.read('k')).resolves.toEqual({ httpStatus: 0 });
    target.close();
    leader = await startLeader({}); // for afterEach
  });
});
