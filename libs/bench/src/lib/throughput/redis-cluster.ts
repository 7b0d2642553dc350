/**
 * Redis as the peer a user would pick for speed: a primary and N replicas (`--replicaof`) on
 * loopback ports, in a temp dir (a full sync writes dump.rdb into the working directory), with
 * persistence off and diskless sync without its 5 s delay. Started when `redis-server` is on
 * PATH; ready once the primary sees every replica online.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { killOnExit, stopNode } from '../cluster/process-cluster';
import { RedisConnection } from './redis-connection';

const READY_TIMEOUT_MS = 20_000;

/** Why Redis cannot run here, or null when `redis-server` is on PATH. */
export function redisUnavailable(): string | null {
  const found = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  return found.error ? 'redis-server is not on PATH (apt-get install -y redis-server)' : null;
}

export interface RedisCluster {
  primaryPort: number;
  pids: number[];
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.once('error', reject);
  });
}

function startRedis(dir: string, port: number, replicaOf?: number): ChildProcess {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--dbfilename', `dump-${port}.rdb`];
  args.push('--save', '', '--appendonly', 'no', '--repl-diskless-sync-delay', '0', '--logfile', '');
  if (replicaOf !== undefined) args.push('--replicaof', '127.0.0.1', String(replicaOf));
  return killOnExit(spawn('redis-server', args, { cwd: dir, stdio: 'ignore' }));
}

/** The number of replicas the primary reports online, from `INFO replication`. Pure. */
export function onlineReplicas(infoText: string): number {
  return infoText.split('\n').filter((line) => /^slave\d+:.*state=online/.test(line.trim())).length;
}

export async function startRedisCluster(replicas: number): Promise<RedisCluster> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'quorum-kv-redis-'));
  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.map(stopNode));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const primaryPort = await freePort();
    children.push(startRedis(dir, primaryPort));
    for (let i = 0; i < replicas; i++) children.push(startRedis(dir, await freePort(), primaryPort));
    await waitForReplicas(primaryPort, replicas);
    return { primaryPort, pids: children.map((c) => c.pid as number), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

async function waitForReplicas(primaryPort: number, replicas: number): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let online = 0;
  while (Date.now() < deadline) {
    try {
      const connection = await RedisConnection.connect(primaryPort);
      try {
        online = onlineReplicas(String(await connection.command(['INFO', 'replication'])));
      } finally {
        connection.close();
      }
      if (online >= replicas) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`Redis: ${online} of ${replicas} replicas online after ${READY_TIMEOUT_MS} ms`);
}
