/**
 * One client per node of a running cluster, whoever started it (processes, containers or an
 * external cluster): the tests only need the addresses a `Cluster` names.
 */
import { KvClient, type Cluster } from '@quorum-kv/bench';

export interface ClusterClients {
  readonly leader: KvClient;
  /** Index i is follower i + 1, as in `Cluster.followerUrls`. */
  readonly followers: KvClient[];
  /** The leader first, then the followers. */
  readonly all: KvClient[];
  /** Closes every keep-alive connection (call in afterAll, before stopping the cluster). */
  close(): void;
}

export function clientsFor(cluster: Cluster): ClusterClients {
  const leader = new KvClient(cluster.leaderUrl);
  const followers = cluster.followerUrls.map((url) => new KvClient(url));
  const all = [leader, ...followers];
  return {
    leader,
    followers,
    all,
    close: () => all.forEach((client) => client.close()),
  };
}

/** `GET /health` of one node; resolves with its body, rejects unless it answered 200. */
export function health(client: KvClient): Promise<Record<string, unknown>> {
  return client.getJson<Record<string, unknown>>('/health');
}
