/**
 * Starts the floor's topology: N follower relays, then a leader relay that knows their URLs,
 * each a child process on a free loopback port (it logs the port it got, as the store's nodes
 * do). Every child dies with this process; `stop` ends them in order.
 */
import type { ChildProcess } from 'node:child_process';
import { startInlineServer } from '../cluster/inline-server';
import { stopNode } from '../cluster/process-cluster';
import {
  FOLLOWER_RELAY_SOURCE,
  LEADER_RELAY_SOURCE,
  STREAM_FOLLOWER_RELAY_SOURCE,
  STREAM_LEADER_RELAY_SOURCE,
} from './relay-sources';

/** `request`: one POST per entry and follower, with injected delays (the sweep's floor); `stream`: the store's batch stream at zero delay (the throughput run's). */
export type RelayKind = 'request' | 'stream';

const SOURCES: Record<RelayKind, { leader: string; follower: string }> = {
  request: { leader: LEADER_RELAY_SOURCE, follower: FOLLOWER_RELAY_SOURCE },
  stream: { leader: STREAM_LEADER_RELAY_SOURCE, follower: STREAM_FOLLOWER_RELAY_SOURCE },
};

export interface RelayTopology {
  leaderUrl: string;
  pids: number[];
  stop(): Promise<void>;
}

export async function startRelayTopology(followers: number, kind: RelayKind = 'request'): Promise<RelayTopology> {
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
    const followerUrls = await Promise.all(Array.from({ length: followers }, () => start(SOURCES[kind].follower)));
    const leaderUrl = await start(SOURCES[kind].leader, { FOLLOWERS: followerUrls.join(',') });
    return { leaderUrl, pids: children.map((c) => c.pid as number), stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
