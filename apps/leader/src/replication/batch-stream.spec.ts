import http from 'node:http';
import { refusingUrl } from '@quorum-kv/http-edge/testing';
import type { AddressInfo } from 'node:net';
import {
  PROTOCOL_VERSION,
  SAMPLE_BATCH_REQUEST,
  SAMPLE_BATCH_RESPONSE,
  type BatchRequest,
} from '@quorum-kv/replication-protocol';
import { HttpReplicationTransport, ReplicationRpcError } from './http-transport';
import { BatchStream, PROTOCOL_VERSION_HEADER, STREAM_PATH } from './batch-stream';
import { FollowerRefusal, FollowerUnreachable } from './transport';

/** A stand-in follower speaking the stream: each test sets how a batch line is answered. */
let onLine: (line: { id: number; batch: BatchRequest }, answer: (text: string) => void) => void;
let onOpen: (req: http.IncomingMessage, res: http.ServerResponse) => boolean;
let server: http.Server;
let baseUrl: string;
let streamsOpened = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url !== STREAM_PATH) return void res.writeHead(404).end();
    streamsOpened += 1;
    if (!onOpen(req, res)) return;
    res.writeHead(200, { 'content-type': 'application/x-ndjson', [PROTOCOL_VERSION_HEADER]: String(PROTOCOL_VERSION) });
    res.flushHeaders();
    // As a follower does: the response ends once the request has ended and every line is answered.
    let buffered = '';
    let unanswered = 0;
    let ended = false;
    const answer = (text: string) => {
      unanswered -= 1;
      res.write(`${text}\n`);
      if (ended && unanswered === 0) res.end();
    };
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        unanswered += 1;
        onLine(JSON.parse(line), answer);
      }
    });
    req.on('end', () => {
      ended = true;
      if (unanswered === 0) res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

beforeEach(() => {
  onOpen = () => true;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const batch = SAMPLE_BATCH_REQUEST;
const good = SAMPLE_BATCH_RESPONSE;
const ok = (id: number, body: object = good) => JSON.stringify({ id, status: 200, body });

function transport() {
  return new HttpReplicationTransport([baseUrl], 'cluster-secret-token', 4, 'stream');
}

describe('HttpReplicationTransport, batches on a stream', () => {
  it('sends batches as lines of one stream and resolves each with its own answer, in any order', async () => {
    const held: Array<() => void> = [];
    onLine = ({ id, batch: b }, answer) => {
      expect(b).toEqual(batch);
      held.push(() => answer(ok(id, { ...good, appliedLsn: id })));
      if (held.length === 3) for (const release of held.reverse()) release();
    };
    const t = transport();
    try {
      const before = streamsOpened;
      const answers = await Promise.all([1, 2, 3].map(() => t.sendBatch(0, batch, 1000)));
      expect(answers.map((a) => a.appliedLsn)).toEqual([1, 2, 3]);
      expect(streamsOpened - before).toBe(1);
    } finally {
      t.close();
    }
  });

  // Each case: a batch's answer line, and what the leader makes of it.
  test.each([
    {
      name: 'a refusal: the FollowerRefusal the route would give',
      line: (id: number) =>
        JSON.stringify({ id, status: 409, body: { error: 'stale_epoch', message: 'promised 3', promisedEpoch: 3 } }),
      want: { type: FollowerRefusal, match: { code: 'stale_epoch', promisedEpoch: 3 } },
    },
    {
      name: 'an answer in another protocol version',
      line: (id: number) => ok(id, { ...good, protocolVersion: PROTOCOL_VERSION + 1 }),
      want: { type: FollowerRefusal, match: { code: 'protocol_version_mismatch' } },
    },
    {
      name: 'an answer of the wrong shape',
      line: (id: number) => ok(id, { ...good, appliedLsn: -1 }),
      want: { type: ReplicationRpcError, match: { message: expect.stringMatching(/^bad answer from follower: /) } },
    },
    {
      name: 'the follower ending the stream (a last line with id null)',
      line: () => JSON.stringify({ id: null, status: 413, body: { error: 'payload_too_large', message: 'too long' } }),
      want: { type: ReplicationRpcError, match: { message: expect.stringMatching(/^follower answered 413/) } },
    },
  ])('rejects on $name', async ({ line, want }) => {
    onLine = ({ id }, answer) => answer(line(id));
    const t = transport();
    try {
      const sent = t.sendBatch(0, batch, 1000);
      await expect(sent).rejects.toBeInstanceOf(want.type);
      await expect(sent).rejects.toMatchObject(want.match);
    } finally {
      t.close();
    }
  });

  it('fails every batch waiting on a stream when one is unanswered within its timeout; the next opens a new stream', async () => {
    let seen = 0;
    onLine = () => void (seen += 1); // never answers
    const t = transport();
    try {
      const before = streamsOpened;
      const slow = t.sendBatch(0, batch, 1000);
      const other = t.sendBatch(0, batch, 60_000);
      while (seen < 2) await new Promise((resolve) => setTimeout(resolve, 5)); // both on the one stream
      expect(streamsOpened - before).toBe(1);
      await expect(slow).rejects.toThrow(new ReplicationRpcError('no answer within 1000 ms'));
      await expect(other).rejects.toThrow(ReplicationRpcError);
      onLine = ({ id }, answer) => answer(ok(id));
      await expect(t.sendBatch(0, batch, 1000)).resolves.toEqual(good);
      expect(streamsOpened - before).toBe(2);
    } finally {
      t.close();
    }
  });

  // Each case: how the follower refuses the stream when it opens; every batch on it gets that refusal.
  test.each([
    { name: '409 protocol_version_mismatch', status: 409, error: 'protocol_version_mismatch', type: FollowerRefusal },
    { name: '401 unauthorized', status: 401, error: 'unauthorized', type: ReplicationRpcError },
  ])('rejects a stream refused with $name', async ({ status, error, type }) => {
    onOpen = (_req, res) => {
      res.writeHead(status, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify({ error, message: `refused: ${error}` }));
      return false;
    };
    const t = transport();
    try {
      const sent = t.sendBatch(0, batch, 1000);
      await expect(sent).rejects.toBeInstanceOf(type);
      await expect(sent).rejects.toThrow(new RegExp(error === 'unauthorized' ? '^follower answered 401' : 'refused'));
    } finally {
      t.close();
    }
  });

  it('retires a stream past its age: its batches still get their answers, new ones go on a new stream', async () => {
    const held: Array<() => void> = [];
    onLine = ({ id, batch: b }, answer) => held.push(() => answer(ok(id, { ...good, appliedLsn: b.prevLsn })));
    const { hostname, port } = new URL(baseUrl);
    const stream = new BatchStream({ protocol: 'http:', hostname, port }, 'Bearer cluster-secret-token', 0);
    try {
      const before = streamsOpened;
      const first = stream.send({ ...batch, prevLsn: 10 }, 1000);
      const second = stream.send({ ...batch, prevLsn: 20 }, 1000); // the first stream is at its age: retired
      while (held.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
      for (const release of held) release();
      expect((await Promise.all([first, second])).map((a) => a.appliedLsn)).toEqual([10, 20]);
      expect(streamsOpened - before).toBe(2);
    } finally {
      stream.close();
    }
  });

  it('rejects with FollowerUnreachable when the follower is not listening', async () => {
    const t = new HttpReplicationTransport([await refusingUrl()], 'cluster-secret-token', 1, 'stream');
    try {
      await expect(t.sendBatch(0, batch, 1000)).rejects.toThrow(FollowerUnreachable);
    } finally {
      t.close();
    }
  });
});
