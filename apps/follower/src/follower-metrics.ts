/** The follower's Prometheus metrics, read from its node when scraped. */
import type { Registry } from 'prom-client';
import { scrapedMetrics } from '@quorum-kv/http-edge';
import type { FollowerNode } from './follower-node';

export function followerMetrics(registry: Registry, node: FollowerNode): void {
  // The node keeps running totals; each scrape adds what is new to the counters.
  scrapedMetrics(registry, () => node, [
    {
      gauge: 'quorumkv_applied_lsn',
      help: 'Highest LSN applied (every LSN before it is applied too)',
      read: (n) => n.applier.appliedLsn,
    },
    {
      gauge: 'quorumkv_buffered_entries',
      help: 'Entries received early, waiting for a gap to fill',
      read: (n) => n.applier.bufferedCount,
    },
    {
      counter: 'quorumkv_received_entries_total',
      help: 'Entries stored since start (duplicates included)',
      read: (n) => n.receivedEntries,
    },
    {
      counter: 'quorumkv_replication_messages_total',
      help: 'Messages carrying entries from the leader since start (entries per message: received entries / messages)',
      read: (n) => n.replicationMessages,
    },
    {
      counter: 'quorumkv_snapshots_installed_total',
      help: 'Snapshots from the leader installed since start',
      read: (n) => n.snapshotsInstalled,
    },
    {
      gauge: 'quorumkv_snapshot_staged_bytes',
      help: 'Bytes of snapshot chunks staged, waiting for the last chunk (bounded by MAX_SNAPSHOT_BYTES)',
      read: (n) => n.staging.status?.stagedBytes ?? 0,
    },
    {
      counter: 'quorumkv_snapshots_aborted_total',
      help: 'Staged snapshots dropped before their last chunk (replaced, too large, idle, superseded)',
      read: (n) => n.staging.abortedCount,
    },
    { gauge: 'quorumkv_epoch', help: 'Highest epoch this follower has promised', read: (n) => n.promisedEpoch },
    {
      counter: 'quorumkv_discarded_entries_total',
      help: 'Entries rolled back or dropped because a newer epoch replaced them',
      read: (n) => n.discardedCount,
    },
    {
      counter: 'quorumkv_refused_entries_total',
      help: 'Entries refused because the buffer was full',
      read: (n) => n.refusedEntries,
    },
  ]);
}
