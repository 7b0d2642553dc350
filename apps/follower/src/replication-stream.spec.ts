import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLogger, createRegistry } from '@quorum-kv/http-edge';
import { PROTOCOL_VERSION } from '@quorum-kv/replication-protocol';
import { buildFollowerApp } from './app';
import { CLUSTER_ID, TOKEN, batch, put } from './testing';
import { loadFollowerConfig } from './config';
import { FollowerNode } from './follower-node';
import { PROTOCOL_VERSION_HEADER } from './routes/replication-stream';

let server: http.Server;
let port: number;
let node: FollowerNode;

beforeEach(async () => {
  const config = loadFollowerConfig({
    CLUSTER_TOKEN: TOKEN,
    FOLLOWER_ID: 'f1',
    LOG_LEVEL: 'silent',
    MAX_BODY_BYTES: '4096',
  });
  node = new FollowerNode(config.FOLLOWER_ID, config.MAX_BUFFERED_ENTRIES, CLUSTER_ID);
  const logger = createLogger('follower', 'silent');
  server = http.createServer(buildFollowerApp({ config, node, registry: createRegistry('follower'), logger }));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

interface Opened {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Writes raw text on the request stream. */
  write: (text: string) => void;
  end: () => void;
  /** The next `count` answer lines, parsed. */
  lines: (count: number) => Promise<Array<{ id: number | null; status: number; body: Record<string, unknown> }>>;
  /** The whole body of a plain (refused) answer. */
  text: () => Promise<string>;
  ended: Promise<void>;
}

function open(headers: Record<string, string> = {}): Promise<Opened> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1',
      port,
      path: '/replication/stream',
      method: 'POST',
      agent: false,
      headers: {
        'content-type': 'application/x-ndjson',
        authorization: `Bearer ${TOKEN}`,
        [PROTOCOL_VERSION_HEADER]: String(PROTOCOL_VERSION),
        ...headers,
      },
    });
    req.on('error', reject);
    req.on('response', (res) => {
      let buffered = '';
      const waiters: Array<() => void> = [];
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffered += chunk;
        for (const w of waiters.splice(0)) w();
      });
      const ended = new Promise<void>((done) => res.on('end', done));
      const lines: Opened['lines'] = async (count) => {
        while (buffered.split('\n').length - 1 < count) await new Promise<void>((w) => waiters.push(w));
        const all = buffered.split('\n');
        buffered = all.slice(count).join('\n');
        return all.slice(0, count).map((line) => JSON.parse(line));
      };
      resolve({
        status: res.statusCode ?? 0,
        headers: res.headers,
        write: (text) => req.write(text),
        end: () => req.end(),
        lines,
        text: async () => (await ended, buffered),
        ended,
      });
    });
    req.flushHeaders();
  });
}

describe('follower: POST /replication/stream', () => {
  it('answers each batch line with its cumulative ack, by id, as POST /replication/batch does', async () => {
    const stream = await open();
    expect(stream.status).toBe(200);
    expect(stream.headers[PROTOCOL_VERSION_HEADER]).toBe(String(PROTOCOL_VERSION));
    stream.write(`${JSON.stringify({ id: 1, batch: batch([put(1), put(3)]) })}\n`);
    expect(await stream.lines(1)).toEqual([
      expect.objectContaining({
        id: 1,
        status: 200,
        body: expect.objectContaining({ ack: { upToLsn: 1, beyondLsns: [3] } }),
      }),
    ]);
    stream.write(`${JSON.stringify({ id: 2, batch: batch([put(2)]) })}\n`);
    const [second] = await stream.lines(1);
    expect(second).toMatchObject({
      id: 2,
      status: 200,
      body: { ack: { upToLsn: 3, beyondLsns: [] }, protocolVersion: PROTOCOL_VERSION },
    });
    stream.end();
    await stream.ended;
    expect(node.applier.appliedLsn).toBe(3);
  });

  it('answers a refused batch with its refusal, and the stream goes on', async () => {
    const stream = await open();
    stream.write(`${JSON.stringify({ id: 1, batch: batch([put(1, 3)], { epoch: 3 }) })}\n`);
    stream.write(`${JSON.stringify({ id: 2, batch: batch([put(2)], { prevEpoch: 3 }) })}\n`);
    stream.write(`${JSON.stringify({ id: 3, batch: batch([]) })}\n`);
    stream.write(`${JSON.stringify({ id: 4, batch: batch([put(2, 3)], { epoch: 3, prevEpoch: 3 }) })}\n`);
    const answers = await stream.lines(4);
    expect(answers.map((a) => [a.id, a.status, a.body['error']])).toEqual([
      [1, 200, undefined],
      [2, 409, 'stale_epoch'],
      [3, 400, 'invalid_request'],
      [4, 200, undefined],
    ]);
    expect(answers[1]?.body).toMatchObject({ promisedEpoch: 3, definite: true });
    expect(node.applier.appliedLsn).toBe(2);
  });

  // Each case: a line that cannot be read; the stream ends with a last line (id null) saying why.
  test.each([
    { name: 'not JSON', line: '{"id":1,', error: 'invalid_json', status: 400 },
    { name: 'no id', line: JSON.stringify({ batch: batch([put(1)]) }), error: 'invalid_request', status: 400 },
    { name: 'longer than MAX_BODY_BYTES', line: 'x'.repeat(5000), error: 'payload_too_large', status: 413 },
  ])('ends the stream on a line $name', async ({ line, error, status }) => {
    const stream = await open();
    stream.write(`${line}\n`);
    expect(await stream.lines(1)).toEqual([
      expect.objectContaining({ id: null, status, body: expect.objectContaining({ error }) }),
    ]);
    await stream.ended;
    expect(node.receivedEntries).toBe(0);
  });

  // Each case: headers with which the stream is refused when it opens, as a plain JSON answer.
  test.each<{ name: string; headers: Record<string, string>; status: number; error: string }>([
    { name: 'a wrong token', headers: { authorization: 'Bearer wrong-token-xx' }, status: 401, error: 'unauthorized' },
    {
      name: 'an empty protocol version',
      headers: { [PROTOCOL_VERSION_HEADER]: '' },
      status: 409,
      error: 'protocol_version_mismatch',
    },
    {
      name: 'another protocol version',
      headers: { [PROTOCOL_VERSION_HEADER]: String(PROTOCOL_VERSION + 1) },
      status: 409,
      error: 'protocol_version_mismatch',
    },
  ])('refuses a stream with $name', async ({ headers, status, error }) => {
    const stream = await open(headers);
    stream.end();
    expect(stream.status).toBe(status);
    expect(JSON.parse(await stream.text())).toMatchObject({ error });
  });
});
