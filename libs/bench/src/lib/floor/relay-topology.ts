/**
 * Starts the floor's topology: N follower relays, then a leader relay that knows their URLs,
 * each a child process on a free loopback port (it logs the port it got, as the store's nodes
 * do). Every child dies with this process; `stop` ends them in order.
 */
import type { ChildProcess } from 'node:child_process';
import { startInlineServer } from '../cluster/inline-server';
import { stopNode } from '../cluster/process-cluster';
import { FOLLOWER_RELAY_SOURCE, LEADER_RELAY_SOURCE } from './relay-sources';

export interface RelayTopology {
  leaderUrl: string;
  pids: number[];
  stop(): Promise<void>;
}

export async function startRelayTopology(followers: number): Promise<RelayTopology> {
  const children: ChildProcess[] = [];
  const start = (source: string, env: Record<string, string> = {}) => {
    const { child, url } = startInlineServer('a relay', source, env);
    children.push(child);
    return url;
  };
  const stop = async () => {
    await Promise.all(children.map(stopNode));
  };
  try {
    const followerUrls = await Promise.all(Array.from({ length: followers }, () => start(FOLLOWER_RELAY_SOURCE)));
    const leaderUrl = await start(LEADER_RELAY_SOURCE, { FOLLOWERS: followerUrls.join(',') });
    return { leaderUrl, pids: children.map((c) => c.pid as number), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
