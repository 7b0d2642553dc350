/**
 * The `process` runtime: the leader and N followers as child processes of this one, on
 * loopback, each on a free port the OS picks (the node logs the port it got). Every child is
 * stopped when the cluster stops, and in any case when this process exits (the CLI turns
 * Ctrl-C into an orderly stop, then an exit).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import {
  clusterSettings,
  type Cluster,
  type ClusterSettings,
  type LeaderControl,
  type LocalCluster,
  type Runtime,
} from './cluster';
import { builtAppPath, ensureBuilt } from './build';
import { CuttableProxy } from './cuttable-proxy';
import { dataDirEnv, followerEnv, leaderEnv, leaderIdOf } from './node-env';

const START_TIMEOUT_MS = 15_000;
const live = new Set<ChildProcess>();

function killAllOnExit(): void {
  for (const child of live) child.kill('SIGKILL');
}
process.once('exit', killAllOnExit);

/** Every child the bench starts dies with it: SIGKILL when this process exits first. */
export function killOnExit<T extends ChildProcess>(child: T): T {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

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
  killOnExit(child);
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

/** Polls the leader's readiness (`/health` 200: recovered and serving). */
async function waitServing(url: string, timeoutMs = START_TIMEOUT_MS): Promise<void> {
  const deadlineMs = Date.now() + timeoutMs;
  for (;;) {
    const ok = await fetch(`${url}/health`).then(
      (res) => res.status === 200,
      () => false,
    );
    if (ok) return;
    if (Date.now() > deadlineMs) throw new Error(`leader at ${url} not serving within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function leaderControl(node: Started): LeaderControl {
  return {
    url: `http://127.0.0.1:${node.port}`,
    async kill(signal = 'SIGKILL') {
      node.child.kill('SIGCONT');
      node.child.kill(signal);
      await stopNode(node.child);
    },
    async pause() {
      node.child.kill('SIGSTOP');
    },
    async resume() {
      node.child.kill('SIGCONT');
    },
  };
}

export const processRuntime: Runtime = {
  start(config, { clusterToken, log }) {
    ensureBuilt(log);
    log(`starting a leader and ${config.followers} followers as processes on 127.0.0.1`);
    return startProcessCluster(clusterSettings(config, clusterToken));
  },
};

/** The process runtime's cluster: its leader can be lost, and with `partitions: true` its links cut. */
export type ProcessCluster = LocalCluster;

export async function startProcessCluster(settings: ClusterSettings): Promise<ProcessCluster> {
  // A leader id and a cluster id of this cluster's own, which its followers require, keep two
  // clusters on quickly reused ports from writing into each other.
  const ownId = randomUUID().slice(0, 8);
  const leaderId = leaderIdOf(settings, ownId);
  const clusterId = settings.leaderEnv?.['CLUSTER_ID'] ?? `cluster-${ownId}`;
  const followerEnvAt = (i: number, port = 0): Record<string, string> => ({
    ...followerEnv(settings, leaderId, i),
    ...dataDirEnv(settings, `follower${i + 1}`),
    CLUSTER_ID: clusterId,
    PORT: String(port),
  });
  const followers = await Promise.all(
    Array.from({ length: settings.followers }, (_, i) => startNode('follower', followerEnvAt(i), settings.nodeArgs)),
  );
  const followerUrls = followers.map((f) => `http://127.0.0.1:${f.port}`);
  // With partitions, the leader reaches each follower through a proxy of its own; the bench still goes direct.
  const proxies = settings.partitions
    ? await Promise.all(followers.map((f) => CuttableProxy.start({ targetPort: f.port })))
    : [];
  const leaderEnvAll: Record<string, string> = {
    ...leaderEnv(settings, leaderId, settings.partitions ? proxies.map((p) => p.url) : followerUrls),
    ...dataDirEnv(settings, 'leader'),
    CLUSTER_ID: clusterId,
  };
  try {
    const leader = await startNode('leader', leaderEnvAll, settings.nodeArgs);
    await waitServing(`http://127.0.0.1:${leader.port}`);
    return processCluster({ settings, leader, leaderEnvAll, followers, followerUrls, followerEnvAt, proxies });
  } catch (err) {
    await Promise.all([...followers.map((f) => stopNode(f.child)), ...proxies.map((p) => p.close())]);
    throw err;
  }
}

/** The processes of a started cluster, and how to start each again. */
interface StartedProcesses {
  settings: ClusterSettings;
  leader: Started;
  leaderEnvAll: Record<string, string>;
  /** Replaced in place when a follower restarts. */
  followers: Started[];
  followerUrls: string[];
  followerEnvAt: (i: number, port?: number) => Record<string, string>;
  /** One per follower with `partitions: true`, else none. */
  proxies: CuttableProxy[];
}

/** The cluster's handle: its URLs, its stop, the leader's restarts and extra leaders, the followers' faults. */
function processCluster(started: StartedProcesses): ProcessCluster {
  const { settings, leaderEnvAll, followers, proxies } = started;
  let leader = started.leader;
  const extraLeaders: Started[] = [];
  let stopped = false;
  return {
    leaderUrl: `http://127.0.0.1:${leader.port}`,
    followerUrls: started.followerUrls,
    clusterToken: settings.clusterToken,
    get leader() {
      return leaderControl(leader);
    },
    async restartLeader(envOverrides = {}, options = {}) {
      await stopNode(leader.child);
      leader = await startNode(
        'leader',
        { ...leaderEnvAll, PORT: String(leader.port), ...envOverrides },
        settings.nodeArgs,
      );
      if (options.waitReady !== false) await waitServing(`http://127.0.0.1:${leader.port}`);
    },
    async startExtraLeader(envOverrides = {}, options = {}) {
      // A DATA_DIR is locked by its node: a second leader gets a folder of its own.
      const ownDir = dataDirEnv(settings, `leader-extra${extraLeaders.length + 1}`);
      const extra = await startNode(
        'leader',
        { ...leaderEnvAll, ...ownDir, PORT: '0', ...envOverrides },
        settings.nodeArgs,
      );
      extraLeaders.push(extra);
      if (options.waitReady !== false) await waitServing(`http://127.0.0.1:${extra.port}`);
      return leaderControl(extra);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await Promise.all([leader, ...extraLeaders, ...followers].map((n) => stopNode(n.child)));
      await Promise.all(proxies.map((p) => p.close()));
    },
    ...followerFaults(started),
  };
}

/** Kill, restart (same port, empty), pause and resume a follower process; cut and heal its proxy. */
function followerFaults(
  started: StartedProcesses,
): Pick<ProcessCluster, 'killFollower' | 'restartFollower' | 'cut' | 'heal' | 'pauseFollower' | 'resumeFollower'> {
  const { settings, followers, followerEnvAt, proxies } = started;
  return {
    async killFollower(i) {
      const f = followerAt(followers, i);
      f.child.kill('SIGKILL');
      await stopNode(f.child);
    },
    async restartFollower(i) {
      const f = followerAt(followers, i);
      await stopNode(f.child);
      followers[i] = await startNode('follower', followerEnvAt(i, f.port), settings.nodeArgs);
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
