/**
 * The `process` runtime: the leader and N followers as child processes of this one, on
 * loopback, each on a free port the OS picks (the node logs the port it got). Every child is
 * stopped when the cluster stops, and in any case when this process exits (the CLI turns
 * Ctrl-C into an orderly stop, then an exit).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Cluster, ClusterSettings, PartitionableCluster } from './cluster';
import { CuttableProxy } from '../cluster/cuttable-proxy';
import { builtAppPath } from './build';

const START_TIMEOUT_MS = 15_000;
const live = new Set<ChildProcess>();

function killAllOnExit(): void {
  for (const child of live) child.kill('SIGKILL');
}
process.once('exit', killAllOnExit);

export interface StartedNode {
  child: ChildProcess;
  port: number;
}
type Started = StartedNode;

/**
 * Starts one node from its build (on 127.0.0.1, a free port, unless `env` says otherwise) and
 * resolves with the port it logged, or rejects with its last words. It is killed when this
 * process exits; stop it before with `stopNode`.
 */
export function startNode(
  app: 'leader' | 'follower',
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<Started> {
  const child = spawn(process.execPath, [...nodeArgs, builtAppPath(app)], {
    env: { PATH: process.env['PATH'] ?? '', HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(`did not start within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${app} ${why}: ${stderr.join('').trim().slice(-500)}`));
    };
    child.once('exit', (code) => fail(`exited with code ${code}`));
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.on('line', (line) => {
      try {
        const event = JSON.parse(line) as { msg?: string; port?: number };
        if (event.msg === 'listening' && typeof event.port === 'number') {
          clearTimeout(timer);
          child.removeAllListeners('exit');
          child.once('exit', () => live.delete(child));
          resolve({ child, port: event.port });
        }
      } catch {
        // not a log line of ours; ignore
      }
    });
  });
}

/** SIGTERM (after SIGCONT, in case it is paused), then SIGKILL after 3 s. */
export function stopNode(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGCONT');
    child.kill('SIGTERM');
  });
}

export async function startProcessCluster(settings: ClusterSettings): Promise<PartitionableCluster> {
  // Ports are reused quickly on a busy machine: a leader of another cluster could reach one of
  // these followers at an old address. A leader id of our own, which the followers require,
  // keeps clusters from writing into each other.
  const leaderId = `leader-${randomUUID().slice(0, 8)}`;
  const followerEnv = (i: number, port = 0): Record<string, string> => ({
    ACCEPT_LEADER_ID: leaderId,
    PORT: String(port),
    FOLLOWER_ID: `follower${i + 1}`,
    CLUSTER_TOKEN: settings.clusterToken,
    ENABLE_DEBUG: 'true',
  });
  const followers = await Promise.all(
    Array.from({ length: settings.followers }, (_, i) => startNode('follower', followerEnv(i), settings.nodeArgs)),
  );
  const followerUrls = followers.map((f) => `http://127.0.0.1:${f.port}`);
  // With partitions, the leader reaches each follower through a proxy of its own; the bench still goes direct.
  const proxies = settings.partitions
    ? await Promise.all(followers.map((f) => CuttableProxy.start({ targetPort: f.port })))
    : [];
  const leaderEnv: Record<string, string> = {
    FOLLOWERS: (settings.partitions ? proxies.map((p) => p.url) : followerUrls).join(','),
    LEADER_ID: leaderId,
    WRITE_QUORUM: String(settings.defaultW),
    DELAY: settings.delay,
    REPLICATION_TIMEOUT_MS: String(settings.replicationTimeoutMs),
    ACK_MODE: settings.ackMode,
    CLUSTER_TOKEN: settings.clusterToken,
    SEED: String(settings.seed),
    ENABLE_DEBUG: 'true',
    ...settings.leaderEnv,
  };
  let leader: Started;
  try {
    leader = await startNode('leader', leaderEnv, settings.nodeArgs);
  } catch (err) {
    await Promise.all([...followers.map((f) => stopNode(f.child)), ...proxies.map((p) => p.close())]);
    throw err;
  }
  let stopped = false;
  const cluster: PartitionableCluster = {
    leaderUrl: `http://127.0.0.1:${leader.port}`,
    followerUrls,
    clusterToken: settings.clusterToken,
    async stop() {
      if (stopped) return;
      stopped = true;
      await Promise.all([leader, ...followers].map((n) => stopNode(n.child)));
      await Promise.all(proxies.map((p) => p.close()));
    },
    async killFollower(i) {
      const f = followerAt(followers, i);
      f.child.kill('SIGKILL');
      await stopNode(f.child);
    },
    async restartFollower(i) {
      const f = followerAt(followers, i);
      await stopNode(f.child);
      followers[i] = await startNode('follower', followerEnv(i, f.port), settings.nodeArgs);
    },
    async killLeader() {
      leader.child.kill('SIGKILL');
      await stopNode(leader.child);
    },
    async restartLeader(envOverrides = {}) {
      leader.child.kill('SIGKILL');
      await stopNode(leader.child);
      const env = { ...leaderEnv, ...envOverrides, PORT: String(leader.port) };
      leader = await startNode('leader', env, settings.nodeArgs);
    },
    async cut(i) {
      proxyAt(proxies, i).cut();
    },
    async heal(i) {
      proxyAt(proxies, i).heal();
    },
    async pauseFollower(i) {
      followerAt(followers, i).child.kill('SIGSTOP');
    },
    async resumeFollower(i) {
      followerAt(followers, i).child.kill('SIGCONT');
    },
  };
  return cluster;
}

function followerAt(followers: Started[], i: number): Started {
  const f = followers[i];
  if (!f) throw new RangeError(`no follower index ${i}`);
  return f;
}

function proxyAt(proxies: CuttableProxy[], i: number): CuttableProxy {
  const p = proxies[i];
  if (!p) {
    throw new RangeError(
      proxies.length === 0 ? 'this cluster was started without partitions: true' : `no follower index ${i}`,
    );
  }
  return p;
}

export type { Cluster };
