/**
 * Reads every node of the cluster at one moment: RSS and heap used from each node's /metrics
 * (prom-client's default process metrics), and the leader's /status (LSN, lag per follower) and
 * log size. A node that cannot be read is recorded with its reason and null values; the soak
 * goes on, since a node that stops answering is itself a finding.
 */
import { nodeGauges } from '../common/prometheus-text';
import type { LeaderSample, NodeSample } from './soak-records';

export interface SampledNode {
  /** `leader`, `follower1` .. `followerN`. */
  node: string;
  url: string;
}

const MIB = 2 ** 20;

interface LeaderStatus {
  lsn?: number;
  followers?: Array<{ url: string; lagEntries: number; state: string }>;
}

export function clusterNodes(leaderUrl: string, followerUrls: readonly string[]): SampledNode[] {
  return [{ node: 'leader', url: leaderUrl }, ...followerUrls.map((url, i) => ({ node: `follower${i + 1}`, url }))];
}

export async function sampleCluster(
  nodes: readonly SampledNode[],
  timeoutMs: number,
): Promise<{ nodes: NodeSample[]; leader: LeaderSample }> {
  const leaderUrl = nodes[0]?.url;
  const [metrics, status] = await Promise.all([
    Promise.all(
      nodes.map((n) =>
        readText(`${n.url}/metrics`, timeoutMs).then(
          (text) => ({ text }),
          (err: unknown) => ({ error: reason(err) }),
        ),
      ),
    ),
    leaderUrl
      ? readText(`${leaderUrl}/status`, timeoutMs).then(
          (text) => JSON.parse(text) as LeaderStatus,
          () => null,
        )
      : Promise.resolve(null),
  ]);
  let logEntries: number | null = null;
  const nodeSamples = nodes.map((n, i): NodeSample => {
    const read = metrics[i] as { text: string } | { error: string };
    if ('error' in read) return { node: n.node, rssMiB: null, heapUsedMiB: null, error: read.error };
    const gauges = nodeGauges(read.text);
    if (i === 0) logEntries = gauges.logEntries;
    return {
      node: n.node,
      rssMiB: gauges.rssBytes === null ? null : gauges.rssBytes / MIB,
      heapUsedMiB: gauges.heapUsedBytes === null ? null : gauges.heapUsedBytes / MIB,
      error: gauges.rssBytes === null || gauges.heapUsedBytes === null ? 'no process memory gauges in /metrics' : null,
    };
  });
  const followers = (status?.followers ?? []).map(({ url, lagEntries, state }) => ({ url, lagEntries, state }));
  return {
    nodes: nodeSamples,
    leader: {
      lsn: typeof status?.lsn === 'number' ? status.lsn : null,
      logEntries,
      maxLagEntries: followers.length === 0 ? null : Math.max(...followers.map((f) => f.lagEntries)),
      followers,
    },
  };
}

async function readText(url: string, timeoutMs: number): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  if (!res.ok) throw new Error(`GET ${url} answered ${res.status}`);
  return text;
}

function reason(err: unknown): string {
  if (err instanceof Error) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    return cause?.code ?? cause?.message ?? err.message;
  }
  return String(err);
}
