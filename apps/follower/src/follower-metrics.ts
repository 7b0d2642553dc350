/** The follower's Prometheus metrics, read from its node when scraped. */
import type { Registry } from 'prom-client';
import { scrapedCounter, scrapedGauge } from '@quorum-kv/http-edge';
import type { FollowerNode } from './follower-node';

export function followerMetrics(registry: Registry, node: FollowerNode): void {
  const gauge = (name: string, help: string, read: () => number) => scrapedGauge(registry, name, help, read);
  // The node keeps running totals; each scrape adds what is new.
  const counter = (name: string, help: string, read: () => number) => scrapedCounter(registry, name, help, read);
  gauge(
    'quorumkv_applied_lsn',
    'Highest LSN applied (every LSN before it is applied too)',
    () => node.applier.appliedLsn,
  );
  gauge(
    'quorumkv_buffered_entries',
    'Entries received early, waiting for a gap to fill',
    () => node.applier.bufferedCount,
  );
  counter(
    'quorumkv_received_entries_total',
    'Entries stored since start (duplicates included)',
    () => node.receivedEntries,
  );
  counter(
    'quorumkv_replication_messages_total',
    'Messages carrying entries from the leader since start (entries per message: received entries / messages)',
    () => node.replicationMessages,
  );
  counter(
    'quorumkv_snapshots_installed_total',
    'Snapshots from the leader installed since start',
    () => node.snapshotsInstalled,
  );
  gauge(
    'quorumkv_snapshot_staged_bytes',
    'Bytes of snapshot chunks staged, waiting for the last chunk (bounded by MAX_SNAPSHOT_BYTES)',
    () => node.staging.status?.stagedBytes ?? 0,
  );
  counter(
    'quorumkv_snapshots_aborted_total',
    'Staged snapshots dropped before their last chunk (replaced, too large, idle, superseded)',
    () => node.staging.abortedCount,
  );
  gauge('quorumkv_epoch', 'Highest epoch this follower has promised', () => node.promisedEpoch);
  counter(
    'quorumkv_discarded_entries_total',
    'Entries rolled back or dropped because a newer epoch replaced them',
    () => node.discardedCount,
  );
  counter('quorumkv_refused_entries_total', 'Entries refused because the buffer was full', () => node.refusedEntries);
}
