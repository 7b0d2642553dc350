/**
 * The real wiring of the durability seam: a runtime's cluster started with partitions, its
 * leader reached over HTTP. A restarted leader gets a fresh client: the old keep-alive sockets
 * lead to a dead process, and a write sent on one would fail for no reason of the store's.
 */
import { KvClient } from '../cluster/kv-client';
import type { AckMode } from '@quorum-kv/replication-protocol';
import type { PartitionableCluster } from '../cluster/cluster';
import { allStreaming, parseHealth, type DurabilityTarget, type LeaderHealth } from './durability-target';
import type { KeyRead } from './loss-check';

/** How long one health, status or read request may take; a cut-off or busy leader is then "no answer". */
export const PROBE_TIMEOUT_MS = 2000;

async function getJson(url: string): Promise<{ httpStatus: number; body: unknown }> {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
    const text = await res.text();
    try {
      return { httpStatus: res.status, body: JSON.parse(text) as unknown };
    } catch {
      return { httpStatus: res.status, body: text };
    }
  } catch {
    return { httpStatus: 0, body: null };
  }
}

export class ClusterTarget implements DurabilityTarget {
  private client: KvClient;

  constructor(
    private readonly cluster: PartitionableCluster,
    private readonly ackMode: AckMode,
    private readonly maxSockets = 64,
  ) {
    this.client = new KvClient(cluster.leaderUrl, maxSockets);
  }

  get followers(): number {
    return this.cluster.followerUrls.length;
  }

  cut(follower: number): Promise<void> {
    return this.cluster.cut(follower - 1);
  }

  heal(follower: number): Promise<void> {
    return this.cluster.heal(follower - 1);
  }

  async killLeader(): Promise<void> {
    await this.cluster.leader.kill();
    this.client.close();
  }

  /** Starts the leader without waiting for it to serve: the runner polls its health, and heals the cuts if it recovers too slowly. */
  async startLeader(env: Record<string, string>): Promise<void> {
    this.client.close();
    await this.cluster.restartLeader(env, { waitReady: false });
    this.client = new KvClient(this.cluster.leaderUrl, this.maxSockets);
  }

  put(key: string, value: string, w: number) {
    return this.client.put(key, value, { w, ack: this.ackMode });
  }

  async read(key: string): Promise<KeyRead> {
    const { httpStatus, body } = await getJson(`${this.cluster.leaderUrl}/kv/${encodeURIComponent(key)}`);
    const value = typeof body === 'object' && body !== null ? (body as Record<string, unknown>)['value'] : undefined;
    return httpStatus === 200 ? { httpStatus, value } : { httpStatus };
  }

  async health(): Promise<LeaderHealth> {
    const { httpStatus, body } = await getJson(`${this.cluster.leaderUrl}/health`);
    return parseHealth(httpStatus, body);
  }

  async status(): Promise<Record<string, unknown> | null> {
    const { httpStatus, body } = await getJson(`${this.cluster.leaderUrl}/status`);
    return httpStatus === 200 && typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : null;
  }

  async followersStreaming(): Promise<boolean> {
    return allStreaming(await this.status());
  }

  close(): void {
    this.client.close();
  }
}
