/** What the follower's batch specs (by request and on the stream) build their messages from. */
import { clusterIdFromToken } from '@quorum-kv/http-edge';
import { PROTOCOL_VERSION, putEntry, type Entry } from '@quorum-kv/replication-protocol';

export const TOKEN = 'cluster-secret-token';
export const CLUSTER_ID = clusterIdFromToken(TOKEN);

/** A put of key `k<lsn>` with the LSN as its value. */
export const put = (lsn: number, epoch = 1): Entry => putEntry(lsn, `k${lsn}`, lsn, epoch);

/** A batch as the leader's outbox sends it: entries in LSN order, `prev` of the lowest. */
export function batch(entries: Entry[], overrides: Record<string, unknown> = {}) {
  const first = entries[0]?.lsn ?? 1;
  return {
    protocolVersion: PROTOCOL_VERSION,
    leaderId: 'leader',
    clusterId: CLUSTER_ID,
    epoch: 1,
    prevLsn: first - 1,
    prevEpoch: first === 1 ? 0 : 1,
    ackMode: 'received',
    entries,
    ...overrides,
  };
}
