/** The follower's Prometheus metrics, read from its node when scraped. */
import { Gauge, type Registry } from 'prom-client';
import type { FollowerNode } from './follower-node';

export function followerMetrics(registry: Registry, node: FollowerNode): void {
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
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
  gauge('quorumkv_received_entries', 'Entries stored since start (duplicates included)', () => node.receivedEntries);
  gauge(
    'quorumkv_snapshots_installed',
    'Snapshots from the leader installed since start',
    () => node.snapshotsInstalled,
  );
  gauge('quorumkv_epoch', 'Highest epoch this follower has promised', () => node.promisedEpoch);
  gauge(
    'quorumkv_discarded_entries',
    'Entries rolled back or dropped because a newer epoch replaced them',
    () => node.discardedCount,
  );
  gauge('quorumkv_refused_entries', 'Entries refused because the buffer was full', () => node.refusedEntries);
}
