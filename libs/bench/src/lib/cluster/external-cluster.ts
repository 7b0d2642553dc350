/** The `external` runtime: a cluster already running; the leader's /status names its followers. */
import type { Cluster, Runtime } from './cluster';
import { KvClient } from './kv-client';

export const externalRuntime: Runtime = {
  start: (config, { clusterToken, followerUrls }) =>
    externalCluster(config.leaderUrl as string, followerUrls, clusterToken),
};

/** A running cluster: the leader's URL, and the followers' from the flag or the leader's /status. */
async function externalCluster(
  leaderUrl: string,
  followerUrls: string[] | undefined,
  clusterToken: string,
): Promise<Cluster> {
  const leader = new KvClient(leaderUrl);
  try {
    const status = await leader.getJson<{ followers: Array<{ url: string }> }>('/status');
    const urls = followerUrls ?? status.followers.map((f) => f.url);
    if (urls.length !== status.followers.length) {
      throw new Error(
        `the leader has ${status.followers.length} followers but ${urls.length} follower URLs were given`,
      );
    }
    return { leaderUrl, followerUrls: urls, clusterToken, stop: async () => undefined };
  } finally {
    leader.close();
  }
}
