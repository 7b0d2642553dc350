/** `GET /status`: per follower what it acked and how far behind it is (cf. pg_stat_replication). */
import type { Router } from 'express';
import { methodNotAllowed, strictRouter } from '@quorum-kv/http-edge';
import type { LeaderStatus } from '@quorum-kv/replication-protocol';
import type { ReplicationCoordinator } from '../replication/replication-coordinator';

const inMemory = () => ({ persistent: false, dataDir: null, fsync: null, log: null });

export function statusRoutes(coordinator: ReplicationCoordinator, storage: () => object = inMemory): Router {
  const router = strictRouter();
  router.get('/status', (_req, res) => {
    const status: LeaderStatus = {
      role: 'leader',
      state: coordinator.leaderState,
      epoch: coordinator.epoch,
      fencedBy: coordinator.fencedBy,
      recoveryQuorum: coordinator.recoveryQuorum,
      wOutsidePromise: coordinator.wOutsidePromise,
      recovery: coordinator.recoveryStatus,
      lsn: coordinator.log.lastLsn,
      inFlightWrites: coordinator.inFlightWrites,
      drained: coordinator.isDrained(),
      followers: coordinator.followerStatus(),
    };
    // `storage`: DATA_DIR, FSYNC and the log's counters (fsyncs, records per fsync: the group commit).
    res.json({ ...status, storage: storage() });
  });
  router.all('/status', methodNotAllowed(['GET']));
  return router;
}
