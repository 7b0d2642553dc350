import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import {
  OrderedApplier,
  PROTOCOL_VERSION,
  SnapshotStaging,
  type ReplicateRequest,
  type SnapshotChunkRequest,
} from '@quorum-kv/replication-protocol';
import { createLogger } from '@quorum-kv/http-edge';
import { loadLeaderConfig } from './config';
import { createLeader, systemClock } from './leader';

/**
 * The real wiring (system clock, precise delays, HTTP transport) against two stand-in followers
 * on loopback that apply entries as a follower does. Not the follower app: apps never import
 * each other.
 */
function standInFollower(token: string) {
  const applier = new OrderedApplier(1000);
  const staging = new SnapshotStaging();
  const seen: Array<{ auth: string | undefined; request: ReplicateRequest }> = [];
  let promised = 0;
  const batchAnswer = (parsed: ReplicateRequest, auth: string | undefined) => {
    seen.push({ auth, request: parsed });
    const result = applier.receive(parsed.entries, { lsn: parsed.prevLsn, epoch: parsed.prevEpoch });
    const upToLsn = applier.appliedLsn;
    const ack = { upToLsn, beyondLsns: result.storedLsns.filter((lsn) => lsn > upToLsn) };
    return { ...answer(result.refusedLsns), protocolVersion: PROTOCOL_VERSION, ack };
  };
  const answer = (refusedLsns: number[]) => ({
    followerId: 'stand-in',
    appliedLsn: applier.appliedLsn,
    refusedLsns,
    bufferedCount: applier.bufferedCount,
    epoch: promised,
    appliedEpoch: applier.appliedEpoch,
  });
  const server = http.createServer((req, res) => {
    if (req.url === '/replication/stream') {
      // Batches as lines, answered as lines (the leader's default batch transport).
      if (req.headers.authorization !== `Bearer ${token}`) return res.writeHead(401).end('{}');
      res.writeHead(200, { 'x-replication-protocol': String(PROTOCOL_VERSION) });
      res.flushHeaders();
      let pending = '';
      req.on('data', (chunk: Buffer) => {
        const lines = (pending + chunk.toString()).split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) {
          const { id, batch } = JSON.parse(line) as { id: number; batch: ReplicateRequest };
          res.write(`${JSON.stringify({ id, status: 200, body: batchAnswer(batch, req.headers.authorization) })}\n`);
        }
      });
      req.on('end', () => res.end());
      return;
    }
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      if (req.headers.authorization !== `Bearer ${token}`) return res.writeHead(401).end('{}');
      res.writeHead(200, { 'content-type': 'application/json' });
      if (req.url === '/replication/recover') {
        promised = (JSON.parse(body) as { epoch: number }).epoch;
        const { appliedLsn, appliedEpoch } = applier;
        return res.end(
          JSON.stringify({
            followerId: 'stand-in',
            epoch: promised,
            appliedLsn,
            appliedEpoch,
            log: applier.exportLog(),
          }),
        );
      }
      if (req.url === '/replication/snapshot') {
        const chunk = JSON.parse(body) as SnapshotChunkRequest;
        const outcome = staging.receive(chunk, Buffer.byteLength(body), 0);
        if (outcome.kind === 'complete') {
          const { items, lsn, epoch } = outcome.snapshot;
          applier.installSnapshot(items, lsn, epoch);
        }
        return res.end(JSON.stringify(answer([])));
      }
      const parsed = JSON.parse(body) as ReplicateRequest;
      if (req.url === '/replication/batch')
        return res.end(JSON.stringify(batchAnswer(parsed, req.headers.authorization)));
      seen.push({ auth: req.headers.authorization, request: parsed });
      const result = applier.receive(parsed.entries, { lsn: parsed.prevLsn, epoch: parsed.prevEpoch });
      res.end(JSON.stringify(answer(result.refusedLsns)));
    });
  });
  return { server, applier, seen };
}

describe('createLeader', () => {
  const token = 'cluster-secret-token';
  const followers = [standInFollower(token), standInFollower(token)];

  beforeAll(async () => {
    for (const f of followers) await new Promise<void>((resolve) => f.server.listen(0, '127.0.0.1', resolve));
  });

  afterAll(async () => {
    for (const f of followers) {
      f.server.closeAllConnections();
      await new Promise((resolve) => f.server.close(resolve));
    }
  });

  it('replicates a write over HTTP after the configured delay and answers at the quorum', async () => {
    const urls = followers.map((f) => `http://127.0.0.1:${(f.server.address() as AddressInfo).port}`);
    const config = loadLeaderConfig({
      FOLLOWERS: urls.join(','),
      CLUSTER_TOKEN: token,
      DELAY: 'constant:20',
      WRITE_QUORUM: '2',
      LOG_LEVEL: 'silent',
    });
    const { app, coordinator, registry } = createLeader(config, createLogger('leader', 'silent'));
    try {
      // It recovers first (two empty followers: an empty log of epoch 1), and only then serves.
      expect((await request(app).put('/kv/early').send({ value: 1 })).status).toBe(503);
      await coordinator.startRecovery();
      expect(coordinator.leaderState).toBe('serving');
      const startedMs = performance.now();
      const res = await request(app).put('/kv/wired?trace=1').send({ value: 'over http' });
      const elapsedMs = performance.now() - startedMs;
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ key: 'wired', lsn: 1, epoch: 1, w: 2, acks: 2, delaysMs: [20, 20] });
      expect(res.body.quorumMs).toBeGreaterThanOrEqual(20); // the injected delay is never cut short
      expect(elapsedMs).toBeGreaterThanOrEqual(20);
      for (const f of followers) {
        expect(f.applier.state.get('wired')).toEqual({ value: 'over http', lsn: 1 });
        expect(f.seen.at(-1)).toMatchObject({
          auth: `Bearer ${token}`,
          request: { leaderId: 'leader', ackMode: 'received' },
        });
      }
      expect(coordinator.isDrained()).toBe(true);
      expect(await registry.getSingleMetricAsString('quorumkv_write_duration_seconds')).toMatch(
        /quorumkv_write_duration_seconds_count\{[^}]*outcome="met"[^}]*\} 1/,
      );
    } finally {
      coordinator.stop();
    }
  });

  it('uses the monotonic clock and real timers', async () => {
    const a = systemClock.now();
    await new Promise<void>((resolve) => systemClock.setTimeout(resolve, 5));
    expect(systemClock.now() - a).toBeGreaterThanOrEqual(4);
    let fired = false;
    const handle = systemClock.setTimeout(() => (fired = true), 1);
    systemClock.clearTimeout(handle);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(fired).toBe(false);
  });
});
