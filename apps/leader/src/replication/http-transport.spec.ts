import http from 'node:http';
import { refusingUrl } from '@quorum-kv/http-edge/testing';
import type { AddressInfo } from 'node:net';
import { PROTOCOL_VERSION, type ReplicateRequest } from '@quorum-kv/replication-protocol';
import { HttpReplicationTransport, ReplicationRpcError } from './http-transport';
import { FollowerRefusal, FollowerUnreachable } from './transport';

/** A stand-in follower on loopback whose answer each test sets. */
let answer: (req: http.IncomingMessage, body: string, res: http.ServerResponse) => void;
let server: http.Server;
let baseUrl: string;
let connections = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => answer(req, body, res));
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const request: ReplicateRequest = {
  leaderId: 'leader-1',
  clusterId: 'c-test',
  epoch: 1,
  prevLsn: 0,
  prevEpoch: 0,
  ackMode: 'received',
  entries: [{ lsn: 1, epoch: 1, op: 'put', key: 'a', value: { x: [1, 'é'] }, leaderTimeMs: 5 }],
};
const good = { followerId: 'f1-abc', appliedLsn: 1, refusedLsns: [], bufferedCount: 0, epoch: 1, appliedEpoch: 1 };

function transport() {
  return new HttpReplicationTransport([baseUrl], 'cluster-secret-token', 4);
}

describe('HttpReplicationTransport', () => {
  it('POSTs a snapshot chunk as the bytes it was given, every time, and reads a snapshot_interrupted refusal', async () => {
    const bodies: Array<{ url?: string; auth?: string; length?: string; body: string }> = [];
    let refuse = false;
    answer = (req, body, res) => {
      bodies.push({ url: req.url, auth: req.headers.authorization, length: req.headers['content-length'], body });
      if (refuse) {
        res
          .writeHead(409, { 'content-type': 'application/json' })
          .end(JSON.stringify({ error: 'snapshot_interrupted', message: 'chunk 0 comes first', definite: true }));
      } else res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(good));
    };
    const text = '{"snapshot":"é"}';
    const chunk = { snapshotId: 1, seq: 0, last: true, itemCount: 0, body: new TextEncoder().encode(text) };
    const t = transport();
    try {
      await expect(t.sendSnapshotChunk(0, chunk, 1000)).resolves.toEqual(good);
      await expect(t.sendSnapshotChunk(0, chunk, 1000)).resolves.toEqual(good);
      refuse = true;
      await expect(t.sendSnapshotChunk(0, chunk, 1000)).rejects.toMatchObject({ code: 'snapshot_interrupted' });
      const expected = {
        url: '/replication/snapshot',
        auth: 'Bearer cluster-secret-token',
        length: String(chunk.body.byteLength),
        body: text,
      };
      expect(bodies).toEqual([expected, expected, expected]);
    } finally {
      t.close();
    }
  });

  it('POSTs the request as JSON with the bearer token and resolves the validated answer', async () => {
    let seen: { method?: string; url?: string; auth?: string; type?: string; body?: unknown } = {};
    answer = (req, body, res) => {
      seen = {
        method: req.method,
        url: req.url,
        auth: req.headers.authorization,
        type: req.headers['content-type'],
        body: JSON.parse(body),
      };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ...good, extra: 'ignored' }));
    };
    const t = transport();
    try {
      await expect(t.send(0, request, 1000)).resolves.toEqual(good);
      expect(seen).toEqual({
        method: 'POST',
        url: '/replication/entries',
        auth: 'Bearer cluster-secret-token',
        type: 'application/json',
        body: request,
      });
    } finally {
      t.close();
    }
  });

  describe('sendBatch (protocol version 2)', () => {
    const batch = { ...request, protocolVersion: PROTOCOL_VERSION };
    const ack = { upToLsn: 1, beyondLsns: [] };
    // Each case: what the follower answers, and what the leader makes of it.
    test.each([
      {
        name: 'same version: the answer with its cumulative ack',
        status: 200,
        body: { ...good, protocolVersion: PROTOCOL_VERSION, ack },
        want: { resolves: { ...good, protocolVersion: PROTOCOL_VERSION, ack } },
      },
      {
        name: 'the follower answers in another version: refused on the leader side',
        status: 200,
        body: { ...good, protocolVersion: PROTOCOL_VERSION + 1, ack },
        want: { refusal: /speaks replication protocol version 3/ },
      },
      {
        name: 'the follower refuses the leader’s version with 409',
        status: 409,
        body: { error: 'protocol_version_mismatch', message: 'the leader speaks replication protocol version 2; ...' },
        want: { refusal: /the leader speaks/ },
      },
    ])('$name', async ({ status, body, want }) => {
      let url: string | undefined;
      answer = (req, _body, res) => {
        url = req.url;
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      };
      const t = transport();
      try {
        const sent = t.sendBatch(0, batch, 1000);
        if (want.resolves) await expect(sent).resolves.toEqual(want.resolves);
        else {
          await expect(sent).rejects.toBeInstanceOf(FollowerRefusal);
          await expect(t.sendBatch(0, batch, 1000)).rejects.toMatchObject({
            code: 'protocol_version_mismatch',
            message: expect.stringMatching(want.refusal as RegExp),
          });
        }
        expect(url).toBe('/replication/batch');
      } finally {
        t.close();
      }
    });
  });

  it('reuses one kept-alive connection for consecutive RPCs', async () => {
    answer = (_req, _body, res) => res.writeHead(200).end(JSON.stringify(good));
    const t = transport();
    try {
      const before = connections;
      for (let i = 0; i < 5; i++) await t.send(0, request, 1000);
      expect(connections - before).toBe(1);
    } finally {
      t.close();
    }
  });

  // Each case: a follower answer that must become a ReplicationRpcError (a failed RPC).
  test.each([
    {
      name: 'an error status',
      status: 401,
      body: '{"error":"unauthorized"}',
      message: /^follower answered 401: \{"error":"unauthorized"\}/,
    },
    { name: 'a 500', status: 500, body: 'x'.repeat(500), message: /^follower answered 500: x{200}$/ },
    { name: 'invalid JSON', status: 200, body: '{"followerId":', message: /^follower answered with invalid JSON$/ },
    {
      name: 'JSON of the wrong shape',
      status: 200,
      body: JSON.stringify({ ...good, appliedLsn: -1 }),
      message: /^bad answer from follower: appliedLsn/,
    },
  ])('rejects $name', async ({ status, body, message }) => {
    answer = (_req, _body, res) => res.writeHead(status).end(body);
    const t = transport();
    try {
      const failure = t.send(0, request, 1000);
      await expect(failure).rejects.toBeInstanceOf(ReplicationRpcError);
      await expect(failure).rejects.toThrow(message);
    } finally {
      t.close();
    }
  });

  it('rejects when no answer comes within the timeout', async () => {
    answer = () => undefined; // never answers
    const t = transport();
    try {
      await expect(t.send(0, request, 50)).rejects.toThrow(new ReplicationRpcError('no answer within 50 ms'));
    } finally {
      t.close();
    }
  });

  it('rejects with FollowerUnreachable when the follower is not listening (connection refused: down for sure)', async () => {
    const t = new HttpReplicationTransport([await refusingUrl()], 'cluster-secret-token', 1);
    try {
      await expect(t.send(0, request, 1000)).rejects.toThrow(FollowerUnreachable);
      await expect(t.send(0, request, 1000)).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      t.close();
    }
  });

  it('rejects a follower index it does not know', async () => {
    const t = transport();
    await expect(t.send(1, request, 1000)).rejects.toThrow(new ReplicationRpcError('no follower 1'));
    await expect(t.send(-1, request, 1000)).rejects.toThrow(ReplicationRpcError);
    t.close();
  });
});
