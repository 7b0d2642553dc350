/**
 * Starts the floor's topology: N follower relays, then a leader relay that knows their URLs,
 * each a child process on a free loopback port (it logs the port it got, as the store's nodes
 * do). Every child dies with this process; `stop` ends them in order.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { stopNode } from '../cluster/process-cluster';
import { FOLLOWER_RELAY_SOURCE, LEADER_RELAY_SOURCE } from './relay-sources';

const START_TIMEOUT_MS = 10_000;

export interface RelayTopology {
  leaderUrl: string;
  pids: number[];
  stop(): Promise<void>;
}

function startRelay(source: string, env: Record<string, string>, children: ChildProcess[]): Promise<string> {
  const child = spawn(process.execPath, ['-e', source], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`a relay did not start within ${START_TIMEOUT_MS} ms`)),
      START_TIMEOUT_MS,
    );
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`a relay exited with code ${code}`));
    });
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', (line) => {
      clearTimeout(timer);
      child.removeAllListeners('exit');
      resolve(`http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`);
    });
  });
}

export async function startRelayTopology(followers: number): Promise<RelayTopology> {
  const children: ChildProcess[] = [];
  const killOnExit = () => children.forEach((c) => c.kill('SIGKILL'));
  process.once('exit', killOnExit);
  const stop = async () => {
    await Promise.all(children.map(stopNode));
    process.removeListener('exit', killOnExit);
  };
  try {
    const followerUrls = await Promise.all(
      Array.from({ length: followers }, () => startRelay(FOLLOWER_RELAY_SOURCE, {}, children)),
    );
    const leaderUrl = await startRelay(LEADER_RELAY_SOURCE, { FOLLOWERS: followerUrls.join(',') }, children);
    return { leaderUrl, pids: children.map((c) => c.pid as number), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
