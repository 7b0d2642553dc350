/**
 * One follower process with no leader, started the way the process runtime starts its followers
 * (same build, same environment), but with an `ACCEPT_LEADER_ID` the test chooses. The runtime
 * gives each cluster a random leader id and does not expose it, so a test cannot send a
 * replication request that a cluster follower would accept; this follower it can. Nothing else
 * writes to it, so the test's model of its state is exact.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { builtAppPath } from '@quorum-kv/bench';

const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 3000;

export interface StandaloneFollowerOptions {
  acceptLeaderId: string;
  clusterToken: string;
  followerId: string;
}

export interface StandaloneFollower {
  readonly url: string;
  readonly acceptLeaderId: string;
  /** True while the process runs (a crash shows here even before a request fails). */
  isRunning(): boolean;
  stop(): Promise<void>;
}

const live = new Set<ChildProcess>();
process.once('exit', () => live.forEach((child) => child.kill('SIGKILL')));

export function startStandaloneFollower(options: StandaloneFollowerOptions): Promise<StandaloneFollower> {
  const child = spawn(process.execPath, [builtAppPath('follower')], {
    env: {
      PATH: process.env['PATH'] ?? '',
      HOST: '127.0.0.1',
      PORT: '0',
      LOG_LEVEL: 'info',
      FOLLOWER_ID: options.followerId,
      CLUSTER_TOKEN: options.clusterToken,
      ACCEPT_LEADER_ID: options.acceptLeaderId,
      ENABLE_DEBUG: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`standalone follower ${why}: ${stderr.join('').trim().slice(-500)}`));
    };
    const timer = setTimeout(() => fail(`did not start within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
    const onEarlyExit = (code: number | null) => fail(`exited with code ${code}`);
    child.once('exit', onEarlyExit);
    // The one machine-readable line `serve` logs once it listens; later lines are read and dropped.
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      const port = listeningPort(line);
      if (port === undefined) return;
      clearTimeout(timer);
      child.off('exit', onEarlyExit);
      resolve({
        url: `http://127.0.0.1:${port}`,
        acceptLeaderId: options.acceptLeaderId,
        isRunning: () => child.exitCode === null && child.signalCode === null,
        stop: () => stopChild(child),
      });
    });
  });
}

function listeningPort(line: string): number | undefined {
  try {
    const event = JSON.parse(line) as { msg?: string; port?: number };
    return event.msg === 'listening' && typeof event.port === 'number' ? event.port : undefined;
  } catch {
    return undefined;
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
